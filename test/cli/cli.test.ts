import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { strFromU8, unzipSync } from 'fflate';
import { localDateOf, periodOf } from '../../src/domain/calendar';
import { sampleRosterFile } from '../support/mail';
import { useApiWorld } from '../support/api';
import { cli } from '../support/cli';

const dir = mkdtempSync(path.join(tmpdir(), 'cli-'));

describe('roster-check', () => {
  test('the sample county is valid, shows no advice on its designations, and lists the villages its records suggest', async () => {
    const r = await cli(['roster-check', sampleRosterFile]);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toBe(
      [
        '名册有效：云岭县，6个乡镇，60个村（社区），141名人员，整顿对象10个。',
        '未发现疑似“以好充次”“以中充次”的认定。',
        // 三(六), 三(二): advice for the year of the latest designation (2018), never a designation.
        '2018年可能应列为整顿对象的村（依名册的星级评定和发展党员记录提示，是否认定由县委组织部研究决定）：',
        '  青石镇光明村（QS05）：2017年星级化考评2星（低于3星）（三(六)）',
        '  柳河镇双井村（LH05）：2017年没有取得“宗教和谐”星（三(六)）',
        '  白塔乡下庄村（BT02）：2016、2017年均未发展党员（两年以上不发展党员）（三(二)）',
        '  金沙镇梨园村（JS07）：2017年维稳综治工作“一票否决”（三(六)）',
        '',
      ].join('\n'),
    );
    // A year with no records before it to speak of.
    const later = await cli(['roster-check', sampleRosterFile, '--year', '2016']);
    expect(later.stdout).toContain('2016年：名册的星级评定和发展党员记录未提示其他应列为整顿对象的村。');
    const bad = await cli(['roster-check', sampleRosterFile, '--year', '18']);
    expect(bad).toMatchObject({ code: 2, stderr: '错误：--year：应为四位年份，如2018（收到“18”）\n' });
  });

  test('a wrong roster lists every problem with file and path, and exits 2', async () => {
    const roster = JSON.parse(readFileSync(sampleRosterFile, 'utf8')) as { villages: { township: string }[]; people: { email: string }[] };
    roster.villages[3]!.township = 'XX';
    roster.people[0]!.email = 'not-an-email';
    const file = path.join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify(roster));
    const r = await cli(['roster-check', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`名册有误：\n  ${file}: people[0].email: 应为电子邮件地址\n  ${file}: villages[3].township: 没有编码为XX的乡镇\n`);
  });

  test('a roster without a post the ladders need is refused, the post and the place named, and exits 2', async () => {
    const roster = JSON.parse(readFileSync(sampleRosterFile, 'utf8')) as { people: { id: string; role: string }[] };
    roster.people = roster.people.filter((p) => p.role !== 'org-department-head' && p.id !== 'qs-org');
    const file = path.join(dir, 'no-head.json');
    writeFileSync(file, JSON.stringify(roster));
    const r = await cli(['roster-check', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${file}: people: 名册中没有县委组织部部长（org-department-head）：县的逾期通知、红色预警、督办和函询将无人接收`);
    expect(r.stderr).toContain(`${file}: people: 青石镇（QS）有整顿对象，名册中没有其组织干事（organization-officer）：该乡镇的事项和函询将无人接收`);
  });

  test('evidence that says nothing is pointed out to the organization department', async () => {
    const roster = JSON.parse(readFileSync(sampleRosterFile, 'utf8')) as { designations: { criteria: { evidence: string }[] }[] };
    roster.designations[1]!.criteria[0]!.evidence = '同上';
    const file = path.join(dir, 'advice.json');
    writeFileSync(file, JSON.stringify(roster));
    const r = await cli(['roster-check', file]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('提示：青石镇团结村：标准2的依据“同上”没有实际内容，请核实是否存在“以好充次”“以中充次”。（三）');
  });
});

describe('designate, status and list through the API, as the people who act', () => {
  // The sample county, designated this month (the dev server's clock is today's); the API in front.
  const api = useApiWorld();
  let serverEnv: Record<string, string>;

  beforeAll(() => {
    // A member of the organization department, logged in.
    serverEnv = api.cliEnv('zzb-zhang');
  });

  test('an unknown village is refused, naming the option, and nothing starts', async () => {
    const r = await cli(['designate', '--village', 'QS99'], serverEnv);
    expect(r).toMatchObject({ code: 2, stdout: '', stderr: '错误：--village: QS99 has no open designation in the roster\n' });
  });

  test('designating, twice, then reading the status and the list', async () => {
    const first = await cli(['designate', '--village', 'QS03', 'LH09'], serverEnv);
    expect(first).toMatchObject({ code: 0, stderr: '' });
    expect(first.stdout).toBe('已认定：青石镇东风村（工作流 village:QS03）\n已认定：柳河镇柳林村（工作流 village:LH09）\n');
    expect((await cli(['designate', '--village', 'QS03'], serverEnv)).code).toBe(0);

    const status = await cli(['status', 'QS03'], serverEnv);
    expect(status.code).toBe(0);
    expect(status.stdout.split('\n').slice(0, 4)).toEqual([
      '青石镇东风村（QS03）',
      `阶段：待报送整顿方案　周期：第1年（重点问题整治）　认定日期：${localDateOf(Date.now()).slice(0, 7)}-01`,
      '第一书记：史雪梅（qs03-fs）　包村领导：顾建国（qs03-liaison）',
      '整顿方案：待报送',
    ]);
    expect(status.stdout).toContain('报送整顿方案');

    let listed = '';
    for (let i = 0; i < 50 && !listed.includes('共2个'); i++) {
      listed = (await cli(['list', '--stage', 'plan-due'], serverEnv)).stdout;
    }
    expect(listed).toMatch(/^青石镇东风村　QS03　待报送整顿方案　下一截止 \d{4}-\d{2}-\d{2}　(未逾期|已逾期)　通知失败 0$/m);
    expect(listed).toContain('柳河镇柳林村　LH09　待报送整顿方案');
    expect((await cli(['list', '--township', 'BT'], serverEnv)).stdout).toBe('共0个整顿对象。\n');
    expect(await cli(['list', '--township', 'ZZ'], serverEnv)).toMatchObject({ code: 2, stderr: '错误：--township: no township ZZ in the roster\n' });
  });

  test('township reports, an inquiry letter and the ledger from the command line', async () => {
    expect((await cli(['designate', '--village', 'QS03', 'QS07'], serverEnv)).code).toBe(0);
    const period = periodOf('half-month', localDateOf(Date.now()));
    const township = await cli(['township', 'QS'], serverEnv);
    expect(township.code).toBe(0);
    expect(township.stdout.split('\n').slice(0, 2)).toEqual(['青石镇（QS）督促情况', '整顿对象：青石镇东风村（QS03）、青石镇团结村（QS07）']);

    let townships = '';
    for (let i = 0; i < 50 && !townships.includes('青石镇　QS'); i++) townships = (await cli(['townships'], serverEnv)).stdout;
    expect(townships).toMatch(/^青石镇　QS　督促中　下一截止 \d{4}-\d{2}-\d{2}　未逾期　通知失败 0$/m);
    expect((await cli(['townships', '--proposals'], serverEnv)).stdout).toBe('共0个乡镇。\n');

    // The township's organization officer reports; the template lists the township's targets.
    const officer = api.cliEnv('qs-org');
    const template = await cli(['report', 'QS', '--template'], officer);
    expect(template.code).toBe(0);
    expect(template.stdout).toContain(`period: ${period.id}\n`);
    expect(template.stdout).toContain('  - village: QS03   # 青石镇东风村\n');
    expect(template.stdout).toContain('  - village: QS07   # 青石镇团结村\n');
    const file = path.join(dir, 'report.yaml');
    writeFileSync(file, `period: ${period.id}\nreportedBy: qs-sec\nentries:\n  - village: QS03\n    progress: 调整村两委班子\n`);
    expect(await cli(['report', 'QS', '--file', file], officer)).toMatchObject({ code: 2, stderr: '错误：reportedBy：由登录身份确定，不能在请求中填写\n' });
    writeFileSync(file, `period: ${period.id}\nentries:\n  - village: QS03\n    progress: 调整村两委班子\n`);
    expect(await cli(['report', 'QS', '--file', file], officer)).toMatchObject({ code: 3, stderr: '错误：entries：缺少QS07的进展（每个整顿对象一条）\n' });
    expect(await cli(['report', 'QS', '--file', file], api.cliEnv('lh-org'))).toMatchObject({ code: 3, stderr: '错误：杨桂兰（组织干事）只能对本乡镇上报半月进展，不能对乡镇QS上报半月进展\n' });
    writeFileSync(file, `period: ${period.id}\nentries:\n  - village: QS03\n    progress: 调整村两委班子\n  - village: QS07\n    progress: 清理集体土地合同\n`);
    const reported = await cli(['report', 'QS', '--file', file], officer);
    expect(reported).toMatchObject({ code: 0, stderr: '' });
    expect(reported.stdout).toBe(`已报送：青石镇，报送${period.label}整顿工作进展（2个整顿对象）\n`);

    // Only the organization department issues letters (六(四)); who issues is the logged-in person.
    expect(await cli(['inquiry', 'issue', '--township', 'QS', '--reason', '整顿进展缓慢'], api.cliEnv('qs-sec'))).toMatchObject({
      code: 3,
      stderr: '错误：张振华（乡镇党委书记）无权发出函询或约谈\n',
    });
    const noProposal = await cli(['inquiry', 'issue', '--township', 'QS', '--reason', '整顿进展缓慢', '--proposal', '2019-Q1'], serverEnv);
    expect(noProposal.code).toBe(2);
    expect(noProposal.stderr).toContain('proposalQuarter：QS没有2019-Q1的函询建议');
    const issued = await cli(['inquiry', 'issue', '--township', 'QS', '--reason', '整顿进展缓慢', '--case', 'CLI-1'], serverEnv);
    expect(issued).toMatchObject({ code: 0, stderr: '' });
    expect(issued.stdout.split('\n').slice(0, 5)).toEqual([
      '函询案件 CLI-1：青石镇',
      `状态：待书面说明　发出：${localDateOf(Date.now())}（王建国（zzb-zhang））`,
      `文号：云组函〔${localDateOf(Date.now()).slice(0, 4)}〕1号`,
      '对象：张振华（qs-sec）、刘志强（qs-org）',
      '事由：整顿进展缓慢',
    ]);
    // Its record names who acted by name, as the workbench does, never by roster id.
    expect(issued.stdout).toMatch(/^ {2}\d{4}-\d{2}-\d{2} \d{2}:\d{2}　县委组织部函询：整顿进展缓慢；书面说明须于[\d-]+前报送（王建国）$/m);
    expect(issued.stdout).not.toContain('（zzb-zhang）\n');
    // The list says the stage in Chinese and the time as China time, said so.
    let cases = '';
    for (let i = 0; i < 50 && !cases.includes('CLI-1'); i++) cases = (await cli(['inquiry', 'list'], serverEnv)).stdout;
    expect(cases).toMatch(/^CLI-1　青石镇　待书面说明　\d{4}-\d{2}-\d{2} \d{2}:\d{2}（北京时间）$/m);
    const docx = path.join(dir, 'letter.docx');
    expect((await cli(['inquiry', 'letter', 'CLI-1', '--out', docx], serverEnv)).stdout).toBe(`已生成：关于青石镇软弱涣散农村基层党组织整顿工作的函询函（${docx}）\n`);
    expect(strFromU8(unzipSync(new Uint8Array(readFileSync(docx)))['word/document.xml']!)).toContain('整顿进展缓慢');
    expect(strFromU8(unzipSync(new Uint8Array(readFileSync(docx)))['word/document.xml']!)).toContain(`云组函〔${localDateOf(Date.now()).slice(0, 4)}〕1号`);

    const year = localDateOf(Date.now()).slice(0, 4);
    let awards = '';
    for (let i = 0; i < 50 && !awards.includes('共2条'); i++) awards = (await cli(['ledger', 'awards', '--year', year], serverEnv)).stdout;
    expect(awards.split('\n')[0]).toBe(`张振华（qs-sec）　${year}-01-01至${year}-12-31　${localDateOf(Date.now())}被函询，${year}年度不得评先选优　依据六(四)　案件 CLI-1`);
    expect(awards).toContain(`${year}年度不得评先选优：共2条。`);
    expect(await cli(['ledger', 'promotion', '--date', '2020-13-01'], serverEnv)).toMatchObject({ code: 2, stderr: '错误：--date: 2020-13-01 is not a date like 2020-06-01\n' });
    expect((await cli(['ledger', 'promotion', '--date', localDateOf(Date.now())], serverEnv)).stdout).toBe(`${localDateOf(Date.now())}不得提拔使用：共0条。\n`);
  });

  test('status of a village never designated: not found; with a broken roster file the status still shows, and says why names are missing', async () => {
    expect(await cli(['status', 'SL01'], serverEnv)).toMatchObject({ code: 4, stderr: '错误：没有整顿对象SL01的工作流\n' });
    await cli(['designate', '--village', 'QS03'], serverEnv);
    const broken = path.join(dir, 'broken.json');
    writeFileSync(broken, '{"county": ');
    const status = await cli(['status', 'QS03', '--roster', broken], serverEnv);
    expect(status.code).toBe(0);
    expect(status.stderr).toMatch(/^注意：名册文件有误，姓名和名称暂以编码显示。/);
    expect(status.stdout.split('\n')[0]).toBe('QS03（QS03）');
    expect(JSON.parse((await cli(['status', 'QS03', '--json'], serverEnv)).stdout)).toMatchObject({ village: 'QS03' });
  });
});
