import { expect, test } from 'vitest';
import { renderNotice, resolveRecipients } from '../../src/activities/notices';
import { readRosterFile } from '../../src/activities/roster-file';
import type { NoticeRequest } from '../../src/contracts/mail';
import { sampleRosterFile } from '../support/mail';

const roster = readRosterFile(sampleRosterFile);
const request = (over: Partial<NoticeRequest> = {}): NoticeRequest => ({
  type: 'notice',
  key: 'k',
  village: 'QS03',
  township: 'QS',
  subject: 'village',
  obligation: {
    id: 'first-secretary-visit/village:QS03/2027-12',
    kind: 'first-secretary-visit',
    title: '第一书记每月到村开展服务',
    clause: '四(一)1',
    periodLabel: '2027年12月',
    dueDate: '2027-12-31',
    nominalDue: '2027-12-31',
    provisional: true,
    deadlineBasis: '《方案》四(一)1',
    deadlineRule: 'last-working-day',
  },
  step: { id: 'overdue', severity: 'overdue' },
  notify: ['first-secretary', 'township-party-secretary'],
  assigned: {},
  ...over,
});

test('recipients are the current holders of the posts; an assigned person takes precedence', () => {
  expect(resolveRecipients(request(), roster).people.map((p) => p.id)).toEqual(['qs03-fs', 'qs-sec']);
  expect(resolveRecipients(request({ assigned: { 'first-secretary': 'spare-fs' } }), roster).people.map((p) => p.id)).toEqual(['spare-fs', 'qs-sec']);
  expect(resolveRecipients(request({ assigned: { 'first-secretary': 'gone' } }), roster)).toMatchObject({
    people: [{ id: 'qs-sec' }],
    missing: ['名册中无第一书记（gone）'],
  });
  expect(resolveRecipients(request({ village: 'DP06', township: 'DP', notify: ['first-secretary'] }), roster)).toEqual({
    people: [],
    missing: ['名册中东坡乡杨家村无第一书记在岗'],
  });
  expect(resolveRecipients(request({ notify: ['org-department-staff'] }), roster).people.map((p) => p.id)).toEqual(['zzb-zhang', 'zzb-li']);
});

test('a notice says what, for which village, by when (provisional when so), under which clause, and where to act', () => {
  const people = resolveRecipients(request(), roster).people;
  const n = renderNotice(request(), roster, people, 'http://rect.example.org/');
  expect(n.subject).toBe('【逾期通知】青石镇东风村：第一书记每月到村开展服务（2027年12月）');
  expect(n.text.split('\n')).toEqual([
    `${people[0]!.name}、${people[1]!.name}同志：`,
    '',
    '青石镇东风村的“第一书记每月到村开展服务”已逾期，请尽快完成并说明原因。',
    '',
    '整顿对象：青石镇东风村',
    '事项：第一书记每月到村开展服务',
    '期间：2027年12月',
    '截止日期：2027-12-31（该年度国务院节假日安排尚未公布，日期为暂定）',
    '依据：《云岭县软弱涣散农村基层党组织整顿提升两年行动工作方案》（云组通字〔2018〕21号）四(一)1',
    '',
    '办理入口：http://rect.example.org/villages/QS03/obligations/first-secretary-visit%2Fvillage%3AQS03%2F2027-12',
    '',
    '本邮件由软弱涣散农村基层党组织整顿提升工作系统自动发送，请勿直接回复。',
  ]);
});

test('the HTML body escapes what it shows', () => {
  const req = request({ obligation: { ...request().obligation, title: '<b>方案</b> & "说明"' } });
  const n = renderNotice(req, roster, [], 'http://rect.example.org');
  expect(n.html).toContain('&lt;b&gt;方案&lt;/b&gt; &amp; &quot;说明&quot;');
  expect(n.html).not.toContain('<b>方案</b>');
});

test('a moved deadline says why: within its period for the plan (五(一)), the next working day by county practice for a report', () => {
  const plan = request({ obligation: { ...request().obligation, dueDate: '2018-12-29', nominalDue: '2018-12-31', provisional: false } });
  expect(renderNotice(plan, roster, [], 'http://x').text).toContain('截止日期：2018-12-29（2018-12-31为休息日，截止日期提前至此前最后一个工作日）');
  const report = request({
    subject: 'township',
    village: '',
    obligation: { ...request().obligation, title: '每半月上报整顿工作进展', dueDate: '2019-04-01', nominalDue: '2019-03-31', provisional: false, deadlineBasis: '县委组织部工作要求', deadlineRule: 'next-working-day' },
  });
  expect(renderNotice(report, roster, [], 'http://x').text).toContain('截止日期：2019-04-01（2019-03-31为休息日，按县委组织部工作要求顺延至下一个工作日）');
});

test('a due date moved by a newly published holiday arrangement is announced with the old date and the notice it follows', () => {
  const req = request({ step: { id: 'redated-2027-12-30', severity: 'reminder' }, redated: { from: '2027-12-31', reason: '2027年节假日安排（国办发明电〔2026〕99号）' }, obligation: { ...request().obligation, dueDate: '2027-12-30', provisional: false } });
  const n = renderNotice(req, roster, [], 'http://x');
  expect(n.subject).toBe('【截止日期调整】青石镇东风村：第一书记每月到村开展服务（2027年12月）');
  expect(n.text).toContain('青石镇东风村的“第一书记每月到村开展服务”截止日期由2027-12-31调整为2027-12-30（2027年节假日安排（国办发明电〔2026〕99号））。');
  expect(n.text).toContain('原截止日期：2027-12-31');
});

test('the red warning says whose rule it follows: the county\'s, not the plan\'s', () => {
  const n = renderNotice(request({ step: { id: 'red-warning', severity: 'red-warning' }, ladderBasis: '县委组织部工作要求' }), roster, [], 'http://x');
  expect(n.text).toContain('逾期仍未完成，按县委组织部工作要求发出红色预警。');
});

test('a date the plan does not set says whose rule it is, beside the date; the clause stays the duty\'s', () => {
  const report = request({
    obligation: { ...request().obligation, id: 'first-secretary-annual-report/village:QS03/2027', kind: 'first-secretary-annual-report', title: '第一书记年度履职报告', periodLabel: '2027年', provisional: false },
  });
  const text = renderNotice(report, roster, [], 'http://rect.example.org').text.split('\n');
  expect(text).toContain('截止日期：2027-12-31（截止日期依据：县委组织部工作要求）');
  expect(text).toContain('依据：《云岭县软弱涣散农村基层党组织整顿提升两年行动工作方案》（云组通字〔2018〕21号）四(一)1');
  // A date the plan sets ("每月") carries no such note.
  expect(renderNotice(request({ obligation: { ...request().obligation, provisional: false } }), roster, [], 'http://x').text).toContain('截止日期：2027-12-31\n');
});
