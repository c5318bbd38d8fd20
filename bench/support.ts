/**
 * What the benchmarks share: a generated province-sized roster, JSON result lines, process
 * figures read from /proc. Benchmarks print one JSON object per line on stdout; progress goes to
 * stderr.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import path from 'node:path';
import type { RosterInput } from '../src/domain/roster';

/** One JSON line per result. */
export function result(fields: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(fields)}\n`);
}

export function note(text: string): void {
  process.stderr.write(`${text}\n`);
}

/** `--name value` from the command line, as a number, with a default. */
export function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const v = Number(process.argv[i + 1]);
  if (!Number.isFinite(v) || v < 0) throw new Error(`--${name}: expected a non-negative number, got ${process.argv[i + 1]}`);
  return v;
}

/**
 * A county-level roster of `townships` townships and `targets` designated villages spread over
 * them, each with a first secretary and a village party secretary, designated on `date`.
 */
export function generatedRoster(targets: number, townships: number, date: string): RosterInput {
  const ts = Array.from({ length: townships }, (_, i) => ({ code: `T${String(i + 1).padStart(3, '0')}`, name: `第${i + 1}乡` }));
  const villages = Array.from({ length: targets }, (_, i) => {
    const t = ts[i % townships]!;
    return { code: `${t.code}V${String(Math.floor(i / townships) + 1).padStart(3, '0')}`, name: `${t.name}${Math.floor(i / townships) + 1}村`, township: t.code };
  });
  const mail = (id: string): string => `${id.toLowerCase()}@bench.example.org`;
  return {
    county: { code: 'BX', name: '基准县' },
    townships: ts,
    villages,
    departments: [],
    people: [
      { id: 'zzb-1', name: '组织部干部', email: mail('zzb-1'), role: 'org-department-staff' },
      ...ts.flatMap((t) => [
        { id: `${t.code}-sec`, name: `${t.name}书记`, email: mail(`${t.code}-sec`), role: 'township-party-secretary' as const, township: t.code },
        { id: `${t.code}-org`, name: `${t.name}组织干事`, email: mail(`${t.code}-org`), role: 'organization-officer' as const, township: t.code },
      ]),
      ...villages.flatMap((v) => [
        { id: `${v.code}-fs`, name: `${v.code}第一书记`, email: mail(`${v.code}-fs`), role: 'first-secretary' as const, village: v.code },
        { id: `${v.code}-vs`, name: `${v.code}村书记`, email: mail(`${v.code}-vs`), role: 'village-party-secretary' as const, village: v.code },
      ]),
    ],
    designations: villages.map((v) => ({ village: v.code, date, criteria: [{ criterion: 1, evidence: '村党支部书记长期外出务工，一年来仅召开两次支委会。' }] })),
  } as RosterInput;
}

export function writeRoster(file: string, roster: RosterInput): void {
  writeFileSync(file, JSON.stringify(roster));
}

/** Resident memory of a process, in MiB (Linux). */
export function rssMiB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Math.round(Number(m[1]) / 1024) : NaN;
}

/** CPU time a process has used so far, in ms (user + system, Linux). */
export function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // clock ticks of 10 ms
}

export { advanceTo, runHistories } from '../test/support/clock';

/** The counting SMTP server (bench/counting-sink.ts) in its own process: its port, and the count when stopped. */
export async function startCountingSink(): Promise<{ port: number; stop(): Promise<number> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'counting-sink.ts')], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  const port = await new Promise<number>((resolve) => child.stdout!.on('data', (d: Buffer) => ((out += d.toString()), out.includes('\n') && resolve(Number(out.split('\n')[0])))));
  return {
    port,
    async stop() {
      const done = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      await done;
      return Number(out.trim().split('\n').at(-1));
    },
  };
}
