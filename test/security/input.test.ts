import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { bundledYears } from '../../src/activities/calendar-store';
import { text } from '../../src/contracts/common';
import { submitExplanationSchema } from '../../src/contracts/inquiry';
import { unusualArrangement, type CalendarYear } from '../../src/domain/calendar';
import { rosterSchema } from '../../src/domain/roster';
import { permissions, may, actions, type Actor, type EntityRef } from '../../src/service/authorization';
import { FlashStore, safeBack } from '../../src/web/flash';
import { withAttestations } from '../../src/web/kit';
import { isLoopback } from '../../src/api/main';
import { FormFieldError, formToBody, parseForm, parseUrlEncoded } from '../../src/web/forms';
import { official2027 } from '../support/calendar';
import { readFileSync } from 'node:fs';
import { sampleRosterFile } from '../support/mail';

/** What a form field name or a link may do to the process, without a server: nothing. */
describe('form field names never reach a prototype', () => {
  test('the attack of the security review is refused with the field named, and Object.prototype is untouched', () => {
    const form = parseUrlEncoded('constructor.prototype.village-party-secretary=county&summary=x');
    expect(() => formToBody(form)).toThrow(FormFieldError);
    expect(() => formToBody(form)).toThrow('不接受字段名“constructor.prototype.village-party-secretary”');
    for (const name of ['x.__proto__', 'a.__proto__.b', 'prototype', 'entries.0.constructor', 'x..y', 'entries.100000.progress']) {
      expect(() => formToBody({ [name]: 'v' }), name).toThrow(FormFieldError);
    }
    expect(Object.keys(Object.prototype)).toEqual([]);
    // A name starting with _ is one of the form's own fields (_csrf, _back), never part of the body.
    expect(Object.keys(formToBody({ '__proto__.x': 'v' }))).toEqual([]);
    expect(({} as Record<string, unknown>)['village-party-secretary']).toBeUndefined();
  });

  test('ordinary names still build the body the API takes', () => {
    const body = formToBody({ 'entries.0.village': 'QS03', 'entries.0.progress': '推进', 'entries.1.village': 'QS07', 'year:number': '2026', 'transformed:bool': 'on', 'measures:lines': 'a\n\nb', 'note:optional': '', _csrf: 't' });
    expect(JSON.parse(JSON.stringify(body))).toEqual({ entries: [{ village: 'QS03', progress: '推进' }, { village: 'QS07' }], year: 2026, transformed: true, measures: ['a', 'b'] });
    expect(Object.getPrototypeOf(body)).toBeNull();
  });

  test('rows of a repeated group: a row left empty leaves no gap, its own values go only where the row has others, and a problem finds its field', () => {
    const { body, fieldOf } = parseForm({
      'measures.0.stage:row': 'rectify',
      'measures.1.stage:row': 'rectify',
      'measures.1.what:optional': '',
      'measures.2.stage:row': 'consolidate',
      'measures.2.what:optional': '建立台账',
      'measures.2.owner:optional': 'qs-sec',
      'problems.0.criterion:row-number': '2',
      'problems.0.problem:optional': '',
      'problems.1.criterion:row-number': '5',
      'problems.1.problem:optional': '作风不实',
    });
    expect(JSON.parse(JSON.stringify(body))).toEqual({ measures: [{ stage: 'consolidate', what: '建立台账', owner: 'qs-sec' }], problems: [{ criterion: 5, problem: '作风不实' }] });
    expect(fieldOf('measures.0.owner')).toBe('measures.2.owner');
    expect(fieldOf('problems.0.problem')).toBe('problems.1.problem');
    expect(fieldOf('summary')).toBe('summary');
  });

  test('a report row attests its routine duties by kind and the plan’s measures by their duty’s id, a measure without a date left out', () => {
    const { body } = parseForm({
      'entries.0.village': 'QS03',
      'entries.0.attest.flag-raising:optional': '2019-03-01',
      'entries.0.measures.0.obligationId:row': 'plan-measure/village:QS03/2018-r0/m1',
      'entries.0.measures.0.date:optional': '',
      'entries.0.measures.1.obligationId:row': 'plan-measure/village:QS03/2018-r0/m3',
      'entries.0.measures.1.date:optional': '2019-03-05',
    });
    expect(JSON.parse(JSON.stringify(withAttestations(body)))).toEqual({
      entries: [{ village: 'QS03', duties: [{ kind: 'flag-raising', date: '2019-03-01' }, { kind: 'plan-measure', obligationId: 'plan-measure/village:QS03/2018-r0/m3', date: '2019-03-05' }] }],
    });
  });

  test('random nested names, the three dangerous ones among them: no new key on Object.prototype, the authorization table answers as before', () => {
    const roles = Object.keys(permissions['read']).concat(['operator']) as Actor['role'][];
    const entities: EntityRef[] = [{ kind: 'county' }, { kind: 'township', township: 'QS' }, { kind: 'village', township: 'QS', village: 'QS03' }, { kind: 'case', township: 'QS', caseId: 'c' }];
    const matrix = (): string =>
      JSON.stringify(roles.map((role) => actions.map((a) => entities.map((e) => may({ id: 'p', name: 'p', role, township: 'QS', village: 'QS03' }, a, e)))));
    const before = matrix();
    const segment = fc.oneof(fc.constantFrom('__proto__', 'constructor', 'prototype', '0', '1', 'entries', 'village-party-secretary', 'toString'), fc.string({ minLength: 1, maxLength: 6 }));
    const name = fc.array(segment, { minLength: 1, maxLength: 5 }).map((s) => s.join('.'));
    fc.assert(
      fc.property(fc.array(fc.tuple(name, fc.constantFrom('county', 'x', '1')), { maxLength: 6 }), (fields) => {
        const encoded = fields.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
        try {
          formToBody(parseUrlEncoded(encoded));
        } catch (err) {
          if (!(err instanceof FormFieldError)) throw err;
        }
        expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(Object.getOwnPropertyNames(Object.getPrototypeOf({})).sort());
        expect(Object.keys(Object.prototype)).toEqual([]);
        expect(Object.keys(Array.prototype)).toEqual([]);
      }),
      { numRuns: 2_000 },
    );
    expect(matrix()).toBe(before);
  });
});

