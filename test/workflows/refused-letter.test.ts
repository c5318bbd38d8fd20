import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test } from 'vitest';
import { designateTarget, issueInquiry } from '../../src/client/supervision';
import { retryDeliveriesUpdate } from '../../src/contracts/entity';
import { inquiryStateQuery, recordDeliveryUpdate, type InquiryView } from '../../src/contracts/inquiry';
import { readRosterFile } from '../../src/activities/roster-file';
import { sampleRosterFile } from '../support/mail';
import { rejection } from '../support/temporal';
import { advanceTo, recordHistories, useVillageWorld } from '../support/village';

/**
 * A letter the mail server refuses for good (六(四)): 白塔乡's party secretary and organization
 * officer have addresses the server does not know. The case says so and owes no explanation
 * until the letter is delivered; after the roster is mended, the operator's 立即重发 sends it, and
 * the explanation is owed from that day, the deadline the resent letter states. 东坡乡's letter is
 * refused too and handed over instead: the department records the delivery.
 */
const dir = mkdtempSync(path.join(tmpdir(), 'refused-letter-'));
const rosterFile = path.join(dir, 'roster.json');
copyFileSync(sampleRosterFile, rosterFile);
const roster = readRosterFile(rosterFile);
const world = useVillageWorld({ startAt: '2019-02-26T00:00:00Z', rosterFile });
const unknown = new Set(['bt-sec@township.example.org', 'bt-org@township.example.org', 'dp-sec@township.example.org', 'dp-org@township.example.org']);
const zhang = 'zzb-zhang@county.example.org';

async function until(handle: { query: (q: typeof inquiryStateQuery) => Promise<InquiryView> }, ok: (v: InquiryView) => boolean): Promise<InquiryView> {
  for (let i = 0; i < 200; i++) {
    const v = await handle.query(inquiryStateQuery);
    if (ok(v)) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the case did not come to the state awaited');
}

test('a letter refused for good waits for its delivery: resent after the roster is mended, or recorded as handed over', async () => {
  world.mail.sink.policy = (address) => (unknown.has(address) ? 'reject-permanent' : 'accept');
  for (const v of ['BT05', 'DP01']) await designateTarget(world.env.client, world.taskQueue, roster, v);
  await advanceTo(world.env, '2019-03-01T02:00:00Z');
  const bt = await issueInquiry(world.env.client, world.taskQueue, roster, { township: 'BT', reason: '西坡村整顿方案逾期未报送', issuedBy: 'zzb-li', caseId: 'BT-2019-009' });
  const dp = await issueInquiry(world.env.client, world.taskQueue, roster, { township: 'DP', reason: '半月进展多次未报送', issuedBy: 'zzb-li', caseId: 'DP-2019-010' });
  expect(bt.opened?.explanationDue).toBe('2019-03-15');

  // Refused by the server for both addressees: the case says so with the server's reply.
  const refused = await until(bt, (v) => v.letterRefused !== undefined);
  expect(refused.letterRefused!.error).toContain('550');
  expect(refused.letterDelivered).toBeUndefined();
  expect(refused.history.map((h) => h.text)).toContainEqual(expect.stringContaining('函询函未能送达任何收件人'));
  await until(dp, (v) => v.letterRefused !== undefined);

  // Past the deadline the letter gave: nobody received it, so no explanation is overdue and no talk follows.
  await advanceTo(world.env, '2019-03-18T02:00:00Z');
  expect(await bt.query(inquiryStateQuery)).toMatchObject({ stage: 'awaiting-explanation', explanationDue: '2019-03-15' });
  expect(world.mail.sink.to(zhang).map((m) => m.subject)).not.toContain('【需约谈】白塔乡（案号BT-2019-009）');

  // The township's secretary's address is mended in the roster; the operator asks to send again.
  const mended = JSON.parse(readFileSync(rosterFile, 'utf8')) as { people: { id: string; email: string }[] };
  mended.people.find((p) => p.id === 'bt-sec')!.email = 'baita.sec@township.example.org';
  writeFileSync(rosterFile, JSON.stringify(mended));
  await bt.executeUpdate(retryDeliveriesUpdate, { args: [{ by: 'ops-wu' }] });
  const [letter] = await world.mail.sink.waitFor((m) => m.envelopeTo.includes('baita.sec@township.example.org') && m.subject.startsWith('【函询】'));
  // The explanation is owed from the day the letter went out again (10 working days), as the letter says.
  expect(letter!.text).toContain('于2019年4月1日前');
  const delivered = await until(bt, (v) => v.letterDelivered !== undefined);
  expect(delivered).toMatchObject({ letterDelivered: { on: '2019-03-18', means: '邮件' }, explanationDue: '2019-04-01', stage: 'awaiting-explanation' });
  expect(delivered.letterRefused).toBeUndefined();
  expect(delivered.open.find((o) => o.kind === 'written-explanation')?.dueDate).toBe('2019-04-01');
  const texts = delivered.history.map((h) => h.text);
  expect(texts).toContainEqual(expect.stringMatching(/运维人员要求立即重发通知（[1-9]\d*条）/));
  expect(texts).toContain('函询函已于2019-03-18送达（邮件）');
  expect(texts).toContain('书面说明截止日期自2019-03-18起计算，改为2019-04-01');

  // 东坡乡's letter is handed over on the 19th: a date before the letter is refused, as is a second record.
  await advanceTo(world.env, '2019-03-19T08:00:00Z');
  expect(await rejection(dp.executeUpdate(recordDeliveryUpdate, { args: [{ by: 'zzb-li', on: '2019-02-28', means: '当面送达' }] }))).toMatchObject({ message: expect.stringContaining('on') });
  await dp.executeUpdate(recordDeliveryUpdate, { args: [{ by: 'zzb-li', on: '2019-03-19', means: '当面送达' }] });
  const handed = await dp.query(inquiryStateQuery);
  expect(handed).toMatchObject({ letterDelivered: { on: '2019-03-19', means: '当面送达', by: 'zzb-li' }, explanationDue: '2019-04-02' });
  expect(handed.letterRefused).toBeUndefined();
  // Handed over, it is not mailed again by a later 立即重发 (the roster still has the wrong addresses).
  await dp.executeUpdate(retryDeliveriesUpdate, { args: [{ by: 'ops-wu' }] });
  // The duty's reminders are tried again (and refused again); the letter is not.
  const resent = await until(dp, (v) => {
    const at = v.history.findIndex((h) => h.text.startsWith('运维人员要求立即重发'));
    return at >= 0 && v.history.slice(at).some((h) => h.text.startsWith('通知未能送达'));
  });
  expect(resent.history.filter((h) => h.text.startsWith('通知未能送达：函询函：'))).toHaveLength(1);
  expect(await rejection(dp.executeUpdate(recordDeliveryUpdate, { args: [{ by: 'zzb-li', on: '2019-03-19', means: '机要交换' }] }))).toMatchObject({ message: expect.stringContaining('已于2019-03-19送达') });
  await recordHistories(world.env, bt.workflowId, (await bt.describe()).runId, 'case-refused-letter', 1);
}, 120_000);
