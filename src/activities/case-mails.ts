/**
 * What officials read about an inquiry case or a proposal, in Simplified Chinese: the inquiry
 * letter itself (mail and printable DOCX), reminders of the written explanation, the talk notice,
 * and the notices to the organization department.
 */
import type { CaseFacts, CaseMailRequest } from '../contracts/inquiry';
import { holders, type Person, type Roster } from '../domain/roster';
import { severityLabels } from '../domain/escalation';
import { DOCX_CONTENT_TYPE, letterDocx, type LetterDocument } from './documents';
import { SOURCE_DOCUMENT } from './notices';

export function resolveCaseRecipients(req: CaseMailRequest, roster: Roster): { people: Person[]; missing: string[] } {
  const people: Person[] = [];
  const missing: string[] = [];
  const add = (p: Person): void => {
    if (!people.some((q) => q.email === p.email)) people.push(p);
  };
  for (const id of req.people) {
    const p = roster.people.find((x) => x.id === id);
    if (p) add(p);
    else missing.push(`${id} is not in the roster`);
  }
  for (const role of req.roles) {
    const found = role === 'org-department-staff' ? holders(roster, role) : holders(roster, role, { township: req.township }).slice(0, 1);
    if (found.length === 0) missing.push(`no ${role} for ${req.township || 'the county'} in the roster`);
    found.forEach(add);
  }
  return { people, missing };
}

const nameOf = (roster: Roster, id: string): string => roster.people.find((p) => p.id === id)?.name ?? id;
const townshipName = (roster: Roster, code: string): string => roster.townships.find((t) => t.code === code)?.name ?? code;

/** 2019-05-10T09:30 → 2019年5月10日9:30 */
function when(at: string): string {
  const [date, time] = at.split('T');
  const [y, m, d] = date!.split('-').map(Number);
  return `${y}年${m}月${d}日${time ? ` ${time}` : ''}`;
}

function day(date: string): string {
  return when(date);
}

/** The inquiry letter (函询函) or the notice of a directly ordered talk, as a printable document. */
export function caseLetter(facts: CaseFacts, township: string, roster: Roster): LetterDocument {
  const town = townshipName(roster, township);
  const names = facts.recipients.map((id) => nameOf(roster, id)).join('、');
  const department = `中共${roster.county.name}委组织部`;
  if (facts.kind === 'talk') {
    return {
      title: `关于${town}软弱涣散农村基层党组织整顿工作的约谈通知`,
      salutation: `${names}同志：`,
      paragraphs: [
        `根据${SOURCE_DOCUMENT}六(四)的规定，因${facts.reason}，县委组织部决定对你们进行约谈。约谈的时间、地点和约谈人另行通知。`,
        '根据上述规定，受到约谈的，当年不得评先选优。',
      ],
      signature: [department, day(facts.issuedOn)],
      footer: `案号：${facts.caseId}`,
    };
  }
  return {
    title: `关于${town}软弱涣散农村基层党组织整顿工作的函询函`,
    salutation: `${names}同志：`,
    paragraphs: [
      `根据${SOURCE_DOCUMENT}六(四)的规定，现就以下问题向你们函询：${facts.reason}。`,
      `请于${day(facts.explanationDue ?? facts.issuedOn)}前向县委组织部作出书面说明，说明须包括三部分：问题产生的根源、整改措施、整改时限。`,
      '逾期未作书面说明或问题严重的，将进行约谈。根据上述规定，受到函询的，当年不得评先选优。',
    ],
    signature: [department, day(facts.issuedOn)],
    footer: `案号：${facts.caseId}`,
  };
}

export interface RenderedCaseMail {
  readonly subject: string;
  readonly text: string;
  readonly attachments?: readonly { readonly filename: string; readonly content: Uint8Array; readonly contentType: string }[];
}

const FOOTER = '本邮件由软弱涣散农村基层党组织整顿提升工作系统自动发送，请勿直接回复。';

export function renderCaseMail(req: CaseMailRequest, roster: Roster, recipients: readonly Person[]): RenderedCaseMail {
  const town = townshipName(roster, req.township);
  const greeting = `${recipients.map((p) => p.name).join('、')}同志：`;
  const body = (lines: readonly string[]): string => [greeting, '', ...lines, '', FOOTER].join('\n');
  const c = req.case;
  switch (req.kind) {
    case 'inquiry-proposal': {
      const p = req.proposal!;
      return {
        subject: `【建议函询】${town}：${p.quarterLabel}半月进展报告${p.lapses.length}次未按时报送`,
        text: body([
          `${town}${p.quarterLabel}有${p.lapses.length}次每半月整顿工作进展未按时报送（${SOURCE_DOCUMENT}六(三)）：`,
          ...p.lapses.map((l) => `　${l.label}：${l.kind === 'missing' ? '未报送' : '逾期报送'}`),
          '',
          `根据六(四)的规定，建议对该乡镇党委书记、组织干事进行函询。是否函询，请县委组织部决定。`,
        ]),
      };
    }
    case 'inquiry-letter': {
      const letter = caseLetter(c!, req.township, roster);
      return {
        subject: `【${c!.kind === 'talk' ? '约谈通知' : '函询'}】${letter.title}`,
        text: body([...letter.paragraphs, '', ...letter.signature, letter.footer ?? '', '', '正式文书见附件，可打印。']),
        attachments: [{ filename: `${c!.caseId.replace(/[^A-Za-z0-9_.-]/g, '_')}-${c!.kind === 'talk' ? '约谈通知' : '函询函'}.docx`, content: letterDocx(letter), contentType: DOCX_CONTENT_TYPE }],
      };
    }
    case 'explanation-reminder': {
      const label = severityLabels[req.severity ?? 'reminder'];
      const phrase = req.severity === 'overdue' || req.severity === 'red-warning' ? '已逾期，将按规定进行约谈' : req.severity === 'due' ? '今日到期' : '即将到期';
      return {
        subject: `【${label}】函询书面说明（案号${c!.caseId}）${phrase}`,
        text: body([
          `县委组织部${day(c!.issuedOn)}就“${c!.reason}”向你们函询，书面说明${phrase}。`,
          `截止日期：${c!.explanationDue}`,
          '书面说明须包括：问题产生的根源、整改措施、整改时限。',
          `依据：${SOURCE_DOCUMENT}六(四)`,
        ]),
      };
    }
    case 'explanation-received':
      return {
        subject: `【书面说明待审阅】${town}（案号${c!.caseId}）`,
        text: body([`${town}已就函询（${c!.reason}）报送书面说明，请审阅：认可后办结，或认定问题严重进行约谈（六(四)）。`]),
      };
    case 'talk-required':
      return {
        subject: `【需约谈】${town}（案号${c!.caseId}）`,
        text: body([
          `${town}函询案件（${c!.reason}）：${c!.talk?.why ?? ''}。`,
          `根据${SOURCE_DOCUMENT}六(四)，须对${c!.recipients.map((id) => nameOf(roster, id)).join('、')}进行约谈，请确定约谈时间、地点和约谈人。`,
        ]),
      };
    case 'talk-notice': {
      const t = c!.talk!.scheduled!;
      return {
        subject: `【约谈通知】${town}：${when(t.at)}，${t.place}`,
        text: body([
          `根据${SOURCE_DOCUMENT}六(四)，定于${when(t.at)}在${t.place}对${c!.recipients.map((id) => nameOf(roster, id)).join('、')}进行约谈。`,
          `约谈人：${nameOf(roster, t.conductor)}`,
          `事由：${c!.reason}（${c!.talk!.why}）`,
          `案号：${c!.caseId}`,
        ]),
      };
    }
  }
}
