import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { isWorkday } from 'chinese-days';
import { describe, expect, test } from 'vitest';
import { simulate } from '../../simulate/engine';
import { runSimulation } from '../../simulate/main';
import { parseScenario, readScenario, ScenarioError } from '../../simulate/scenario';
import type { TimelineEvent } from '../../simulate/timeline';
import { sampleRosterFile } from '../support/mail';

/**
 * `simulate` end to end: two targets of the sample county (青石镇 QS03, 柳河镇 LH02) designated on
 * 3 December 2018 and played forward to 6 December 2019 on the product's own workflows, with 柳河镇
 * missing every half-monthly report of May and June. The timeline is checked against rules stated
 * here and computed without the product's domain functions: the holiday arrangement comes from the
 * `chinese-days` package directly.
 */

const dir = mkdtempSync(path.join(tmpdir(), 'simulate-test-'));
const sample = JSON.parse(readFileSync(sampleRosterFile, 'utf8')) as { designations: { village: string; date: string }[] };
const roster = { ...sample, designations: sample.designations.filter((d) => d.village === 'QS03' || d.village === 'LH02').map((d) => ({ ...d, date: '2018-12-03' })) };
writeFileSync(path.join(dir, 'roster.json'), JSON.stringify(roster));

const scenarioFile = path.join(dir, 'scenario.yaml');
writeFileSync(
  scenarioFile,
  [
    'name: 两个整顿对象的一年',
    'roster: roster.json',
    'start: 2018-12-03',
    'end: 2019-12-06',
    'seed: 11',
    'behaviour:',
    '  default: { onTime: 0.9, late: 0.1, missed: 0 }',
    '  proposalInquiryRate: 1',
    '  explanationTalkRate: 0',
    'events:',
    '  - { type: missed, township: LH, kind: half-monthly-report, from: 2019-05-01, until: 2019-06-30 }',
    '  - { type: acceptance, village: QS03, year: 2019, transformed: true }',
    '  - { type: acceptance, village: LH02, year: 2019, transformed: false }',
    '',
  ].join('\n'),
);

