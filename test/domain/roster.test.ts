import { describe, expect, test } from 'vitest';
import { holders, parseRoster } from '../../src/domain/roster';

describe('a malformed roster is rejected with every problem and its path', () => {
  test('unknown references, missing posts, bad emails, duplicates', () => {
    const r = parseRoster({
      county: { code: 'C1', name: '某县' },
      townships: [{ code: 'T1', name: '第1镇' }],
      villages: [
        { code: 'V1', name: '一村', township: 'T9' },
        { code: 'V1', name: '重复村', township: 'T1' },
      ],
      people: [
        { id: 'p1', name: '张三', email: 'not-an-email', role: 'township-party-secretary', township: 'T1' },
        { id: 'p2', name: '李四', email: 'li@county.example.org', role: 'organization-officer' },
        { id: 'p3', name: '王五', email: 'wang@county.example.org', role: 'first-secretary', village: 'V7' },
        { id: 'p4', name: '赵六', email: 'zhao@county.example.org', role: 'mayor' },
      ],
      designations: [{ village: 'V8', date: '2018-10-15', criteria: [{ criterion: 1, evidence: '具体情况具体情况具体情况具体情况' }] }],
    });
    expect(r.ok).toBe(false);
    expect(r.ok ? [] : r.issues.map((i) => `${i.path}: ${i.message}`)).toEqual([
      'people[0].email: 应为电子邮件地址',
      'people[3].role: 应为以下之一：township-party-secretary、organization-officer、township-liaison、village-contact-cadre、party-building-instructor、first-secretary、village-party-secretary、village-committee-member、county-leader、paired-department-leader、joint-meeting-member、org-department-staff、org-department-head、operator',
    ]);
  });

  test('referential problems are listed once the shapes are right', () => {
    const r = parseRoster({
      county: { code: 'C1', name: '某县' },
      townships: [{ code: 'T1', name: '第1镇' }],
      villages: [
        { code: 'V1', name: '一村', township: 'T9' },
        { code: 'V1', name: '重复村', township: 'T1' },
      ],
      people: [
        { id: 'p2', name: '李四', email: 'li@county.example.org', role: 'organization-officer' },
        { id: 'p3', name: '王五', email: 'wang@county.example.org', role: 'first-secretary', village: 'V7' },
      ],
      designations: [{ village: 'V8', date: '2018-10-15', criteria: [{ criterion: 1, evidence: '具体情况具体情况具体情况具体情况' }] }],
    });
    expect(r.ok ? [] : r.issues.map((i) => `${i.path}: ${i.message}`)).toEqual([
      'villages[1].code: 编码V1重复',
      'villages[0].township: 没有编码为T9的乡镇',
      'people[0].township: 组织干事是乡镇职务：须填写所在乡镇',
      'people[1].village: 没有编码为V7的村',
      'designations[0].village: 没有编码为V8的村',
    ]);
  });
});

test('when a post changes hands the newest holder comes first (六(一), AB岗)', () => {
  const r = parseRoster({
    county: { code: 'C1', name: '某县' },
    townships: [{ code: 'T1', name: '第1镇' }],
    villages: [{ code: 'V1', name: '一村', township: 'T1' }],
    people: [
      { id: 'old', name: '前任', email: 'old@county.example.org', role: 'first-secretary', village: 'V1', since: '2018-03-01' },
      { id: 'new', name: '继任', email: 'new@county.example.org', role: 'first-secretary', village: 'V1', since: '2019-05-01' },
    ],
  });
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  expect(holders(r.roster, 'first-secretary', { village: 'V1' }).map((p) => p.id)).toEqual(['new', 'old']);
});
