import { describe, expect, test } from 'vitest';
import { allowedCriteria, criteria, designationCandidates, flagDesignations, meetsStarCriterion, ratingHistoryText, type Designation } from '../../src/domain/criteria';
import { parseRoster } from '../../src/domain/roster';
import { evidence, testRoster } from '../support/roster';

describe('the criteria of 三 as data', () => {
  test('six criteria for villages and communities, five for other organizations', () => {
    expect(criteria.map((c) => [c.number, c.clause, c.title])).toEqual([
      [1, '三(一)', '党组织凝聚力战斗力不强'],
      [2, '三(二)', '党员队伍先锋模范作用不明显'],
      [3, '三(三)', '运行管理不规范'],
      [4, '三(四)', '落实维稳措施不得力'],
      [5, '三(五)', '干部作风不实'],
      [6, '三(六)', '村级组织星级考核等次较低'],
    ]);
    expect(allowedCriteria('community')).toEqual([1, 2, 3, 4, 5, 6]);
    expect(allowedCriteria('school')).toEqual([1, 2, 3, 4, 5]);
  });

  test.each([
    [{ stars: 2, ethnicUnityStar: true, religiousHarmonyStar: true, oneVoteVeto: false }, true, 'below three stars'],
    [{ stars: 3, ethnicUnityStar: true, religiousHarmonyStar: true, oneVoteVeto: false }, false, 'three stars do not count'],
    [{ stars: 4, ethnicUnityStar: false, religiousHarmonyStar: true, oneVoteVeto: false }, true, 'no 民族团结 star'],
    [{ stars: 4, ethnicUnityStar: true, religiousHarmonyStar: false, oneVoteVeto: false }, true, 'no 宗教和谐 star'],
    [{ stars: 5, ethnicUnityStar: true, religiousHarmonyStar: true, oneVoteVeto: true }, true, 'a one-vote veto'],
  ])('star rating %o meets criterion 6: %s (%s)', (rating, expected) => {
    expect(meetsStarCriterion(rating)).toBe(expected);
  });
});

describe('a designation is rejected, naming the field, when', () => {
  const base = {
    county: { code: 'C1', name: '某县' },
    townships: [{ code: 'T1', name: '第1镇' }],
    villages: [
      { code: 'V1', name: '一村', township: 'T1' },
      { code: 'S1', name: '镇中学', township: 'T1', orgType: 'school' },
    ],
    people: [],
  };
  const issuesOf = (designation: object): string[] => {
    const r = parseRoster({ ...base, designations: [designation] });
    return r.ok ? [] : r.issues.map((i) => `${i.path}: ${i.message}`);
  };

  test('it names an unknown criterion', () => {
    expect(issuesOf({ village: 'V1', date: '2018-10-15', criteria: [{ criterion: 7, evidence }] })).toEqual([
      'designations[0].criteria[0].criterion: 应为方案第三部分所列认定标准1–6之一',
    ]);
  });

  test('it names no criterion, or one without evidence', () => {
    expect(issuesOf({ village: 'V1', date: '2018-10-15', criteria: [] })).toEqual(['designations[0].criteria: 认定至少依据一项标准']);
    expect(issuesOf({ village: 'V1', date: '2018-10-15', criteria: [{ criterion: 1, evidence: '   ' }] })).toEqual([
      'designations[0].criteria[0].evidence: 认定依据不能为空',
    ]);
  });

  test('criterion 6 is named for an organization that is not a village or community', () => {
    expect(issuesOf({ village: 'S1', date: '2018-10-15', criteria: [{ criterion: 6, evidence }], starRating: { stars: 1, ethnicUnityStar: true, religiousHarmonyStar: true, oneVoteVeto: false } })).toEqual([
      'designations[0].criteria[0].criterion: 标准6不适用于学校党组织：只适用标准1、2、3、4、5（三）',
    ]);
  });

  test('criterion 6 comes without a star rating, or with one that does not meet it', () => {
    expect(issuesOf({ village: 'V1', date: '2018-10-15', criteria: [{ criterion: 6, evidence }] })).toEqual([
      'designations[0].starRating: 依据标准6认定须附星级评定结果（三(六)），未开展星级化创建的请注明第1项情形',
    ]);
    expect(
      issuesOf({ village: 'V1', date: '2018-10-15', criteria: [{ criterion: 6, evidence }], starRating: { stars: 3, ethnicUnityStar: true, religiousHarmonyStar: true, oneVoteVeto: false } }),
    ).toEqual(['designations[0].starRating: 标准6只适用于低于3星级、未取得“民族团结”“宗教和谐”星或维稳综治“一票否决”的村（三(六)）']);
  });

  test('三(六) point 1 (no star-rating work done at all) needs no rating', () => {
    expect(issuesOf({ village: 'V1', date: '2018-10-15', criteria: [{ criterion: 6, points: [1], evidence }] })).toEqual([]);
  });

  test('a sub-point does not exist', () => {
    expect(issuesOf({ village: 'V1', date: '2018-10-15', criteria: [{ criterion: 3, points: [2, 5], evidence }] })).toEqual([
      'designations[0].criteria[0].points[1]: 标准3只有第1–4项情形，没有第5项',
    ]);
  });

  test('the date lies before the programme, outside any cycle', () => {
    expect(issuesOf({ village: 'V1', date: '2017-06-01', criteria: [{ criterion: 1, evidence }] })).toEqual([
      'designations[0].date: 2017-06-01早于整顿工作开始日期（2018-01-01），不在任何整顿周期内',
    ]);
    expect(issuesOf({ village: 'V1', date: '2018-13-01', criteria: [{ criterion: 1, evidence }] })).toEqual([
      'designations[0].date: 日期格式应为YYYY-MM-DD（如2019-03-15）',
    ]);
  });
});

