import { expect, test } from 'vitest';
import { readRosterFile } from '../../src/activities/roster-file';
import { calendarStore } from '../../src/activities/calendar-store';
import { designateTarget } from '../../src/client/supervision';
import { RED_WARNED_MEMO } from '../../src/contracts/entity';
import { programmeStateQuery } from '../../src/contracts/programme';
import { townshipStateQuery, townshipWorkflowId } from '../../src/contracts/township';
import { official2027, official2028 } from '../support/calendar';
import { sampleRosterFile } from '../support/mail';
import { advanceTo, useVillageWorld } from '../support/village';

/**
 * Across New Year: a year's arrangement that reaches the worker as data (a new package, a file in
 * its calendar directory) with no signal to anybody re-dates every open duty dated in that year
 * when the next run loads it; and an entity continuing as new keeps the memo the county's urging
 * digest reads, whose rounds count what was sent. The Temporal server's clock starts on 20
 * December 2026; the package's data ends with 2026.
 */
const roster = readRosterFile(sampleRosterFile);
const world = useVillageWorld({ startAt: '2026-12-20T00:00:00Z' });
const zhang = 'zzb-zhang@county.example.org';
const evaluation = (year: number): string => `township-secretary-evaluation/county:YL/${year}`;
const programme = () => world.env.client.workflow.getHandle('programme:YL');
const redated = () => world.mail.sink.to(zhang).filter((m) => m.subject.startsWith('【截止日期调整】') && m.subject.includes('述职评议考核'));

test('an evaluation opened before its year was known is dated by the official arrangement once the worker has it: a working Sunday, then a Spring Festival', async () => {
  await designateTarget(world.env.client, world.taskQueue, roster, 'QS03', { redesignate: '2026-12-20' });
  await advanceTo(world.env, '2026-12-22T03:00:00Z');
  // 2027 is provisional: Sunday 31 January counts as a rest day.
  const before = (await programme().query(programmeStateQuery)).open.find((o) => o.id === evaluation(2026));
  expect(before).toMatchObject({ provisional: true });
  expect(before!.dueDate).not.toBe('2027-01-31');

  // The arrangement reaches the worker's calendar directory; no workflow is told.
  calendarStore(world.mail.calendarDir).install(official2027);
  await advanceTo(world.env, '2027-01-05T03:00:00Z');
  const after = await programme().query(programmeStateQuery);
  expect(after.open.find((o) => o.id === evaluation(2026))).toMatchObject({ dueDate: '2027-01-31', provisional: false });
  expect(after.history.map((h) => h.text)).toContain(`乡镇党委书记抓基层党建述职评议考核（2026年）截止日期由${before!.dueDate}调整为2027-01-31：2027年节假日安排（正式，${official2027.source}）`);
  expect(redated().map((m) => m.subject)).toEqual(['【截止日期调整】云岭县：乡镇党委书记抓基层党建述职评议考核（2026年）']);

  // A year later: the evaluation of 2027, due Monday 31 January 2028, opened with 2028 provisional.
  await advanceTo(world.env, '2027-12-20T03:00:00Z');
  expect((await programme().query(programmeStateQuery)).open.find((o) => o.id === evaluation(2027))).toMatchObject({ dueDate: '2028-01-31', provisional: true });
  calendarStore(world.mail.calendarDir).install(official2028);
  await advanceTo(world.env, '2028-01-05T03:00:00Z');
  // 31 January 2028 falls in the Spring Festival: a date outside the year it reports on moves to
  // the next working day, Thursday 3 February.
  const moved = (await programme().query(programmeStateQuery)).open.find((o) => o.id === evaluation(2027));
  expect(moved).toMatchObject({ dueDate: '2028-02-03', provisional: false });
  expect(redated()).toHaveLength(2);
  expect(redated()[1]!.text).toContain('截止日期由2028-01-31调整为2028-02-03');
}, 600_000);

test("a township continuing as new keeps the red-warned duties the county urges; each duty's rounds go on from what was sent", async () => {
  // QS has sent no half-monthly report since December 2026: its reports are red-warned one after another.
  const township = world.env.client.workflow.getHandle(townshipWorkflowId('QS'));
  // The run that began in 2028 continued the run of 2027 and started with the memo it had written.
  const started = (await township.fetchHistory()).events![0]!.workflowExecutionStartedEventAttributes!;
  expect(started.continuedExecutionRunId).toBeTruthy();
  const memo = started.memo?.fields?.[RED_WARNED_MEMO];
  expect(memo, 'the memo carried by continue-as-new').toBeDefined();
  const carried = JSON.parse(Buffer.from(memo!.data!).toString('utf8')) as { obligationId: string }[];
  expect(carried.map((i) => i.obligationId)).toContain('half-monthly-report/township:QS/2027-12-H1');

  // The December reports are urged in January across the township's new run: rounds 1, 2, 3, … each once.
  await advanceTo(world.env, '2028-02-20T03:00:00Z');
  const line = '青石镇：每半月上报整顿工作进展（2027年12月上半月）';
  const rounds = world.mail.sink
    .to(zhang)
    .filter((m) => m.subject.startsWith('【督办】'))
    .flatMap((m) => m.text.split('\n').filter((l) => l.includes(line)))
    .map((l) => Number(/第(\d+)次督办/.exec(l)?.[1]));
  expect(rounds).toEqual([1, 2, 3, 4, 5, 6]);
  expect((await township.query(townshipStateQuery)).open.some((o) => o.id === 'half-monthly-report/township:QS/2027-12-H1')).toBe(true);
}, 600_000);
