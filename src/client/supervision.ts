/**
 * Starting the supervision workflows as the organization department does: a designation tells
 * its township and the county programme (starting them if need be); an inquiry case starts with
 * the ledger it records into.
 */
import { WorkflowNotFoundError, type Client, type WorkflowHandle, type WorkflowHandleWithFirstExecutionRunId } from '@temporalio/client';
import { INQUIRY_WORKFLOW_TYPE, caseOpenedUpdate, inquiryInputSchema, inquiryWorkflowId, type InquiryInput, type InquiryView } from '../contracts/inquiry';
import { LEDGER_WORKFLOW_TYPE, allocateDocNumberUpdate, ledgerWorkflowId, type DocNumber } from '../contracts/ledger';
import { PROGRAMME_WORKFLOW_TYPE, caseChangedSignal, programmeWorkflowId, type CaseChange } from '../contracts/programme';
import { TARGET_CHANGES_MAX, TOWNSHIP_WORKFLOW_TYPE, decideProposalUpdate, targetChangedSignal, targetsChangedSignal, townshipStateQuery, townshipWorkflowId, type TargetChange } from '../contracts/township';
import { localDateOf } from '../domain/calendar';
import type { Policy } from '../domain/policy';
import { formatPath, holders, roleLabels, type Roster } from '../domain/roster';
import { StageKey, TownshipKey } from '../search-attributes';
import type { consequencesLedger, countyProgramme, inquiryCase, townshipSupervision, villageRectification } from '../workflows';
import { DesignationRefusedError, designateVillage, villageInputFromRoster, type DesignateOptions } from './village';

