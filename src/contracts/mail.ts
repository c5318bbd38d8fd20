/**
 * What workflows ask the mail activity to send, and what it answers. Workflows say what is due
 * and to which posts; the activity resolves the people from the roster when it sends (a successor
 * in a post gets the next mail, 六(一)) and renders the Chinese text.
 */
import type { DeadlineRule, LocalDate } from '../domain/calendar';
import type { ObligationKind } from '../domain/kinds';
import type { Severity } from '../domain/policy';
import type { Role } from '../domain/roster';
import type { Lapse } from '../domain/supervision';
import type { DocNumber } from './ledger';
import type { VillageView } from './village';
import type { Designation } from '../domain/criteria';

/** One step of a duty's ladder, or the notice that its due date moved. */
export interface NoticeRequest {
  readonly type: 'notice';
  /** Idempotency key: workflow id + obligation id + step. */
  readonly key: string;
  /** Empty unless the duty is a target's. */
  readonly village: string;
  /** Empty for the county's own duty. */
  readonly township: string;
  readonly subject: 'village' | 'township' | 'county' | 'case';
  /** The inquiry case, for its duties. */
  readonly caseId?: string;
  /** Village codes the duty covers, e.g. the targets of an acceptance campaign (五(一)). */
  readonly targets?: readonly string[];
  readonly obligation: {
    readonly id: string;
    readonly kind: ObligationKind;
    readonly title: string;
    readonly clause: string;
    readonly periodLabel: string;
    readonly dueDate: LocalDate;
    readonly nominalDue: LocalDate;
    readonly provisional: boolean;
    /** What the rule that moved the due date off a rest day rests on, for the wording. */
    readonly deadlineBasis: string;
    readonly deadlineRule: DeadlineRule;
  };
  readonly step: { readonly id: string; readonly severity: Severity };
  /** Posts to notify; `responsible` means the people named in `people`. */
  readonly notify: readonly string[];
  readonly people?: readonly string[];
  /** Posts the workflow itself assigns (reassignments); other posts come from the roster. */
  readonly assigned: { readonly 'first-secretary'?: string; readonly 'township-liaison'?: string };
  /** A due-date change (截止日期调整通知): the date before, and why it moved. */
  readonly redated?: { readonly from: LocalDate; readonly reason: string };
  /** Red warning and urging: what the escalation rests on, for the wording. */
  readonly ladderBasis?: string;
  /** The workflow's instant when it sent the request (its X-Rectification-At header). */
  readonly at?: string;
}

export const caseMailKinds = ['inquiry-proposal', 'inquiry-letter', 'explanation-received', 'explanation-missed', 'talk-required', 'talk-notice', 'talk-reminder'] as const;
export type CaseMailKind = (typeof caseMailKinds)[number];

/** What a letter or notice of a case says; rendered into Chinese by the activity. */
export interface CaseFacts {
  readonly caseId: string;
  readonly kind: 'inquiry' | 'talk';
  readonly reason: string;
  readonly issuedBy: string;
  readonly issuedOn: LocalDate;
  readonly recipients: readonly string[];
  /** The letter's 文号. */
  readonly docNumber?: DocNumber;
  readonly explanationDue?: LocalDate;
  readonly talk?: { readonly why: string; readonly scheduled?: { readonly at: string; readonly place: string; readonly conductor: string; readonly docNumber?: DocNumber } };
  /** Whether a missing explanation brings a talk without the department deciding (county practice). */
  readonly talkAfterMissedExplanation?: boolean;
}

export interface CaseMailRequest {
  readonly type: 'case';
  /** Idempotency key: workflow id + what + step. */
  readonly key: string;
  readonly kind: CaseMailKind;
  readonly township: string;
  /** People by id, and posts resolved from the roster when the mail is sent. */
  readonly people: readonly string[];
  readonly roles: readonly Role[];
  readonly case?: CaseFacts;
  /** For a proposal: the quarter and its missed or late reports. */
  readonly proposal?: {
    readonly quarter: string;
    readonly quarterLabel: string;
    readonly lapses: readonly (Lapse & { readonly label: string })[];
    /** The county's threshold (policy: lapses a quarter that make a proposal); absent in requests made before it was sent along. */
    readonly threshold?: number;
  };
  /** The workflow's instant when it sent the request. */
  readonly at?: string;
}

/** One overdue duty in the department's urging digest (督办). */
export interface UrgedItem {
  readonly obligationId: string;
  readonly kind: ObligationKind;
  readonly title: string;
  readonly clause: string;
  readonly subject: 'village' | 'township' | 'county' | 'case';
  readonly village: string;
  readonly township: string;
  readonly caseId?: string;
  readonly periodLabel: string;
  readonly dueDate: LocalDate;
  readonly redWarnedOn: LocalDate;
  /** Which urging this is for the duty: 1 … the policy's maximum. */
  readonly round: number;
}

/** The urging digest: one mail per recipient listing every overdue duty past its red warning. */
export interface DigestRequest {
  readonly type: 'digest';
  readonly key: string;
  readonly county: string;
  readonly date: LocalDate;
  readonly roles: readonly Role[];
  readonly items: readonly UrgedItem[];
  readonly maxRounds: number;
  readonly basis: string;
  readonly at?: string;
}

