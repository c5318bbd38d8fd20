/**
 * Starting the supervision workflows as the organization department does: a designation tells
 * its township and the county programme (starting them if need be); an inquiry case starts with
 * the ledger it records into.
 */
import { WorkflowNotFoundError, type Client, type WorkflowHandle, type WorkflowHandleWithFirstExecutionRunId } from '@temporalio/client';
import { INQUIRY_WORKFLOW_TYPE, inquiryInputSchema, inquiryWorkflowId, type InquiryInput } from '../contracts/inquiry';
import { LEDGER_WORKFLOW_TYPE, ledgerWorkflowId } from '../contracts/ledger';
import { PROGRAMME_WORKFLOW_TYPE, programmeWorkflowId } from '../contracts/programme';
import { TOWNSHIP_WORKFLOW_TYPE, decideProposalUpdate, targetChangedSignal, townshipStateQuery, townshipWorkflowId, type TargetChange } from '../contracts/township';
import { localDateOf } from '../domain/calendar';
import { formatPath, holders, type Roster } from '../domain/roster';
import { StageKey, TownshipKey } from '../search-attributes';
import type { consequencesLedger, countyProgramme, inquiryCase, townshipSupervision, villageRectification } from '../workflows';
import { designateVillage, villageInputFromRoster } from './village';

export class InvalidInquiryError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Inquiry rejected:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'InvalidInquiryError';
  }
}

/** Tells a township's and the county's workflows about a target, starting them if they are not running. */
export async function tellSupervisors(client: Client, taskQueue: string, county: string, township: string, change: TargetChange): Promise<void> {
  await client.workflow.signalWithStart<typeof townshipSupervision, [TargetChange]>(TOWNSHIP_WORKFLOW_TYPE, {
    taskQueue,
    workflowId: townshipWorkflowId(township),
    args: [{ township, county }],
    signal: targetChangedSignal,
    signalArgs: [change],
    typedSearchAttributes: [{ key: TownshipKey, value: township }, { key: StageKey, value: 'supervising' }],
  });
  await client.workflow.signalWithStart<typeof countyProgramme, [TargetChange]>(PROGRAMME_WORKFLOW_TYPE, {
    taskQueue,
    workflowId: programmeWorkflowId(county),
    args: [{ county }],
    signal: targetChangedSignal,
    signalArgs: [change],
  });
}

/**
 * Designates a village of the roster: its own workflow, and its township's and the county's
 * supervision told of it. Idempotent, as `designateVillage` is.
 */
export async function designateTarget(
  client: Client,
  taskQueue: string,
  roster: Roster,
  village: string,
): Promise<WorkflowHandleWithFirstExecutionRunId<typeof villageRectification>> {
  const input = { ...villageInputFromRoster(roster, village), county: roster.county.code };
  const d = input.designation;
  await ensureLedger(client, taskQueue, roster.county.code);
  await tellSupervisors(client, taskQueue, roster.county.code, input.township, {
    village: d.village,
    date: d.date,
    ...(d.transformedOn ? { transformedOn: d.transformedOn } : {}),
    ...(d.withdrawnOn ? { withdrawnOn: d.withdrawnOn } : {}),
  });
  return designateVillage(client, taskQueue, input);
}

export async function ensureLedger(client: Client, taskQueue: string, county: string): Promise<WorkflowHandle<typeof consequencesLedger>> {
  return client.workflow.start<typeof consequencesLedger>(LEDGER_WORKFLOW_TYPE, {
    taskQueue,
    workflowId: ledgerWorkflowId(county),
    args: [{ county }],
    workflowIdConflictPolicy: 'USE_EXISTING',
  });
}

export interface IssueInquiry {
  readonly township: string;
  readonly reason: string;
  /** A member of the organization department (by roster id). */
  readonly issuedBy: string;
  readonly kind?: 'inquiry' | 'talk';
  /** Answering a township's proposal for this quarter. */
  readonly proposalQuarter?: string;
  readonly caseId?: string;
  /** Today, China time, for the default case id. */
  readonly now?: number;
}

