/**
 * `npm run bench`: the quick set, one after the other, each starting its own servers. Every line on
 * stdout is one JSON result; `--size` scales the set (1 = the quick set; CI runs a tiny one).
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { arg } from './support';

const size = arg('size', 1);
const n = (quick: number, least = 1): string => String(Math.max(least, Math.round(quick * size)));

const set: [string, string[]][] = [
  ['fanout.ts', ['--mails', n(2000, 20)]],
  ['province.ts', ['--targets', n(200, 4), '--townships', n(20, 2), '--idle-seconds', n(10)]],
  ['target-year.ts', ['--targets', n(10), '--townships', n(2), '--months', n(12)]],
];

let failed = 0;
for (const [script, args] of set) {
  process.stderr.write(`bench/${script} ${args.join(' ')}\n`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(__dirname, script), ...args], { stdio: ['ignore', 'inherit', 'pipe'], encoding: 'utf8' });
  if (r.status !== 0) {
    failed++;
    process.stderr.write(`bench/${script} failed (exit ${r.status}):\n${r.stderr.split('\n').filter((l) => !/WARN|INFO/.test(l)).slice(-20).join('\n')}\n`);
  }
}
process.exit(failed ? 1 : 0);
