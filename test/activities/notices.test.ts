import { expect, test } from 'vitest';
import { renderNotice, resolveRecipients } from '../../src/activities/notices';
import { readRosterFile } from '../../src/activities/roster-file';
import type { NoticeRequest } from '../../src/contracts/village';
import { sampleRosterFile } from '../support/mail';

const roster = readRosterFile(sampleRosterFile);
const request = (over: Partial<NoticeRequest> = {}): NoticeRequest => ({
  key: 'k',
  village: 'QS03',
  township: 'QS',
  obligation: {
    id: 'first-secretary-visit/village:QS03/2027-12',
    kind: 'first-secretary-visit',
    title: '第一书记每月到村开展服务',
    clause: '四(一)1',
    periodLabel: '2027年12月',
    dueDate: '2027-12-31',
    nominalDue: '2027-12-31',
    provisional: true,
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
    missing: ['first-secretary gone is not in the roster'],
  });
  expect(resolveRecipients(request({ village: 'DP06', township: 'DP', notify: ['first-secretary'] }), roster)).toEqual({
    people: [],
    missing: ['no first-secretary for DP06 in the roster'],
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
    '依据：《某县软弱涣散农村基层党组织整顿提升两年行动工作方案》四(一)1',
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
