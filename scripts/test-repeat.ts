/**
 * Runs test files several times in a row with a second process keeping one core busy (the CI
 * machine's worst case: two cores, another suite or a build beside it), and prints every failure
 * with the seed of the run it came from, so that a race shows up here rather than in CI.
 *
 *   npm run test:repeat -- --times 5 test/workflows test/api
 *   npm run test:repeat -- --times 3 --no-busy test/web/workbench.test.ts
 *
 * Each round runs the files in an order shuffled by its own seed (TEST_SEED, read by
 * vitest.config.mts; a file's tests keep their order, being the steps of one scenario); a failure
 * is reproduced with `TEST_SEED=SEED npx vitest run FILES`.
 * The exit code is 1 when any round failed. A flake is a defect: fix its cause, never retry it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

interface AssertionResult {
  readonly fullName: string;
  readonly status: string;
  readonly failureMessages: readonly string[];
}
interface FileResult {
  readonly name: string;
  readonly status: string;
  readonly message?: string;
  readonly assertionResults: readonly AssertionResult[];
}
interface JsonReport {
  readonly numTotalTests: number;
  readonly numFailedTests: number;
  readonly testResults: readonly FileResult[];
}

interface Failure {
  readonly round: number;
  readonly seed: number;
  readonly file: string;
  readonly test: string;
  readonly message: string;
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    times: { type: 'string', default: '5' },
    'no-busy': { type: 'boolean', default: false },
    seed: { type: 'string' },
  },
});

const times = Number(values.times);
if (!Number.isInteger(times) || times < 1 || times > 100) {
  console.error(`--times：应为1到100之间的整数，收到“${values.times}”`);
  process.exit(2);
}
const firstSeed = values.seed === undefined ? Date.now() % 1_000_000 : Number(values.seed);
if (!Number.isInteger(firstSeed) || firstSeed < 0) {
  console.error(`--seed：应为非负整数，收到“${values.seed}”`);
  process.exit(2);
}

/** One core kept busy by a plain spin loop in its own process. */
function busyCore(): ChildProcess {
  return spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' });
}

function runRound(seed: number, outFile: string): Promise<number> {
  const args = ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${outFile}`, ...positionals];
  return new Promise((resolve) => {
    // The seed orders the files (vitest.config.mts); each file's tests keep their order.
    const child = spawn('npx', args, { stdio: 'inherit', env: { ...process.env, TEST_SEED: String(seed) } });
    child.on('exit', (code) => resolve(code ?? 1));
  });
}

function failuresOf(report: JsonReport, round: number, seed: number): Failure[] {
  const out: Failure[] = [];
  for (const file of report.testResults) {
    const failed = file.assertionResults.filter((a) => a.status === 'failed');
    for (const a of failed) out.push({ round, seed, file: file.name, test: a.fullName, message: a.failureMessages.join('\n').split('\n').slice(0, 6).join('\n') });
    // A file that failed outside its tests (a hook, an import).
    if (file.status === 'failed' && failed.length === 0) out.push({ round, seed, file: file.name, test: '(file)', message: (file.message ?? '').split('\n').slice(0, 6).join('\n') });
  }
  return out;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'test-repeat-'));
  const busy = values['no-busy'] ? undefined : busyCore();
  const stop = (): void => {
    busy?.kill('SIGKILL');
  };
  process.on('exit', stop);
  process.on('SIGINT', () => process.exit(130));
  const failures: Failure[] = [];
  const summary: string[] = [];
  try {
    for (let round = 1; round <= times; round++) {
      const seed = firstSeed + round - 1;
      const outFile = join(dir, `round-${round}.json`);
      const started = Date.now();
      console.log(`\n— round ${round}/${times}, seed ${seed}${busy ? ', one core busy' : ''}`);
      const code = await runRound(seed, outFile);
      let report: JsonReport | undefined;
      try {
        report = JSON.parse(readFileSync(outFile, 'utf8')) as JsonReport;
      } catch {
        report = undefined;
      }
      const found = report ? failuresOf(report, round, seed) : [];
      if (code !== 0 && found.length === 0) found.push({ round, seed, file: '(vitest)', test: '(run)', message: `vitest exited with ${code} and no report` });
      failures.push(...found);
      summary.push(`round ${round} seed ${seed}: ${report ? `${report.numTotalTests - report.numFailedTests}/${report.numTotalTests} passed` : 'no report'}, ${Math.round((Date.now() - started) / 1000)} s`);
    }
  } finally {
    stop();
    rmSync(dir, { recursive: true, force: true });
  }
  console.log('\n' + summary.join('\n'));
  if (failures.length === 0) {
    console.log(`\nclean: ${times} round(s), no failure`);
    return;
  }
  console.log(`\n${failures.length} failure(s):`);
  for (const f of failures) {
    console.log(`\n[round ${f.round}, seed ${f.seed}] ${f.file}\n  ${f.test}\n  ${f.message.replace(/\n/g, '\n  ')}`);
    console.log(`  reproduce: TEST_SEED=${f.seed} npx vitest run ${positionals.join(' ')}`);
  }
  process.exitCode = 1;
}

void main();