const iso = (s: string): number => Date.parse(s);
const chinaDate = (at: string): string => at.slice(0, 10);
const chinaHour = (at: string): number => Number(at.slice(11, 13));
const lastDay = (y: number, m: number): number => new Date(Date.UTC(y, m, 0)).getUTCDate();
const ymd = (y: number, m: number, d: number): string => `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
const shift = (date: string, days: number): string => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
const nextWorkday = (date: string): string => (isWorkday(date) ? date : nextWorkday(shift(date, 1)));
const lastWorkdayOnOrBefore = (date: string): string => (isWorkday(date) ? date : lastWorkdayOnOrBefore(shift(date, -1)));

const ladderKinds = new Set(['reminder', 'due', 'overdue', 'red-warning', 'digest', 'bulletin', 'contact-bulletin', 'figures-report']);

describe('simulate', () => {
  test('a year of two targets: the timeline follows the source text and the county policy', async () => {
    const out = path.join(dir, 'out');
    await runSimulation(scenarioFile, out);
    const timeline = readFileSync(path.join(out, 'timeline.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as TimelineEvent);
    const summary = JSON.parse(readFileSync(path.join(out, 'summary.json'), 'utf8'));
    const report = readFileSync(path.join(out, 'report.html'), 'utf8');

    expect(summary.problems).toEqual([]);
    const emails = timeline.filter((e): e is Extract<TimelineEvent, { type: 'email' }> => e.type === 'email');
    const opened = timeline.filter((e): e is Extract<TimelineEvent, { type: 'opened' }> => e.type === 'opened');
    const closed = timeline.filter((e): e is Extract<TimelineEvent, { type: 'closed' }> => e.type === 'closed');
    expect(emails.length).toBe(summary.mail.total);
    expect(emails.length).toBeGreaterThan(100);

    // Ordered by time, every instant in China time.
    for (const e of timeline) expect(e.at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d\+08:00$/);
    for (let i = 1; i < timeline.length; i++) expect(iso(timeline[i]!.at)).toBeGreaterThanOrEqual(iso(timeline[i - 1]!.at));

    // No Message-ID twice: every mail reached the server once.
    expect(new Set(emails.map((e) => e.messageId)).size).toBe(emails.length);

    // Notices (ladder steps, urging, bulletin) only on working days, in the morning.
    const notices = emails.filter((e) => ladderKinds.has(e.kind));
    expect(notices.length).toBeGreaterThan(50);
    for (const e of notices) {
      expect(isWorkday(chinaDate(e.at)), `${e.kind} on ${e.at}`).toBe(true);
      expect(chinaHour(e.at), `${e.kind} at ${e.at}`).toBeGreaterThanOrEqual(8);
      expect(chinaHour(e.at), `${e.kind} at ${e.at}`).toBeLessThan(12);
    }

    // Half-monthly reports (六(三)): due on the 15th and the month's last day, a rest day moving
    // it to the next working day (county practice); one per half month per township, no gap.
    for (const t of ['QS', 'LH']) {
      const reports = opened.filter((e) => e.obligation.kind === 'half-monthly-report' && e.obligation.subject === `township:${t}`);
      // Half months due by the last day simulated (6 December 2019): 1–15 December 2018 … 16–30 November 2019.
      // (A duty opens when its workflow next wakes in its period: December's may or may not be open yet.)
      const nominal: string[] = [ymd(2018, 12, 15), ymd(2018, 12, 31)];
      for (let m = 1; m <= 12; m++) nominal.push(ymd(2019, m, 15), ymd(2019, m, lastDay(2019, m)));
      const expected = nominal.map(nextWorkday).filter((d) => d <= '2019-12-06');
      expect(reports.map((e) => e.obligation.due).filter((d) => d <= '2019-12-06'), `township ${t}`).toEqual(expected);
    }

    // The plan (五(一)) by the end of December of the designation year: 31 December 2018 is a
    // holiday and 30 December a Sunday, so it is due on Saturday 29 December, a swapped working day.
    const plans = opened.filter((e) => e.obligation.kind === 'rectification-plan');
    expect(plans.map((e) => [e.entity, e.obligation.due]).sort()).toEqual([
      ['village:LH02', lastWorkdayOnOrBefore('2018-12-31')],
      ['village:QS03', lastWorkdayOnOrBefore('2018-12-31')],
    ]);
    expect(lastWorkdayOnOrBefore('2018-12-31')).toBe('2018-12-29');

    // The acceptance evaluation (五(一)) in late November: due on the last working day up to the 30th, not before the 21st.
    const acceptances = opened.filter((e) => e.obligation.kind === 'acceptance-evaluation');
    expect(acceptances.map((e) => e.entity).sort()).toEqual(['village:LH02', 'village:QS03']);
    for (const a of acceptances) {
      expect(a.obligation.due).toBe(lastWorkdayOnOrBefore('2019-11-30'));
      expect(a.obligation.due >= '2019-11-21').toBe(true);
    }
    expect(summary.targets.map((t: { village: string; transformedIn?: number }) => [t.village, t.transformedIn ?? null])).toEqual([
      ['LH02', null],
      ['QS03', 1],
    ]);
    // 二's goal on the text's date: the targets of 2018 all transformed by the end of 2019.
    expect(summary.goal).toMatchObject([{ designatedIn: 2018, goalDate: '2019-12-31', basis: '二', targets: 2, transformed: 1 }]);
    // The department's figures at every month's end, from the first month to the last: none
    // transformed before the 2019 acceptance, QS03 from then on; the same goal as above.
    const months = summary.figures.map((f: { month: string }) => f.month);
    expect(months[0]).toBe(summary.start.slice(0, 7));
    expect(months.at(-1)).toBe(summary.end.slice(0, 7));
    for (let i = 1; i < months.length; i++) expect(months[i] > months[i - 1]).toBe(true);
    const at = (month: string) => summary.figures.find((f: { month: string }) => f.month === month);
    expect(at('2019-10').byYear).toEqual([{ designatedIn: 2018, targets: 2, transformed: 0, goalDate: '2019-12-31' }]);
    expect(at('2019-12').byYear).toEqual([{ designatedIn: 2018, targets: 2, transformed: 1, goalDate: '2019-12-31' }]);

    // Nothing about a duty after it is closed: no reminder of it, no second closure.
    const closedAt = new Map<string, number>();
    for (const c of closed) {
      const key = `${c.obligation.subject}|${c.obligation.id}`;
      expect(closedAt.has(key), `closed twice: ${key}`).toBe(false);
      closedAt.set(key, iso(c.at));
    }
    for (const e of emails) {
      if (!e.obligation) continue;
      const at = closedAt.get(`${e.obligation.subject}|${e.obligation.id}`);
      if (at !== undefined) expect(iso(e.at), `${e.kind} for ${e.obligation.id} after it closed`).toBeLessThanOrEqual(at);
    }
    for (const o of opened) {
      const at = closedAt.get(`${o.obligation.subject}|${o.obligation.id}`);
      if (at !== undefined) expect(iso(o.at)).toBeLessThanOrEqual(at);
    }

    // 柳河镇 missed May and June: a proposal, an inquiry letter to its secretary and organization
    // officer; whoever received a letter or a talk's notice may not be awarded that year (六(四)).
    const letters = emails.filter((e) => e.kind === 'inquiry-letter' || e.kind === 'talk-notice');
    expect(letters.length).toBeGreaterThan(0);
    expect(letters.every((e) => e.subject === 'township:LH')).toBe(true);
    expect(new Set(letters.map((e) => e.role))).toEqual(new Set(['township-party-secretary', 'organization-officer']));
    const ineligible = timeline.filter((e): e is Extract<TimelineEvent, { type: 'consequence' }> => e.type === 'consequence' && e.kind === 'award-ineligible');
    const people = JSON.parse(readFileSync(path.join(dir, 'roster.json'), 'utf8')).people as { id: string; email: string }[];
    for (const l of letters) {
      const who = people.find((p) => p.email === l.to)!.id;
      expect(ineligible.some((c) => c.person === who && c.year === Number(l.at.slice(0, 4))), `${who} after ${l.kind} on ${l.at}`).toBe(true);
    }
    expect(summary.proposals.inquiry).toBeGreaterThanOrEqual(1);

    // Stages: each target from plan-due through rectifying to acceptance.
    for (const v of ['QS03', 'LH02']) {
      const path_ = timeline.filter((e) => e.type === 'stage' && e.entity === `village:${v}`).map((e) => (e.type === 'stage' ? e.to : ''));
      expect(path_[0]).toBe('plan-due');
      expect(path_).toContain('rectifying');
      expect(path_).toContain('acceptance');
    }

    // The report opens offline: no script or stylesheet fetched, charts drawn inline.
    expect(report).toContain('模拟报告');
    expect(report).toContain('<svg');
    expect(report).toContain('aria-label="转化进度"');
    expect(report).not.toMatch(/<script[^>]+src=|<link[^>]+href=|https?:\/\/[^"']+\.(js|css)/);
  }, 900_000);

  test('the same scenario and seed give the same timeline', async () => {
    const scenario = parseScenario({ roster: 'roster.json', start: '2018-12-03', end: '2019-01-10', seed: 5, behaviour: { default: { onTime: 0.6, late: 0.3, missed: 0.1 } } }, scenarioFile);
    const a = await simulate(scenario);
    const b = await simulate(scenario);
    expect(a.timeline.length).toBeGreaterThan(20);
    expect(b.timeline).toEqual(a.timeline);
  }, 600_000);

  test('a wrong scenario is refused with the path of each problem', () => {
    const bad = path.join(dir, 'bad.yaml');
    writeFileSync(bad, 'seed: -1\nbehaviour:\n  default: { onTime: 0.8, late: 0.3 }\n  byKind: { no-such-duty: { missed: 1 } }\nevents:\n  - { type: flood }\n');
    let err: unknown;
    try {
      readScenario(bad);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ScenarioError);
    const paths = (err as ScenarioError).issues.map((i) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['seed', 'behaviour.default', 'events.0.type']));
    expect(paths.some((p) => p.startsWith('behaviour.byKind'))).toBe(true);
    expect((err as ScenarioError).message).toContain('onTime、late、missed之和为1.100，不能大于1');
  });
});