export class InvalidInquiryError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`函询未受理：\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'InvalidInquiryError';
  }
}

/** Tells a township's and the county's workflows about a target, starting them if they are not running. */
export async function tellSupervisors(client: Client, taskQueue: string, county: string, township: string, change: TargetChange, policy?: Policy): Promise<void> {
  await client.workflow.signalWithStart<typeof townshipSupervision, [TargetChange]>(TOWNSHIP_WORKFLOW_TYPE, {
    taskQueue,
    workflowId: townshipWorkflowId(township),
    args: [{ township, county, ...(policy ? { policy } : {}) }],
    signal: targetChangedSignal,
    signalArgs: [change],
    typedSearchAttributes: [{ key: TownshipKey, value: township }, { key: StageKey, value: 'supervising' }],
  });
  await client.workflow.signalWithStart<typeof countyProgramme, [TargetChange]>(PROGRAMME_WORKFLOW_TYPE, {
    taskQueue,
    workflowId: programmeWorkflowId(county),
    args: [{ county, ...(policy ? { policy } : {}) }],
    signal: targetChangedSignal,
    signalArgs: [change],
  });
}

/** What became of one village of a designation round. */
export type DesignationOutcome =
  | { readonly village: string; readonly workflowId: string; readonly firstExecutionRunId: string }
  | { readonly village: string; readonly refused: string };

/**
 * A designation round (a province's thousands, `designate --all`): every village's workflow started,
 * `pool` at a time, then each township told once of its targets and the county programme once per
 * `TARGET_CHANGES_MAX`, so that neither history grows by an event per target. A village refused
 * (an ended target, DesignationRefusedError) is reported and the others go on; any other failure
 * stops the round, and running it again is harmless (every step is idempotent).
 */
export async function designateTargets(
  client: Client,
  taskQueue: string,
  roster: Roster,
  villages: readonly string[],
  opts: DesignateOptions & { readonly policy?: Policy; readonly pool?: number; readonly onProgress?: (done: number, total: number) => void } = {},
): Promise<DesignationOutcome[]> {
  // Every input first: a village without an open designation stops the round before anything starts.
  const inputs = villages.map((v) => villageInputFromRoster(roster, v, opts.policy));
  await ensureLedger(client, taskQueue, roster.county.code);
  const outcomes: DesignationOutcome[] = new Array(inputs.length);
  const changes: TargetChange[] = [];
  let next = 0;
  let done = 0;
  await Promise.all(
    Array.from({ length: Math.max(1, Math.min(opts.pool ?? 32, inputs.length)) }, async () => {
      for (let i = next++; i < inputs.length; i = next++) {
        const input = inputs[i]!;
        const village = input.designation.village;
        try {
          const h = await designateVillage(client, taskQueue, input, opts);
          outcomes[i] = { village, workflowId: h.workflowId, firstExecutionRunId: h.firstExecutionRunId };
          changes[i] = { village, township: input.township, date: opts.redesignate ?? input.designation.date };
        } catch (err) {
          if (!(err instanceof DesignationRefusedError)) throw err;
          outcomes[i] = { village, refused: err.message };
        }
        opts.onProgress?.(++done, inputs.length);
      }
    }),
  );
  const told = changes.filter((c): c is TargetChange => c !== undefined);
  const byTownship = new Map<string, TargetChange[]>();
  for (const c of told) byTownship.set(c.township!, [...(byTownship.get(c.township!) ?? []), c]);
  const townships = [...byTownship];
  next = 0;
  await Promise.all(
    Array.from({ length: Math.max(1, Math.min(opts.pool ?? 32, townships.length)) }, async () => {
      for (let i = next++; i < townships.length; i = next++) {
        const [township, list] = townships[i]!;
        for (const chunk of chunks(list, TARGET_CHANGES_MAX)) await tellTownship(client, taskQueue, roster.county.code, township, chunk, opts.policy);
      }
    }),
  );
  for (const chunk of chunks(told, TARGET_CHANGES_MAX)) await tellProgramme(client, taskQueue, roster.county.code, chunk, opts.policy);
  return outcomes;
}

function chunks<T>(list: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

async function tellTownship(client: Client, taskQueue: string, county: string, township: string, changes: TargetChange[], policy?: Policy): Promise<void> {
  await client.workflow.signalWithStart<typeof townshipSupervision, [TargetChange[]]>(TOWNSHIP_WORKFLOW_TYPE, {
    taskQueue,
    workflowId: townshipWorkflowId(township),
    args: [{ township, county, ...(policy ? { policy } : {}) }],
    signal: targetsChangedSignal,
    signalArgs: [changes],
    typedSearchAttributes: [{ key: TownshipKey, value: township }, { key: StageKey, value: 'supervising' }],
  });
}

async function tellProgramme(client: Client, taskQueue: string, county: string, changes: TargetChange[], policy?: Policy): Promise<void> {
  await client.workflow.signalWithStart<typeof countyProgramme, [TargetChange[]]>(PROGRAMME_WORKFLOW_TYPE, {
    taskQueue,
    workflowId: programmeWorkflowId(county),
    args: [{ county, ...(policy ? { policy } : {}) }],
    signal: targetsChangedSignal,
    signalArgs: [changes],
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
  opts: DesignateOptions & { readonly policy?: Policy } = {},
): Promise<WorkflowHandleWithFirstExecutionRunId<typeof villageRectification>> {
  const input = villageInputFromRoster(roster, village, opts.policy);
  // The village first: a refused designation (an ended target) tells nobody.
  const handle = await designateVillage(client, taskQueue, input, opts);
  const date = opts.redesignate ?? input.designation.date;
  await ensureLedger(client, taskQueue, roster.county.code);
  await tellSupervisors(client, taskQueue, roster.county.code, input.township, { village, township: input.township, date }, opts.policy);
  return handle;
}

export async function ensureLedger(client: Client, taskQueue: string, county: string): Promise<WorkflowHandle<typeof consequencesLedger>> {
  return client.workflow.start<typeof consequencesLedger>(LEDGER_WORKFLOW_TYPE, {
    taskQueue,
    workflowId: ledgerWorkflowId(county),
    args: [{ county }],
    workflowIdConflictPolicy: 'USE_EXISTING',
  });
}

/** Updates this process has in flight to the ledger: the server refuses more than 10 per workflow. */
const numbering = { inFlight: 0, waiting: [] as (() => void)[] };
const MAX_IN_FLIGHT = 4;
/** gRPC's status for a limit reached (here: the ledger's in-flight updates). */
const RESOURCE_EXHAUSTED = 8;

async function acquireNumbering(): Promise<void> {
  if (numbering.inFlight < MAX_IN_FLIGHT) {
    numbering.inFlight++;
    return;
  }
  // Wait for a slot: the one finishing hands its own over.
  await new Promise<void>((resolve) => numbering.waiting.push(resolve));
}

function releaseNumbering(): void {
  const next = numbering.waiting.shift();
  if (next) next();
  else numbering.inFlight--;
}

/**
 * The department's next document number (文号) under `key`; the same key gets the same number.
 * At most a few requests at a time leave this process, and one the server turns away for the
 * ledger's in-flight limit (RESOURCE_EXHAUSTED, another process issuing too) is asked again.
 */
export async function allocateDocNumber(client: Client, county: string, key: string): Promise<DocNumber> {
  await acquireNumbering();
  try {
    // By workflow id alone: the ledger's current run, whichever it is after continue-as-new.
    const ledger = client.workflow.getHandle<typeof consequencesLedger>(ledgerWorkflowId(county));
    for (let attempt = 1; ; attempt++) {
      try {
        return await ledger.executeUpdate(allocateDocNumberUpdate, { args: [{ key }] });
      } catch (err) {
        const code = ((err as Error).cause as { code?: number } | undefined)?.code;
        if (code !== RESOURCE_EXHAUSTED || attempt >= 20) throw err;
        await new Promise((r) => setTimeout(r, Math.min(2_000, 50 * 2 ** attempt)));
      }
    }
  } finally {
    releaseNumbering();
  }
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
  /**
   * The letter's 文号 when the caller already has it (a department numbering from its own
   * register). Without it, the county ledger gives the next number of the year; the service
   * always asks the ledger.
   */
  readonly docNumber?: DocNumber;
  /** Today, China time, for the default case id. */
  readonly now?: number;
  readonly policy?: Policy;
  /**
   * Whether to wait until the case is opened (numbered, addressed, with its deadline), which
   * needs a worker: the default. Only a test that issues a burst while no worker polls yet, to make
   * every letter due at one instant, passes false.
   */
  readonly waitOpened?: boolean;
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
/** An issued case's handle and the case as it stood once opened. */
export type IssuedCase = WorkflowHandle<typeof inquiryCase> & { readonly opened: InquiryView | undefined };

export async function issueInquiry(client: Client, taskQueue: string, roster: Roster, i: IssueInquiry): Promise<IssuedCase> {
  const problems: string[] = [];
  if (!roster.townships.some((t) => t.code === i.township)) problems.push(`township：名册中没有乡镇${i.township}`);
  const issuer = roster.people.find((p) => p.id === i.issuedBy);
  if (!issuer) problems.push(`issuedBy：名册中没有${i.issuedBy}`);
  else if (issuer.role !== 'org-department-staff' && issuer.role !== 'org-department-head') problems.push(`issuedBy：${i.issuedBy}不是县委组织部人员（是${roleLabels[issuer.role]}）`);
  const addressees = [
    ...holders(roster, 'township-party-secretary', { township: i.township }).slice(0, 1),
    ...holders(roster, 'organization-officer', { township: i.township }).slice(0, 1),
  ];
  if (problems.length === 0 && addressees.length === 0) problems.push(`township：名册中没有${i.township}的乡镇党委书记或组织干事`);
  const input: InquiryInput = {
    caseId: i.caseId ?? defaultCaseId(i),
    county: roster.county.code,
    township: i.township,
    kind: i.kind ?? 'inquiry',
    issuedBy: i.issuedBy,
    issuerRole: issuer?.role === 'org-department-head' ? 'org-department-head' : 'org-department-staff',
    reason: i.reason,
    recipients: addressees.map((p) => p.id),
    recipientRoles: addressees.map((p) => p.role as 'township-party-secretary' | 'organization-officer'),
    ...(i.proposalQuarter ? { proposalQuarter: i.proposalQuarter } : {}),
    ...(i.policy ? { policy: i.policy } : {}),
  };
  const parsed = inquiryInputSchema.safeParse(input);
  if (!parsed.success) problems.push(...parsed.error.issues.map((x) => `${formatPath(x.path)}: ${x.message}`));
  if (problems.length > 0) throw new InvalidInquiryError(problems);

  // Answering a proposal: it must exist and be undecided, or decided for this very case (issued again).
  const township = client.workflow.getHandle(townshipWorkflowId(i.township));
  let decide = false;
  if (i.proposalQuarter) {
    const view = await township.query(townshipStateQuery).catch((err: unknown) => {
      if (err instanceof WorkflowNotFoundError) throw new InvalidInquiryError([`proposalQuarter：${i.township}没有督促工作流（尚无整顿对象）`]);
      throw err;
    });
    const proposal = view.proposals.find((p) => p.quarter === i.proposalQuarter);
    if (!proposal) throw new InvalidInquiryError([`proposalQuarter：${i.township}没有${i.proposalQuarter}的函询建议`]);
    if (proposal.decision && proposal.decision.caseId !== input.caseId) {
      throw new InvalidInquiryError([`proposalQuarter：${i.proposalQuarter}的函询建议已于${proposal.decision.on}作出决定`]);
    }
    decide = !proposal.decision;
  }

  await ensureLedger(client, taskQueue, roster.county.code);
  // The letter's 文号: the ledger's next number this year, or the one it gave this case before.
  const docNumber = i.docNumber ?? (await allocateDocNumber(client, roster.county.code, `${input.caseId}/letter`));
  // The county's urging digest covers the case's overdue duties.
  await client.workflow.signalWithStart<typeof countyProgramme, [CaseChange]>(PROGRAMME_WORKFLOW_TYPE, {
    taskQueue,
    workflowId: programmeWorkflowId(roster.county.code),
    args: [{ county: roster.county.code, ...(i.policy ? { policy: i.policy } : {}) }],
    signal: caseChangedSignal,
    signalArgs: [{ caseId: input.caseId, township: i.township, open: true }],
  });
  const handle = await client.workflow.start<typeof inquiryCase>(INQUIRY_WORKFLOW_TYPE, {
    taskQueue,
    workflowId: inquiryWorkflowId(input.caseId),
    args: [{ ...input, docNumber }],
    workflowIdConflictPolicy: 'USE_EXISTING',
    typedSearchAttributes: [{ key: TownshipKey, value: i.township }, { key: StageKey, value: i.kind === 'talk' ? 'talk-required' : 'awaiting-explanation' }],
  });
  if (decide) {
    await township.executeUpdate(decideProposalUpdate, { args: [{ quarter: i.proposalQuarter!, decision: 'inquiry', by: i.issuedBy, caseId: input.caseId }] });
  }
  if (i.waitOpened === false) return Object.assign(handle, { opened: undefined });
  // The case as its recipients will see it: numbered, addressed, with its deadline.
  const opened = await handle.executeUpdate(caseOpenedUpdate);
  return Object.assign(handle, { opened });
}
