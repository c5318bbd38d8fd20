/**
 * The case's documents as officials read them, before their layout: the inquiry letter (函询函) or
 * the notice of a directly ordered talk, the proposal's approval form (呈批件) and the notice of a
 * scheduled talk. The mails attach them (src/activities/case-mails.ts) and the workbench and CLI
 * download the same letter (the service), so every copy under one 文号 says the same.
 */
import type { CaseFacts, CaseMailRequest } from '../contracts/mail';
import { localDateOf } from '../domain/calendar';
import { caseNumberText, docNumberText, chineseDate, departmentName, personName, sourceDocument, timesText, townshipName } from '../domain/names';
import { holders, type Roster } from '../domain/roster';
import type { LetterDocument } from './official-letter';

/** 你 to one person, 你们 to several. */
function you(recipients: readonly string[]): string {
  return recipients.length === 1 ? '你' : '你们';
}

/** The inquiry letter (函询函) or the notice of a directly ordered talk, as a printable document. */
export function caseLetter(facts: CaseFacts, township: string, roster: Roster): LetterDocument {
  const town = townshipName(roster, township);
  const names = facts.recipients.map((id) => personName(roster, id)).join('、');
  const department = departmentName(roster);
  const to = you(facts.recipients);
  const reason = facts.reason.replace(/[。．.]+$/, '');
  const number = facts.docNumber ? { docNumber: docNumberText(roster.county, facts.docNumber) } : {};
  if (facts.kind === 'talk') {
    return {
      ...number,
      title: `关于${town}软弱涣散农村基层党组织整顿工作的约谈通知`,
      salutation: `${names}同志：`,
      paragraphs: [
        `${sourceDocument(roster)}六（四）规定：“对问题突出的，要及时约谈乡镇党委书记、组织干事。”因${reason}，县委组织部决定对${to}进行约谈。约谈的时间、地点和约谈人另行通知。`,
        '根据上述规定，凡是被约谈的，当年不得评先选优。',
      ],
      signature: [department, chineseDate(facts.issuedOn)],
      footer: `（案号：${caseNumberText(roster, facts.caseId)}）`,
    };
  }
  return {
    ...number,
    title: `关于${town}软弱涣散农村基层党组织整顿工作的函询函`,
    salutation: `${names}同志：`,
    paragraphs: [
      // 六（四） has the county committee (县委) make the inquiry; the department writes on its behalf.
      `受县委委托，根据${sourceDocument(roster)}六（四）的规定，现就以下问题向${to}函询：${reason}。`,
      `请${to}作出书面说明，检讨问题根源、提出整顿措施、明确整顿时限（六（四）），并按县委组织部工作要求于${chineseDate(facts.explanationDue ?? facts.issuedOn)}前通过整顿工作系统报送，或书面报送县委组织部。`,
      [
        facts.talkAfterMissedExplanation ? '按县委组织部工作要求，逾期未作书面说明的，将进行约谈。' : '',
        '根据上述规定，对问题突出的，将及时约谈；凡是被函询、约谈的，当年不得评先选优。',
      ].join(''),
    ],
    signature: [department, chineseDate(facts.issuedOn)],
    footer: `（案号：${caseNumberText(roster, facts.caseId)}）`,
  };
}

/**
 * The proposal as the department's internal approval form (呈批件): the township's lapses of the
 * quarter, the rule, and the proposal of an inquiry letter for the department's leaders to decide.
 */
export function proposalDocument(township: string, p: NonNullable<CaseMailRequest['proposal']>, roster: Roster, now: Date): LetterDocument {
  const town = townshipName(roster, township);
  const [secretary] = holders(roster, 'township-party-secretary', { township });
  const [officer] = holders(roster, 'organization-officer', { township });
  const who = [secretary ? `党委书记${secretary.name}` : '', officer ? `组织干事${officer.name}` : ''].filter(Boolean).join('、') || '党委书记、组织干事';
  const today = localDateOf(now.getTime());
  return {
    title: `关于对${town}${who}进行函询的呈批件`,
    salutation: '部领导：',
    paragraphs: [
      `${sourceDocument(roster)}六（三）规定，乡镇要每半月上报整顿软弱涣散村党组织工作进展情况。${town}${p.quarterLabel}有${p.lapses.length}次未按时报送：${p.lapses.map((l) => `${l.label}${l.kind === 'missing' ? '未报送' : '逾期报送'}`).join('；')}。`,
      `按县委组织部工作要求，一个季度内${timesText(p.threshold)}以上未按时报送的，提请研究是否依据六（四）对该乡镇${who}进行函询。凡是被函询的，当年不得评先选优（六（四））。`,
      '拟办意见：建议对上述同志进行函询，责成其作出书面说明，检讨问题根源、提出整顿措施、明确整顿时限。',
      '妥否，请批示。',
    ],
    signature: [departmentName(roster), chineseDate(today)],
    footer: '本呈批件由整顿提升工作系统依县委组织部工作要求拟制；是否函询由县委组织部决定，可在工作台“函询建议”中办理。',
    draft: true,
  };
}

/** The notice of a scheduled talk (约谈通知): when, where, who conducts it, and why. */
export function talkNotice(facts: CaseFacts, township: string, roster: Roster, now: Date): LetterDocument {
  const t = facts.talk!.scheduled!;
  const town = townshipName(roster, township);
  const names = facts.recipients.map((id) => personName(roster, id)).join('、');
  const reason = facts.reason.replace(/[。．.]+$/, '');
  return {
    ...(t.docNumber ? { docNumber: docNumberText(roster.county, t.docNumber) } : {}),
    title: `关于对${town}${names}同志进行约谈的通知`,
    salutation: `${names}同志：`,
    paragraphs: [
      `根据${sourceDocument(roster)}六（四）的规定，因${reason}（${facts.talk!.why}），县委组织部定于${chineseDate(t.at)}在${t.place}对${you(facts.recipients)}进行约谈，约谈人：${personName(roster, t.conductor)}。`,
      `请${you(facts.recipients)}准时参加，并就问题根源、整顿措施和整顿时限作好汇报准备。因故不能参加的，须事先向县委组织部说明。`,
      '根据上述规定，凡是被约谈的，当年不得评先选优。',
    ],
    signature: [departmentName(roster), chineseDate(localDateOf(now.getTime()))],
    footer: `（案号：${caseNumberText(roster, facts.caseId)}）`,
  };
}