describe('pages show only what the server chose', () => {
  test('next: only a path of this site', () => {
    for (const bad of ['/\\evil.example/phish', '//evil.example', 'https://evil.example', '/\u0000x', '/a b', 'javascript:alert(1)', '\\\\evil', '/%5C'.replace('%5C', '\\')]) {
      expect(safeBack(bad), bad).toBe('/');
    }
    for (const good of ['/', '/villages/QS03', '/dashboard?stage=plan-due', '/townships/QS#report']) expect(safeBack(good)).toBe(good);
  });

  test('a message is shown only to the person it was kept for, by a key the server made', () => {
    let now = 1_000_000;
    const store = new FlashStore(() => now);
    const key = store.put('qs-org', { done: '上报半月整顿工作进展' });
    expect(store.get(key, 'qs-org')).toEqual({ done: '上报半月整顿工作进展' });
    expect(store.get(key, 'lh-sec')).toBeUndefined();
    expect(store.get('请将验证码发送至 it-support@evil.example', undefined)).toBeUndefined();
    now += 11 * 60_000;
    expect(store.get(key, 'qs-org')).toBeUndefined();
  });
});

test('the local mailbox and cookies without Secure belong to loopback alone', () => {
  for (const h of ['127.0.0.1', 'localhost', '::1', '127.1.2.3']) expect(isLoopback(h), h).toBe(true);
  for (const h of ['0.0.0.0', '::', '192.168.1.10', '10.0.0.5', 'rect.county.example.org']) expect(isLoopback(h), h).toBe(false);
});

describe('text that lies about its direction', () => {
  test('a right-to-left override or a control character in free text is refused with the field named', () => {
    const r = submitExplanationSchema.safeParse({ by: 'qs-sec', rootCause: '根源\u202eCBA', measures: '措施措施措施', timeLimit: '2030-01-01' });
    expect(r.success).toBe(false);
    expect(r.error!.issues.map((i) => [i.path.join('.'), i.message])).toContainEqual(['rootCause', expect.stringContaining('文字方向控制符')]);
    expect(text(1, 100, '说明').safeParse('第一行\n第二行\t缩进').success).toBe(true);
    expect(text(1, 100, '说明').safeParse('响铃\u0007').success).toBe(false);
    expect(text(1, 100, '说明').safeParse('隔离\u2066x\u2069').success).toBe(false);
  });

  test('the roster refuses line breaks and controls in names and addresses', () => {
    const roster = JSON.parse(readFileSync(sampleRosterFile, 'utf8')) as { people: { name: string; email: string }[]; villages: { name: string }[] };
    expect(rosterSchema.safeParse(roster).success).toBe(true);
    roster.people[0]!.name = '张三\r\n抄送：李四';
    roster.villages[0]!.name = '东风\u202e村';
    const r = rosterSchema.safeParse(roster);
    expect(r.success).toBe(false);
    expect(r.error!.issues.map((i) => i.path.join('.'))).toEqual(expect.arrayContaining(['people.0.name', 'villages.0.name']));
  });
});

describe('a holiday calendar no State Council notice would make', () => {
  test('every shipped year and the test year are plausible', () => {
    // Every year of the programme and since; 2015 had a one-off commemoration day (see unusualArrangement).
    for (const y of bundledYears().filter((x) => x.year >= 2016)) expect(unusualArrangement(y), String(y.year)).toEqual([]);
    expect(unusualArrangement(official2027)).toEqual([]);
  });

  test('7–31 December as holidays is refused with the reason', () => {
    const holidays: Record<string, string> = { ...official2027.holidays };
    for (let d = 7; d <= 31; d++) holidays[`2027-12-${String(d).padStart(2, '0')}`] = '元旦';
    const problems = unusualArrangement({ ...official2027, holidays } as CalendarYear);
    expect(problems.map((p) => p.message)).toContainEqual(expect.stringMatching(/^2027-12-07起连续休息25天，超过国务院通常安排的最长假期（12天）$/));
    expect(unusualArrangement({ ...official2027, holidays: { ...official2027.holidays, '2027-06-01': '儿童节' } }).map((p) => p.path)).toEqual(['holidays.2027-06-01']);
  });
});
