import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, test } from 'vitest';
import { renderCaseMail, resolveCaseRecipients } from '../../src/activities/case-mails';
import { caseLetter } from '../../src/documents/letters';
import { officialLetter, officialLetterDocx } from '../../src/documents/official-letter';
import { docxToPdf } from '../../src/documents/pdf';
import { renderNotice } from '../../src/activities/notices';
import { readRosterFile } from '../../src/activities/roster-file';
import type { CaseFacts, CaseMailRequest, NoticeRequest } from '../../src/contracts/mail';
import { sampleRosterFile } from '../support/mail';

const roster = readRosterFile(sampleRosterFile);
const name = (id: string): string => roster.people.find((p) => p.id === id)!.name;
const facts: CaseFacts = { caseId: 'LH-2019-Q1-inquiry', kind: 'inquiry' as const, reason: '2019年1月两次未按时报送整顿工作进展', issuedBy: 'zzb-zhang', issuedOn: '2019-02-12', recipients: ['lh-sec', 'lh-org'], explanationDue: '2019-02-26' };
const request = (over: Partial<CaseMailRequest> = {}): CaseMailRequest => ({ type: 'case', key: 'k', kind: 'inquiry-letter', township: 'LH', people: ['lh-sec', 'lh-org'], roles: [], case: facts, ...over });

describe('the inquiry letter (六(四))', () => {
  test('names the addressees, the reason, the deadline and the three parts of the explanation, and is signed by the department', () => {
    const letter = caseLetter(facts, 'LH', roster);
    const names = resolveCaseRecipients(request(), roster).people.map((p) => p.name).join('、');
    expect(letter.title).toBe('关于柳河镇软弱涣散农村基层党组织整顿工作的函询函');
    expect(letter.salutation).toBe(`${names}同志：`);
    expect(letter.paragraphs.join('')).toContain('现就以下问题向你们函询：2019年1月两次未按时报送整顿工作进展。');
    // 六（四）: the county committee (县委) inquires; the department writes on its behalf, clauses in full-width brackets.
    expect(letter.paragraphs[0]).toMatch(/^受县委委托，根据《云岭县软弱涣散农村基层党组织整顿提升两年行动工作方案》（云组通字〔2018〕21号）六（四）的规定，/);
    expect(letter.paragraphs.join('')).toContain('请你们作出书面说明，检讨问题根源、提出整顿措施、明确整顿时限（六（四）），并按县委组织部工作要求于2019年2月26日前通过整顿工作系统报送，或书面报送县委组织部。');
    expect(letter.paragraphs.join('')).toContain('凡是被函询、约谈的，当年不得评先选优');
    expect(letter.signature).toEqual(['中共云岭县委组织部', '2019年2月12日']);
  });

  test('goes out as a mail with the letter as a Word document in the official layout, and its PDF when LibreOffice is there', async () => {
    const [person] = resolveCaseRecipients(request(), roster).people;
    const mail = await renderCaseMail(request(), roster, [person!]);
    expect(mail.subject).toBe('【函询】关于柳河镇软弱涣散农村基层党组织整顿工作的函询函');
    expect(mail.fromName).toBe('中共云岭县委组织部');
    expect(mail.text).toContain('正式文书见附件（Word格式），可打印。');
    const [attachment] = mail.attachments!;
    expect(attachment!.filename).toBe('LH-2019-Q1-inquiry-函询函.docx');
    const xml = strFromU8(unzipSync(attachment!.content)['word/document.xml']!);
    expect(xml).toContain('关于柳河镇软弱涣散农村基层党组织整顿工作的函询函');
    // The case number as a bracketed note (附注, GB/T 9704), in words, not the system's id.
    expect(xml).toContain('（案号：柳河镇2019年第一季度函询）');
    expect(xml).not.toContain('LH-2019-Q1-inquiry');
    expect(xml).toMatch(/<w:color w:val="FF0000"\/>/);

    const withPdf = await renderCaseMail(request(), roster, [person!], '', { pdf: (docx) => docxToPdf(docx) });
    expect(withPdf.text).toContain('正式文书见附件（Word和PDF格式），可打印。');
    expect(withPdf.attachments!.map((a) => [a.filename, a.contentType])).toEqual([
      ['LH-2019-Q1-inquiry-函询函.docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
      ['LH-2019-Q1-inquiry-函询函.pdf', 'application/pdf'],
    ]);
    expect(strFromU8(withPdf.attachments![1]!.content.slice(0, 5))).toBe('%PDF-');
  }, 120_000);

  test('a reason full of control characters, emoji and 20,000 characters gives a document XML can parse', async () => {
    const reason = `第一段\u000b第二段（Word的换行）\u0001\u0007\u001f\ufffe 😀🏮 ${'整顿'.repeat(10_000)} \ud800`;
    const docx = await officialLetterDocx(officialLetter(caseLetter({ ...facts, reason }, 'LH', roster)));
    const xml = strFromU8(unzipSync(docx)['word/document.xml']!);
    // Only characters of the XML 1.0 Char production remain.
    // eslint-disable-next-line no-control-regex -- looking for control characters is the point
    expect(xml).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/);
    expect(xml).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/);
    expect(xml).toMatch(/第一段<\/w:t>[\s\S]*<w:br\/>[\s\S]*第二段（Word的换行）/);
    expect(xml).toContain('😀🏮');
    expect(xml.length).toBeGreaterThan(20_000);
  });

  test('quotes the text only for what it says: an automatic talk is the department\'s own requirement', () => {
    const text = (f: typeof facts): string => caseLetter(f, 'LH', roster).paragraphs.join('');
    expect(text({ ...facts, talkAfterMissedExplanation: true })).toContain('按县委组织部工作要求，逾期未作书面说明的，将进行约谈。根据上述规定，对问题突出的，将及时约谈');
    expect(text(facts)).not.toContain('逾期未作书面说明的');
  });

  test('one addressee is 你, several are 你们; a reason ending in a full stop gets no second one', () => {
    const one = caseLetter({ ...facts, recipients: ['lh-sec'], reason: '半月报告两次未报送。' }, 'LH', roster).paragraphs.join('');
    expect(one).toContain('现就以下问题向你函询：半月报告两次未报送。');
    expect(one).not.toContain('。。');
    expect(one).toContain('请你作出书面说明');
  });

  test('a directly ordered talk has its own notice', () => {
    expect(caseLetter({ ...facts, kind: 'talk' }, 'LH', roster).title).toBe('关于柳河镇软弱涣散农村基层党组织整顿工作的约谈通知');
  });
});

