import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { readRosterFile } from '../../src/activities/roster-file';
import { stateQuery } from '../../src/contracts/village';
import { DeliveryDelayedKey, FailedDeliveriesKey } from '../../src/search-attributes';
import { sampleRosterFile, type MailHarness } from '../support/mail';
import { type VillageWorld, advanceTo, recordHistories, startVillage, startVillageWorld } from '../support/village';

const roster = readRosterFile(sampleRosterFile);
let world: VillageWorld;
let env: TestWorkflowEnvironment;
let mail: MailHarness;
let taskQueue: string;

// 西坡村's first secretary has no mailbox (550). 四方村's two notices go out together: the server refuses
// one (451) and accepts the other; the retried batch must not send the accepted one again.
const noMailbox = 'bt05-fs@county.example.org';
const flaky = 'sl08-fs@county.example.org';
let refusalsLeft = 1;
// 李家村 (DP01): the county's mail server is down for an hour.
const outage = 'dp01-fs@county.example.org';
let serverDown = false;

beforeAll(async () => {
  world = await startVillageWorld({ startAt: '2018-10-22T00:00:00Z' });
  ({ env, mail, taskQueue } = world);
  mail.sink.policy = (address) => {
    if (address === noMailbox) return 'reject-permanent';
    if (address === outage && serverDown) return 'reject-transient';
    if (address === flaky && refusalsLeft > 0) {
      refusalsLeft--;
      return 'reject-transient';
    }
    return 'accept';
  };
});

afterAll(async () => {
  await world?.close();
});

test('a permanently failed delivery is recorded and visible; a transient one is retried and delivered once', async () => {
  const bt05 = await startVillage(env, taskQueue, roster, 'BT05');
  const sl08 = await startVillage(env, taskQueue, roster, 'SL08');
  await advanceTo(env, '2018-10-27T00:00:00Z'); // after the reminders of 26 October, 09:00

  // Permanent: the query and the search attribute show it, the ladder goes on.
  const failed = await bt05.query(stateQuery);
  expect(failed.failedDeliveryCount).toBe(2);
  expect(failed.failedDeliveries.map((f) => [f.obligationId, f.step, f.recipients, f.error.split(' No such')[0]])).toEqual([
    ['first-secretary-visit/village:BT05/2018-10', 'reminder', [noMailbox], `${noMailbox}: SMTP 550: Can't send mail - all recipients were rejected: 550 5.1.1`],
    ['first-secretary-symposium/village:BT05/2018-10', 'reminder', [noMailbox], `${noMailbox}: SMTP 550: Can't send mail - all recipients were rejected: 550 5.1.1`],
  ]);
  expect(failed.history.some((h) => h.type === 'delivery-failed' && h.text.startsWith(`通知未能送达：第一书记每月到村开展服务（2018年10月）：${noMailbox}: SMTP 550`))).toBe(true);
  expect((await bt05.describe()).typedSearchAttributes.get(FailedDeliveriesKey)).toBe(2);
  await advanceTo(env, '2018-11-01T00:00:00Z'); // the due-day step of 31 October is tried too
  expect((await bt05.query(stateQuery)).failedDeliveryCount).toBe(4);

  // Transient: one refused, the batch retried, each notice arrived exactly once.
  const arrived = mail.sink.to(flaky).map((m) => m.subject);
  expect(arrived.filter((s) => s === '【提醒】松岭乡四方村：第一书记每月到村开展服务（2018年10月）')).toHaveLength(1);
  expect(arrived.filter((s) => s === '【提醒】松岭乡四方村：第一书记每月与村民座谈交流（2018年10月）')).toHaveLength(1);
  expect(refusalsLeft).toBe(0);
  expect((await sl08.query(stateQuery)).failedDeliveryCount).toBe(0);
  await recordHistories(env, sl08.workflowId, sl08.firstExecutionRunId, 'village-delivery-retried');
  await recordHistories(env, bt05.workflowId, bt05.firstExecutionRunId, 'village-delivery-failed');
});

test('while the mail server is down the delay is visible to operators, and the notices go out once it is back', async () => {
  const dp01 = await startVillage(env, taskQueue, roster, 'DP01');
  await advanceTo(env, '2018-11-26T12:00:00Z');
  serverDown = true;
  await advanceTo(env, '2018-11-27T01:40:00Z'); // the month-end reminders were due at 09:00 China time

  const delayed = await dp01.query(stateQuery);
  expect(delayed.deliveryDelayed).toMatchObject({ since: expect.stringMatching(/^2018-11-27T01:00/), pending: 2, attempts: 2, retryAt: expect.stringMatching(/^2018-11-27T01:[4-5]\d/) });
  expect(delayed.deliveryDelayed?.lastError).toContain('451');
  expect(delayed.history.some((h) => h.type === 'delivery-delayed' && h.text.startsWith('通知暂未发出（2条，邮件服务器暂不可用'))).toBe(true);
  expect((await dp01.describe()).typedSearchAttributes.get(DeliveryDelayedKey)).toBe(true);
  expect(mail.sink.to(outage).filter((m) => m.subject.includes('2018年11月'))).toEqual([]);

  // An hour later the server is back: each notice arrives once, and the flag is cleared.
  await advanceTo(env, '2018-11-27T02:00:00Z');
  serverDown = false;
  await advanceTo(env, '2018-11-27T03:00:00Z'); // retries back off: 09:15, 09:45, 10:45 China time
  expect(mail.sink.to(outage).map((m) => m.subject).filter((s) => s.includes('2018年11月')).sort()).toEqual([
    '【提醒】东坡乡李家村：第一书记每月与村民座谈交流（2018年11月）',
    '【提醒】东坡乡李家村：第一书记每月到村开展服务（2018年11月）',
  ]);
  const after = await dp01.query(stateQuery);
  expect(after.deliveryDelayed).toBeUndefined();
  expect(after.failedDeliveryCount).toBe(0);
  expect(after.history.some((h) => h.type === 'delivery-resumed')).toBe(true);
  expect((await dp01.describe()).typedSearchAttributes.get(DeliveryDelayedKey)).toBe(false);
  await recordHistories(env, dp01.workflowId, dp01.firstExecutionRunId, 'village-smtp-outage');
}, 300_000);