/**
 * A target's yearly result (五(一) acceptance), told to the people whose own assessment counts it:
 * the township liaison (包村领导, 五(三)) and the paired department's leader (五(四)), and the
 * township party secretary.
 */
export interface ResultMailRequest {
  readonly type: 'result';
  readonly key: string;
  readonly village: string;
  readonly township: string;
  readonly year: number;
  readonly transformed: boolean;
  readonly evaluatedOn: LocalDate;
  readonly summary: string;
  readonly roles: readonly Role[];
  readonly assigned: NoticeRequest['assigned'];
  readonly at?: string;
}

/** A 交办任务书 (五(二)): the items assigned to a target's township and village after the standing committee reviewed its plan. */
export interface TaskBookRequest {
  readonly type: 'task-book';
  readonly key: string;
  readonly village: string;
  readonly township: string;
  readonly studyOn: LocalDate;
  readonly tasks: readonly { readonly n: number; readonly item: string; readonly owner: 'township' | 'village'; readonly deadline: LocalDate; readonly person: string }[];
  /** Posts it goes to: the township party secretary, the village party secretary, the first secretary. */
  readonly roles: readonly Role[];
  readonly assigned: NoticeRequest['assigned'];
  readonly at?: string;
}

/**
 * An approved plan (五(一)), with its Word document, to the township party secretary and the
 * organization department: its stages, and the dated measures that are now their owners' duties.
 */
export interface PlanMailRequest {
  readonly type: 'plan';
  readonly key: string;
  readonly village: string;
  readonly township: string;
  readonly designation: Designation;
  readonly plan: VillageView['plan'];
  readonly roles: readonly Role[];
  readonly assigned: NoticeRequest['assigned'];
  readonly at?: string;
}

export type MailRequest = NoticeRequest | CaseMailRequest | DigestRequest | ResultMailRequest | TaskBookRequest | PlanMailRequest;

/** The monthly bulletin's draft (通报送审稿, 六(三)), to the organization department. */
export interface BulletinRequest {
  readonly type: 'bulletin';
  readonly key: string;
  readonly roles: readonly Role[];
  readonly facts: BulletinFacts;
  readonly at?: string;
}

/** The department's quarterly report (情况报告送审稿) to its posts; the activity renders it from the records it read. */
export interface FiguresReportRequest {
  readonly type: 'figures-report';
  readonly key: string;
  readonly roles: readonly Role[];
  readonly quarter: string;
  readonly at?: string;
}

/** A county leader's lines of the monthly bulletin: their contact township and key village (六(一)). */
export interface ContactBulletinRequest {
  readonly type: 'contact-bulletin';
  readonly key: string;
  /** The leader, by roster id. */
  readonly person: string;
  readonly township: string;
  readonly village?: string;
  readonly facts: BulletinFacts;
  readonly at?: string;
}

export interface NoticeResult {
  readonly key: string;
  readonly status: 'sent' | 'already-sent' | 'failed' | 'no-recipient';
  /** Addresses the mail server accepted (now or on an earlier try). */
  readonly recipients: readonly string[];
  /** Addresses it refused for good (5xx). */
  readonly refused?: readonly string[];
  readonly error?: string;
  /** Accepted by the server, but its record in the sent journal failed: a retry elsewhere could send it again. */
  readonly journalError?: string;
}

/** What the monthly bulletin (通报, 六(三)) says, drawn up by the programme's activity (src/documents/bulletin.ts). */
export interface BulletinFacts {
  /** The month reported on, 2019-03. */
  readonly month: string;
  /** The day the bulletin is drawn up (its figures are as of then). */
  readonly date: LocalDate;
  readonly reports: readonly { readonly township: string; readonly missing: readonly string[]; readonly late: readonly string[] }[];
  readonly overdue: readonly {
    readonly township: string;
    readonly items: readonly { readonly village?: string; readonly title: string; readonly periodLabel: string; readonly dueDate: LocalDate; readonly clause: string }[];
  }[];
  readonly behind: readonly { readonly village: string; readonly township: string; readonly reasons: readonly string[] }[];
  /** Routine activities of the month not held (四(四)12, 四(五)17: 未落实), by township. */
  readonly missed: readonly {
    readonly township: string;
    readonly items: readonly { readonly village: string; readonly title: string; readonly periodLabel: string; readonly dueDate: LocalDate; readonly clause: string }[];
  }[];
  /** Findings of the department's inspections not yet corrected (六(三)), by township; absent in drafts before they were listed. */
  readonly findings?: readonly {
    readonly township: string;
    readonly items: readonly { readonly on: LocalDate; readonly village?: string; readonly problem: string; readonly correctBy: LocalDate; readonly overdue: boolean }[];
  }[];
  /** 四(一)5: cadres short of the year's seven training days, by township, listed after the county's day (30 November). */
  readonly trainingShort?: {
    readonly year: number;
    readonly townships: readonly { readonly township: string; readonly items: readonly { readonly village: string; readonly person: string; readonly days: number }[] }[];
  };
  /** Targets under rectification in the month, for the lead paragraph. */
  readonly targets: number;
  /** Townships and villages (codes) whose records could not be read when it was drawn up. */
  readonly unread?: readonly string[];
}