describe('recipients of case mails', () => {
  test('people by id and posts from the roster; unknown people are reported', () => {
    expect(resolveCaseRecipients(request({ people: ['lh-sec', 'nobody'], roles: ['org-department-staff'] }), roster)).toMatchObject({
      people: [{ id: 'lh-sec' }, { id: 'zzb-zhang' }, { id: 'zzb-li' }],
      missing: ['名册中无此人（nobody）'],
    });
  });

  test('a proposal tells the department which reports were missed or late', async () => {
    const mail = await renderCaseMail(
      request({
        kind: 'inquiry-proposal',
        people: [],
        roles: ['org-department-staff'],
        proposal: {
          quarter: '2019-Q1',
          quarterLabel: '2019年第一季度',
          lapses: [
            { periodId: '2019-01-H1', quarter: '2019-Q1', kind: 'late', label: '2019年1月上半月' },
            { periodId: '2019-01-H2', quarter: '2019-Q1', kind: 'missing', label: '2019年1月下半月' },
          ],
          // The county's threshold, as its policy sets it (here three, not the sample county's two).
          threshold: 3,
        },
      }),
      roster,
      [roster.people.find((p) => p.id === 'zzb-zhang')!],
    );
    expect(mail.subject).toBe('【建议函询】柳河镇：2019年第一季度半月进展报告2次未按时报送');
    expect(mail.text).toContain('　2019年1月上半月：逾期报送\n　2019年1月下半月：未报送');
    expect(mail.text).toContain('按县委组织部工作要求，一个季度内三次以上未按时报送的，提请县委组织部研究');
    // The proposal as the department's approval form (呈批件), for its leaders to decide on.
    const [form] = mail.attachments!;
    expect(form!.filename).toBe('函询建议-LH-2019-Q1.docx');
    const text = strFromU8(unzipSync(form!.content)['word/document.xml']!).replace(/<[^>]+>/g, '');
    expect(text).toContain(`关于对柳河镇党委书记${name('lh-sec')}、组织干事${name('lh-org')}进行函询的呈批件`);
    expect(text).toContain('部领导：');
    expect(text).toContain('2019年1月上半月逾期报送；2019年1月下半月未报送');
    expect(text).toContain('妥否，请批示。');
    expect(text).toContain('一个季度内三次以上未按时报送的');
    expect(text).not.toContain('两次以上');
  });
});

describe("notices of a township's and the county's own duties", () => {
  const base: NoticeRequest = {
    type: 'notice',
    key: 'k',
    village: '',
    township: 'QS',
    subject: 'township',
    obligation: {
      id: 'half-monthly-report/township:QS/2019-03-H2',
      kind: 'half-monthly-report',
      title: '每半月上报整顿工作进展',
      clause: '六(三)',
      periodLabel: '2019年3月下半月',
      dueDate: '2019-04-01',
      nominalDue: '2019-03-31',
      provisional: false,
      deadlineBasis: '县委组织部工作要求',
      deadlineRule: 'next-working-day',
    },
    step: { id: 'reminder', severity: 'reminder' },
    notify: ['organization-officer'],
    assigned: {},
  };
  const qsOrg = [roster.people.find((p) => p.id === 'qs-org')!];

  test('a township notice names the township and links to it', () => {
    const n = renderNotice(base, roster, qsOrg, 'http://x.example');
    expect(n.subject).toBe('【提醒】青石镇：每半月上报整顿工作进展（2019年3月下半月）');
    expect(n.text).toContain('乡镇：青石镇');
    expect(n.text).toContain('办理入口：http://x.example/townships/QS/obligations/half-monthly-report%2Ftownship%3AQS%2F2019-03-H2');
  });

  test("the acceptance campaign's notice lists its targets by name", () => {
    const n = renderNotice(
      { ...base, township: '', subject: 'county', targets: ['QS03', 'LH09'], obligation: { ...base.obligation, kind: 'acceptance-campaign', title: '组织开展年度验收评价', clause: '五(一)', periodLabel: '2019年11月下旬' } },
      roster,
      qsOrg,
      'http://x.example',
    );
    expect(n.subject).toBe('【提醒】云岭县：组织开展年度验收评价（2019年11月下旬）');
    expect(n.text).toContain('验收对象：青石镇东风村、柳河镇柳林村（共2个）');
    expect(n.text).toContain('/county/obligations/');
  });
});