/** The case id when none is given: township, proposal quarter or date, and kind. */
export function defaultCaseId(i: IssueInquiry): string {
  return `${i.township}-${i.proposalQuarter ?? localDateOf(i.now ?? Date.now())}-${i.kind ?? 'inquiry'}`;
}

/**
 * Opens an inquiry case (六(四)): the letter goes to the township's party secretary and
 * organization officer as the roster names them now. Answering a proposal records the decision
 * on the township. Idempotent by case id.
 */
export async function issueInquiry(client: Client, taskQueue: string, roster: Roster, i: IssueInquiry): Promise<WorkflowHandle<typeof inquiryCase>> {
  const problems: string[] = [];
  if (!roster.townships.some((t) => t.code === i.township)) problems.push(`township: unknown township ${i.township}`);
  const issuer = roster.people.find((p) => p.id === i.issuedBy);
  if (!issuer) problems.push(`issuedBy: ${i.issuedBy} is not in the roster`);
  else if (issuer.role !== 'org-department-staff') problems.push(`issuedBy: ${i.issuedBy} is not on the organization department's staff (is ${issuer.role})`);
  const recipients = [
    ...holders(roster, 'township-party-secretary', { township: i.township }).slice(0, 1),
    ...holders(roster, 'organization-officer', { township: i.township }).slice(0, 1),
  ].map((p) => p.id);
  if (problems.length === 0 && recipients.length === 0) problems.push(`township: the roster names no party secretary or organization officer for ${i.township}`);
  const input: InquiryInput = {
    caseId: i.caseId ?? defaultCaseId(i),
    county: roster.county.code,
    township: i.township,
    kind: i.kind ?? 'inquiry',
    issuedBy: i.issuedBy,
    reason: i.reason,
    recipients,
    ...(i.proposalQuarter ? { proposalQuarter: i.proposalQuarter } : {}),
  };
  const parsed = inquiryInputSchema.safeParse(input);
  if (!parsed.success) problems.push(...parsed.error.issues.map((x) => `${formatPath(x.path)}: ${x.message}`));
  if (problems.length > 0) throw new InvalidInquiryError(problems);

  // Answering a proposal: it must exist and be undecided, or decided for this very case (issued again).
  const township = client.workflow.getHandle(townshipWorkflowId(i.township));
  let decide = false;
  if (i.proposalQuarter) {
    const view = await township.query(townshipStateQuery).catch((err: unknown) => {
      if (err instanceof WorkflowNotFoundError) throw new InvalidInquiryError([`proposalQuarter: ${i.township} has no supervision workflow (no target designated)`]);
      throw err;
    });
    const proposal = view.proposals.find((p) => p.quarter === i.proposalQuarter);
    if (!proposal) throw new InvalidInquiryError([`proposalQuarter: ${i.township} has no proposal for ${i.proposalQuarter}`]);
    if (proposal.decision && proposal.decision.caseId !== input.caseId) {
      throw new InvalidInquiryError([`proposalQuarter: the proposal for ${i.proposalQuarter} was already decided on ${proposal.decision.on}`]);
    }
    decide = !proposal.decision;
  }

  await ensureLedger(client, taskQueue, roster.county.code);
  const handle = await client.workflow.start<typeof inquiryCase>(INQUIRY_WORKFLOW_TYPE, {
    taskQueue,
    workflowId: inquiryWorkflowId(input.caseId),
    args: [input],
    workflowIdConflictPolicy: 'USE_EXISTING',
    typedSearchAttributes: [{ key: TownshipKey, value: i.township }, { key: StageKey, value: i.kind === 'talk' ? 'talk-required' : 'awaiting-explanation' }],
  });
  if (decide) {
    await township.executeUpdate(decideProposalUpdate, { args: [{ quarter: i.proposalQuarter!, decision: 'inquiry', by: i.issuedBy, caseId: input.caseId }] });
  }
  return handle;
}