describe('checks against 以好充次 / 以中充次 (advice, not rejection)', () => {
  const roster = testRoster({ townships: 4, villagesPerTownship: 5 });
  const townshipOf = new Map(roster.villages.map((v) => [v.code, v.township]));
  const d = (village: string, text: string, extra: Partial<Designation> = {}): Designation => ({
    village,
    date: '2018-10-15',
    criteria: [{ criterion: 2, evidence: text }],
    ...extra,
  });

  test('placeholder, copied or too-short evidence is flagged with the reason; substantive evidence is not', () => {
    const flags = flagDesignations({
      designations: [
        d('T1-V1', '无'),
        d('T1-V2', '党员队伍先锋模范作用不明显'),
        d('T2-V1', '作风差'),
        d('T2-V2', evidence),
      ],
      townshipOf,
    });
    expect(flags.map((f) => [f.kind, f.subject, f.reason])).toEqual([
      ['insubstantial-evidence', { type: 'designation', village: 'T1-V1', date: '2018-10-15' }, '标准2的依据“无”没有实际内容，请核实是否存在“以好充次”“以中充次”。'],
      ['insubstantial-evidence', { type: 'designation', village: 'T1-V2', date: '2018-10-15' }, '标准2的依据照抄认定标准原文，未写明本村具体情况，请核实是否存在“以好充次”“以中充次”。'],
      ['insubstantial-evidence', { type: 'designation', village: 'T2-V1', date: '2018-10-15' }, '标准2的依据过于简略（3字），请核实是否存在“以好充次”“以中充次”。'],
    ]);
  });

  test('the same evidence text for two villages is flagged on both', () => {
    const flags = flagDesignations({ designations: [d('T1-V1', evidence), d('T3-V4', evidence)], townshipOf });
    expect(flags.map((f) => [f.subject, f.reason.split('，')[0]])).toEqual([
      [{ type: 'designation', village: 'T1-V1', date: '2018-10-15' }, '标准2的依据与T3-V4的依据完全相同'],
      [{ type: 'designation', village: 'T3-V4', date: '2018-10-15' }, '标准2的依据与T1-V1的依据完全相同'],
    ]);
  });

  test('townships that all designated the same number look like an even quota', () => {
    const text = (n: number): string => `${evidence}（第${n}份材料）`;
    const even = ['T1-V1', 'T1-V2', 'T2-V1', 'T2-V2', 'T3-V1', 'T3-V2'].map((v, i) => d(v, text(i)));
    const flags = flagDesignations({ designations: even, townshipOf });
    expect(flags.map((f) => [f.kind, f.subject])).toEqual([
      ['even-quota', { type: 'township', township: 'T1' }],
      ['even-quota', { type: 'township', township: 'T2' }],
      ['even-quota', { type: 'township', township: 'T3' }],
    ]);
    expect(flags[0]?.reason).toBe('3个乡镇认定的整顿对象均为2个，疑似按指标平均分配，请核实是否“应定尽定”、有无“以好充次”“以中充次”。');
    expect(flagDesignations({ designations: [...even, d('T3-V3', text(9))], townshipOf })).toEqual([]);
  });

  test('a village designated again after it was found transformed is flagged', () => {
    const flags = flagDesignations({
      designations: [d('T1-V1', `${evidence}一`, { transformedOn: '2019-11-28' }), d('T1-V1', `${evidence}二`, { date: '2020-03-01' })],
      townshipOf,
    });
    expect(flags).toEqual([
      {
        kind: 'redesignated-after-transformation',
        subject: { type: 'designation', village: 'T1-V1', date: '2020-03-01' },
        reason: '该村已于2019-11-28验收为转化提升，2020-03-01又被认定为整顿对象，请核实此前的转化是否属实。',
        clause: '六(五)',
      },
    ]);
  });
});

describe('star ratings and members admitted (三(六), 三(二))', () => {
  const rating = (village: string, year: number, stars: number, extra: Partial<{ ethnicUnityStar: boolean; religiousHarmonyStar: boolean; oneVoteVeto: boolean }> = {}) => ({
    village,
    year,
    stars,
    ethnicUnityStar: true,
    religiousHarmonyStar: true,
    oneVoteVeto: false,
    ...extra,
  });

  test('villages below three stars, without either star, vetoed, or admitting nobody two years running are candidates; designated ones are not', () => {
    const list = designationCandidates(
      {
        villages: ['A', 'B', 'C', 'D', 'E', 'F', 'G'].map((code) => ({ code })),
        designations: [{ village: 'G' }],
        ratings: [rating('A', 2017, 2), rating('A', 2018, 4), rating('B', 2017, 3), rating('C', 2017, 4, { ethnicUnityStar: false }), rating('D', 2017, 5, { oneVoteVeto: true }), rating('G', 2017, 1)],
        admissions: [
          { village: 'E', year: 2017, members: 0 },
          { village: 'E', year: 2018, members: 0 },
          { village: 'F', year: 2018, members: 0 }, // one year only: not yet two
        ],
      },
      2019,
    );
    // A's latest rating before 2019 is 2018's four stars; three stars is not "below three" (三(六) 不含3星级).
    expect(list).toEqual([
      { village: 'C', reasons: [{ clause: '三(六)', text: '2017年没有取得“民族团结”星' }] },
      { village: 'D', reasons: [{ clause: '三(六)', text: '2017年维稳综治工作“一票否决”' }] },
      { village: 'E', reasons: [{ clause: '三(二)', text: '2017、2018年均未发展党员（两年以上不发展党员）' }] },
    ]);
  });

  test('a target shows its rating before designation and each year since', () => {
    const ratings = [rating('Q', 2017, 2), rating('Q', 2019, 4), rating('Q', 2020, 3, { religiousHarmonyStar: false })];
    expect(ratingHistoryText(ratings, 'Q', { date: '2018-10-15' })).toBe('星级化考评：认定前（2017年）2星 → 2019年4星 → 2020年3星（无宗教和谐星）');
    expect(ratingHistoryText(ratings, 'Q', { date: '2018-10-15', starRating: { stars: 1, ethnicUnityStar: true, religiousHarmonyStar: true, oneVoteVeto: true } })).toBe(
      '星级化考评：认定时1星（一票否决） → 2019年4星 → 2020年3星（无宗教和谐星）',
    );
    expect(ratingHistoryText(ratings, 'X', { date: '2018-10-15' })).toBeUndefined();
  });
});
