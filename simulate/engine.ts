/**
 * The programme played forward: the product's own workflows and activities on the time-skipping
 * server, real mail into an SMTP server started for the run, and simulated people who act
 * through the service layer the API uses. Each simulated day the engine looks at every entity at
 * 10:00 China time, decides (from the scenario's rates and its seed, per duty) what each duty's
 * owner will do and when, and does what falls due that day. Same scenario and seed, same timeline.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { createActivities } from '../src/activities';
import { calendarStore } from '../src/activities/calendar-store';
import { createSmtpMailer } from '../src/activities/mailer';
import { readRosterFile } from '../src/activities/roster-file';
import { openSentJournal } from '../src/activities/sent-journal';
import type { EntityStatus, ObligationView } from '../src/contracts/common';
import { handoverQuery, type Handover } from '../src/contracts/entity';
import { inquiryStateQuery, inquiryWorkflowId, type InquiryView } from '../src/contracts/inquiry';
import { ledgerEntriesQuery, ledgerWorkflowId } from '../src/contracts/ledger';
import { programmeStateQuery, programmeWorkflowId, type ProgrammeView } from '../src/contracts/programme';
import { townshipStateQuery, townshipWorkflowId, type TownshipView } from '../src/contracts/township';
import { stateQuery, villageWorkflowId, type VillageView } from '../src/contracts/village';
import { addDays, cycleYearEnd, dayOfWeek, diffDays, instantOf, localDateOf, yearOf, type LocalDate } from '../src/domain/calendar';
import type { Consequence } from '../src/domain/consequences';
import type { Figures } from '../src/documents/figures';
import { builtinPolicy, type Policy } from '../src/domain/policy';
import { holders, type Role, type Roster } from '../src/domain/roster';
import { SmtpSink } from '../src/infra/smtp-sink';
import { readPolicyFile } from '../src/infra/policy-file';
import type { EntityRef } from '../src/service/authorization';
import { ServiceError } from '../src/service/errors';
import { Service } from '../src/service/service';
import { advanceTo, runHistories } from '../test/support/clock';
import { bundle, createTimeSkippingEnv } from '../test/support/temporal';
import type { Rates, Scenario, ScriptedEvent } from './scenario';
import { chinaIso, mailEvent, sortTimeline, type ObligationRef, type TimelineEvent } from './timeline';

export const SAMPLE_ROSTER = path.resolve(__dirname, '../roster/sample-county.json');
/** The simulated people look and act at 10:00 China time: after the morning's notices (09:00). */
const ACT_HOUR = 10;

export interface Progress {
  readonly day: LocalDate;
  readonly start: LocalDate;
  readonly end: LocalDate;
  readonly mail: number;
  readonly elapsedMs: number;
}

/** What the report draws: per sample day (Mondays), each township's open and overdue duties, and targets per stage. */
export interface Sample {
  readonly on: LocalDate;
  readonly townships: Record<string, { open: number; overdue: number }>;
  readonly stages: Record<string, number>;
}

/** The department's figures at a month's end (GET /api/figures as of that day): what summary.json and the report's 转化进度 show. */
export type MonthFigures = { readonly month: string; readonly asOf: LocalDate } & Figures['totals'] & {
  /** 二's goal per designation year: targets, transformed by the goal's date, the goal's date. */
  readonly byYear: readonly Pick<Figures['byYear'][number], 'designatedIn' | 'targets' | 'transformed' | 'goalDate'>[];
};

export interface SimulationResult {
  readonly scenario: Scenario;
  readonly roster: Roster;
  readonly start: LocalDate;
  readonly end: LocalDate;
  readonly timeline: TimelineEvent[];
  readonly samples: Sample[];
  readonly figures: MonthFigures[];
  readonly villages: VillageView[];
  readonly townships: TownshipView[];
  readonly cases: InquiryView[];
  readonly consequences: Consequence[];
  readonly actions: Record<string, number>;
  /** Actions the product refused or that failed: a simulation that meets one says so. */
  readonly problems: string[];
  readonly historyEvents: Record<string, number>;
  readonly wallMs: number;
  /** With `handover`: every workflow still running at the end, ready to be started elsewhere. */
  readonly handover?: readonly HandedOver[];
}

/** A small seeded generator (mulberry32) per duty: a decision does not depend on the order duties are met in. */
function rng(seed: number, key: string): () => number {
  let h = 2166136261 ^ seed;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 16777619);
  let a = h >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Outcome = 'on-time' | 'late' | 'missed';

interface Planned {
  readonly on: LocalDate;
  readonly entity: EntityRef;
  readonly obligation: ObligationView;
}

/** The first working day (Monday to Friday) on or after a date. */
function weekday(date: LocalDate): LocalDate {
  let d = date;
  while (dayOfWeek(d) === 0 || dayOfWeek(d) === 6) d = addDays(d, 1);
  return d;
}

function entityKey(e: EntityRef): string {
  return e.kind === 'village' ? `village:${e.village}` : e.kind === 'township' ? `township:${e.township}` : e.kind === 'case' ? `case:${e.caseId}` : 'county';
}

function obligationRef(o: { id: string; kind: string; clause: string; dueDate: string }, subject: string): ObligationRef {
  return { id: o.id, kind: o.kind, subject, due: o.dueDate, clause: o.clause };
}

export interface SimulateOptions {
  readonly onProgress?: (p: Progress) => void;
  /** At the end, what starts each running workflow anew where it stands (the demo's hand-over to the dev server). */
  readonly handover?: boolean;
}

/** A running workflow as it stands at the end: its id, and its type and arguments to start it so elsewhere. */
export interface HandedOver extends Handover {
  readonly workflowId: string;
}

export async function simulate(scenario: Scenario, opts: SimulateOptions = {}): Promise<SimulationResult> {
  const t0 = performance.now();
  const rosterFile = scenario.roster ? path.resolve(scenario.dir, scenario.roster) : SAMPLE_ROSTER;
  const roster = readRosterFile(rosterFile);
  const policy: Policy = scenario.policy ? readPolicyFile(path.resolve(scenario.dir, scenario.policy)) : builtinPolicy();
  const designations = [...roster.designations].sort((a, b) => a.date.localeCompare(b.date) || a.village.localeCompare(b.village));
  if (designations.length === 0) throw new Error(`名册${rosterFile}中没有认定的整顿对象，无可模拟`);
  const start = scenario.start ?? designations[0]!.date;
  const end = scenario.end ?? cycleYearEnd(designations.at(-1)!.date, 3);
  const b = scenario.behaviour;
  const countyCode = roster.county.code;

  const dir = mkdtempSync(path.join(tmpdir(), 'simulate-'));
  const [env, workflowBundle, sink] = await Promise.all([
    createTimeSkippingEnv({ startAt: new Date(instantOf(start)).toISOString() }),
    bundle(path.resolve(__dirname, '../src/workflows')),
    SmtpSink.start(),
  ]);
  const mailer = createSmtpMailer({ host: sink.host, port: sink.port, secure: false, auth: undefined, poolSize: 3, from: '整顿提升工作提醒 <noreply@simulate.example.org>' });
  const calendar = calendarStore(path.join(dir, 'calendar'));
  const activities = createActivities({
    mailer,
    journal: openSentJournal(path.join(dir, 'journal')),
    roster: { current: () => roster, problem: () => undefined },
    baseUrl: 'http://rect.simulate.example.org',
    calendar,
    temporal: env.client,
  });
  const taskQueue = 'simulate';
  const worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle, activities });
  const running = worker.run();
  // The service judges "now" by the simulated clock (a talk's time must be in the simulated future, not the machine's).
  const service = new Service({ client: env.client, taskQueue, roster: () => roster, policy: () => policy, calendar, now: () => env.currentTimeMs() });

  const timeline: TimelineEvent[] = [];
  const samples: Sample[] = [];
  const figures: MonthFigures[] = [];
  const actions: Record<string, number> = {};
  const problems: string[] = [];
  const seenOpen = new Set<string>();
  const seenClosed = new Set<string>();
  const stages = new Map<string, string>();
  const seenConsequences = new Set<string>();
  const decided = new Map<string, Outcome>();
  const planned = new Map<string, Planned>();
  const departmentDone = new Set<string>();
  const firstRuns = new Map<string, string>();
  const villages = new Map<string, VillageView>();
  const townships = new Map<string, TownshipView>();
  /** Inquiry cases by id: their view once read (a case just opened has none yet). */
  const cases = new Map<string, InquiryView | undefined>();
  let consequences: Consequence[] = [];

  const person = (role: Role, place: { township?: string; village?: string } = {}): string | undefined => holders(roster, role, place)[0]?.id;
  const staff = person('org-department-staff');
  if (!staff) throw new Error('名册中没有县委组织部工作人员（org-department-staff），无人办理认定');
  const staffActor = service.actor(staff);

  const act = async (what: string, on: LocalDate, fn: () => Promise<unknown>): Promise<void> => {
    try {
      await fn();
      actions[what] = (actions[what] ?? 0) + 1;
    } catch (err) {
      const message = err instanceof ServiceError ? `${err.kind}: ${err.message}` : (err as Error).message;
      problems.push(`${on} ${what}: ${message}`);
    }
  };

  /** Who acts on a duty: its responsible post's holder for the place, else the department. */
  const responsibleActor = (o: ObligationView, e: EntityRef): string => {
    if ('people' in o.responsible) return o.responsible.people[0] ?? staff;
    const role = o.responsible.role as Role;
    if (['org-department-staff', 'org-department-head', 'operator'].includes(role)) return person(role) ?? staff;
    if (role === 'township-party-secretary' || role === 'organization-officer') return (e.kind === 'county' ? undefined : person(role, { township: e.township })) ?? staff;
    return (e.kind === 'village' ? person(role, { village: e.village }) : undefined) ?? staff;
  };

  const townshipOf = (e: EntityRef): string | undefined => (e.kind === 'county' ? undefined : e.township);
  const villageOf = (e: EntityRef): string | undefined => (e.kind === 'village' ? e.village : undefined);

  const scripted = (o: ObligationView, e: EntityRef): boolean =>
    scenario.events.some(
      (ev: ScriptedEvent) =>
        ev.type === 'missed' &&
        (ev.obligation === undefined || ev.obligation === o.id) &&
        (ev.kind === undefined || ev.kind === o.kind) &&
        (ev.township === undefined || ev.township === townshipOf(e)) &&
        (ev.village === undefined || ev.village === villageOf(e)) &&
        (ev.from === undefined || o.dueDate >= ev.from) &&
        (ev.until === undefined || o.dueDate <= ev.until),
    );

  const ratesFor = (o: ObligationView, e: EntityRef): Rates => {
    const t = townshipOf(e);
    return (t ? b.byTownship[t] : undefined) ?? b.byKind[o.kind] ?? b.default;
  };

  /** Decides once per duty what its owner does, and when. */
  const plan = (o: ObligationView, e: EntityRef, today: LocalDate): void => {
    const key = `${entityKey(e)}|${o.id}`;
    if (decided.has(key)) return;
    const r = rng(scenario.seed, key);
    let outcome: Outcome;
    if (scripted(o, e)) outcome = 'missed';
    else {
      const rates = ratesFor(o, e);
      const u = r();
      outcome = u < rates.missed ? 'missed' : u < rates.missed + rates.late ? 'late' : 'on-time';
    }
    decided.set(key, outcome);
    if (outcome === 'missed') return;
    const from = o.periodStart > today ? o.periodStart : today;
    let on: LocalDate;
    if (outcome === 'on-time') {
      const span = Math.max(0, diffDays(o.dueDate, from));
      on = addDays(from, Math.min(span, Math.floor(r() * (span + 1))));
    } else {
      const [lo, hi] = b.lateDays;
      on = addDays(o.dueDate, lo + Math.floor(r() * (hi - lo + 1)));
    }
    // People act on weekdays.
    planned.set(key, { on: weekday(on < today ? today : on), entity: e, obligation: o });
  };

  /** Looks at an entity's duties: opened and closed ones go to the timeline; new ones are planned. */
  const observe = (e: EntityRef, s: EntityStatus, subject: string, today: LocalDate): void => {
    const ek = entityKey(e);
    for (const o of s.open) {
      const key = `${ek}|${o.id}`;
      if (!seenOpen.has(key)) {
        seenOpen.add(key);
        timeline.push({ at: chinaIso(Date.parse(o.openedAt)), type: 'opened', entity: ek, obligation: obligationRef(o, subject), title: o.title });
      }
      plan(o, e, today);
    }
    for (const c of s.recentlyClosed) {
      const key = `${ek}|${c.id}`;
      if (seenClosed.has(key)) continue;
      seenClosed.add(key);
      planned.delete(key);
      timeline.push({ at: chinaIso(Date.parse(c.closed.at)), type: 'closed', entity: ek, obligation: obligationRef(c, subject), how: c.closed.how, on: c.closed.on });
    }
  };

  const stage = (entity: string, to: string, now: number): void => {
    const from = stages.get(entity);
    if (from === to) return;
    stages.set(entity, to);
    timeline.push({ at: chinaIso(now), type: 'stage', entity, from: from ?? null, to });
  };

  const query = async <T>(workflowId: string, q: Parameters<ReturnType<typeof env.client.workflow.getHandle>['query']>[0]): Promise<T | undefined> => {
    const handle = env.client.workflow.getHandle(workflowId);
    if (!firstRuns.has(workflowId)) {
      const d = await handle.describe().catch(() => undefined);
      if (!d) return undefined;
      firstRuns.set(workflowId, d.runId);
    }
    return (handle.query(q) as Promise<T>).catch(() => undefined);
  };

  const designated = new Set<string>();
  const look = async (today: LocalDate, now: number): Promise<void> => {
    for (const code of designated) {
      const v = await query<VillageView>(villageWorkflowId(code), stateQuery);
      if (!v) continue;
      villages.set(code, v);
      const e: EntityRef = { kind: 'village', township: v.township, village: code };
      observe(e, v, `village:${code}`, today);
      stage(`village:${code}`, v.stage, now);
    }
    for (const t of new Set([...designated].map((c) => villages.get(c)?.township).filter((x): x is string => !!x))) {
      const v = await query<TownshipView>(townshipWorkflowId(t), townshipStateQuery);
      if (!v) continue;
      townships.set(t, v);
      observe({ kind: 'township', township: t }, v, `township:${t}`, today);
    }
    const c = await query<ProgrammeView>(programmeWorkflowId(countyCode), programmeStateQuery);
    if (c) {
      observe({ kind: 'county' }, c, `county:${countyCode}`, today);
      for (const id of c.openCases) if (!cases.has(id)) cases.set(id, undefined);
    }
    for (const id of [...cases.keys()]) {
      const before = cases.get(id);
      if (before?.stage === 'closed') continue;
      const v = await query<InquiryView>(inquiryWorkflowId(id), inquiryStateQuery);
      if (!v) continue;
      cases.set(id, v);
      observe({ kind: 'case', township: v.township, caseId: id }, v, `case:${id}`, today);
      stage(`case:${id}`, v.stage, now);
    }
    const entries = await query<Consequence[]>(ledgerWorkflowId(countyCode), ledgerEntriesQuery);
    if (entries) {
      consequences = entries;
      for (const k of entries) {
        const key = JSON.stringify([k.kind, k.subject, k.from, k.cause]);
        if (seenConsequences.has(key)) continue;
        seenConsequences.add(key);
        const who = k.subject.type === 'person' ? k.subject.id : k.subject.type === 'department' ? `department:${k.subject.code}` : `village:${k.subject.code}`;
        const wholeYear = k.until !== undefined && k.from.endsWith('-01-01') && k.until === `${k.from.slice(0, 4)}-12-31`;
        // In force from a day that may lie before it was recorded (a year's award ineligibility): it enters the timeline when the ledger has it.
        timeline.push({
          at: chinaIso(Math.max(instantOf(k.from), now)),
          type: 'consequence',
          person: who,
          kind: k.kind,
          from: k.from,
          ...(wholeYear ? { year: yearOf(k.from) } : k.until ? { until: k.until } : {}),
          clause: k.clause,
          case: k.cause,
        });
      }
    }
  };

  /** What the department does without a duty of its own to remind it: plan reviews, proposals, missed explanations. */
  const department = async (today: LocalDate): Promise<void> => {
    for (const [code, v] of villages) {
      if (v.plan.status !== 'submitted' || !v.plan.submittedOn) continue;
      const key = `plan-review|${code}|${v.plan.revisions}`;
      if (departmentDone.has(key) || today < weekday(addDays(v.plan.submittedOn, b.departmentDays))) continue;
      departmentDone.add(key);
      const returned = v.plan.revisions === 0 && rng(scenario.seed, key)() < b.planReturnRate;
      await act(returned ? 'plan-returned' : 'plan-approved', today, () =>
        service.reviewPlan(staffActor, code, returned ? { decision: 'return', comments: '整顿措施不够具体，请细化时间表和责任人', revisionDue: addDays(today, 15) } : { decision: 'approve', comments: '同意' }),
      );
    }
    for (const [t, v] of townships) {
      for (const p of v.proposals) {
        if (p.decision) continue;
        const key = `proposal|${t}|${p.quarter}`;
        if (departmentDone.has(key) || today < weekday(addDays(localDateOf(Date.parse(p.proposedAt)), b.departmentDays))) continue;
        departmentDone.add(key);
        if (rng(scenario.seed, key)() < b.proposalInquiryRate) {
          await act('inquiry-issued', today, async () => {
            const r = await service.issueInquiry(staffActor, { township: t, reason: `${p.quarterLabel}未按要求每半月报送整顿工作进展情况`, proposalQuarter: p.quarter });
            cases.set(r.workflowId.replace(/^inquiry:/, ''), undefined);
          });
        } else {
          await act('proposal-declined', today, () => service.decideProposal(staffActor, t, { quarter: p.quarter, decision: 'decline', note: '已当面提醒，暂不函询' }));
        }
      }
    }
  };

  /**
   * A written explanation left overdue where the policy does not order the talk itself: the
   * department orders one (at the scenario's rate) or waives the explanation.
   */
  const missedExplanations = async (today: LocalDate): Promise<void> => {
    if (policy.supervision.talkAfterMissedExplanation.value) return;
    for (const [id, c] of cases) {
      const missed = c?.stage === 'awaiting-explanation' ? c.open.find((o) => o.kind === 'written-explanation' && o.overdue) : undefined;
      if (!c || !missed) continue;
      const key = `missed-explanation|${id}`;
      if (departmentDone.has(key) || today < weekday(addDays(missed.dueDate, b.departmentDays))) continue;
      departmentDone.add(key);
      const entity: EntityRef = { kind: 'case', township: c.township, caseId: id };
      if (rng(scenario.seed, key)() < b.missedExplanationTalkRate) await act('talk-ordered', today, () => service.orderTalk(staffActor, id, { why: `逾期未报送书面说明（截止${missed.dueDate}）` }));
      else await act('explanation-waived', today, () => service.waive(staffActor, entity, { obligationId: missed.id, reason: '经当面了解已落实整改，不再要求书面说明' }));
    }
  };

  /** Does what the owner of a duty planned for today. */
  const perform = async (p: Planned, today: LocalDate): Promise<void> => {
    const o = p.obligation;
    const e = p.entity;
    const who = service.actor(responsibleActor(o, e));
    switch (o.kind) {
      case 'rectification-plan':
        return act('plan-submitted', today, () =>
          service.submitPlan(who, (e as { village: string }).village, { summary: '围绕软弱涣散问题制定整顿方案，明确责任人和时间表', measures: ['调整充实村“两委”班子', '规范“三会一课”和主题党日', '发展壮大村级集体经济'] }),
        );
      case 'half-monthly-report': {
        const t = (e as { township: string }).township;
        const targets = (townships.get(t)?.targets ?? []).filter((x) => x.active).map((x) => x.village);
        if (targets.length === 0) return act('duty-fulfilled', today, () => service.fulfil(who, e, { obligationId: o.id, fulfilledOn: today }));
        const period = `${o.periodStart.slice(0, 7)}-H${Number(o.periodStart.slice(8, 10)) < 16 ? 1 : 2}`;
        return act('report-submitted', today, () => service.submitReport(who, t, { period, entries: targets.map((village) => ({ village, progress: '按整顿方案推进，本期完成走访和组织生活' })) }));
      }
      case 'township-quarterly-study': {
        const quarter = `${o.periodStart.slice(0, 4)}-Q${Math.floor((Number(o.periodStart.slice(5, 7)) - 1) / 3) + 1}`;
        return act('study-recorded', today, () => service.recordStudy(who, (e as { township: string }).township, { quarter, heldOn: today, summary: '乡镇党委专题研究软弱涣散村整顿工作' }));
      }
      case 'acceptance-evaluation': {
        const village = (e as { village: string }).village;
        const year = yearOf(o.periodStart);
        const script = scenario.events.find((ev): ev is Extract<ScriptedEvent, { type: 'acceptance' }> => ev.type === 'acceptance' && ev.village === village && ev.year === year);
        // A target already transformed keeps its result in the years of consolidation and upgrading, unless scripted.
        const before = villages.get(village)?.acceptances.some((a) => a.transformed && a.year < year) ?? false;
        const transformed = script ? script.transformed : before || rng(scenario.seed, `acceptance|${village}|${year}`)() < b.acceptancePassRate;
        return act(transformed ? 'acceptance-transformed' : 'acceptance-not-transformed', today, () =>
          service.recordAcceptance(who, village, {
            year,
            evaluatedOn: today,
            // Each ground of the designation: all resolved when the county decides the target transformed, none otherwise.
            grounds: (villages.get(village)?.designation.criteria ?? []).map((c) => ({ criterion: c.criterion, resolved: transformed, evidence: transformed ? '问题已整改到位' : '问题尚未整改到位' })),
            transformed,
            meeting: `县委常委会（${year}年验收评价）`,
            summary: transformed ? '整顿目标已实现，同意转化' : '整顿措施落实不到位，未实现转化',
          }),
        );
      }
      case 'written-explanation':
        return act('explanation-submitted', today, () =>
          service.submitExplanation(who, (e as { caseId: string }).caseId, { rootCause: '乡镇党委对整顿工作重视不够，督促不力', measures: '明确专人负责，每半月按时报送进展', timeLimit: addDays(today, 30) }),
        );
      case 'explanation-review': {
        const caseId = (e as { caseId: string }).caseId;
        const talk = rng(scenario.seed, `review|${caseId}`)() < b.explanationTalkRate;
        return act(talk ? 'talk-ordered' : 'explanation-accepted', today, () => service.reviewExplanation(who, caseId, talk ? { decision: 'talk', note: '问题突出，整改措施不实' } : { decision: 'accept', note: '认可' }));
      }
      case 'talk': {
        const caseId = (e as { caseId: string }).caseId;
        const c = cases.get(caseId);
        if (c?.stage === 'talk-required') {
          const on = weekday(addDays(today, 1));
          await act('talk-scheduled', today, () => service.scheduleTalk(who, caseId, { at: `${on}T09:30`, place: '县委组织部会议室', conductor: who.id }));
          planned.set(`case:${caseId}|${o.id}`, { on, entity: e, obligation: o });
          return;
        }
        return act('talk-recorded', today, () => service.recordTalk(who, caseId, { heldOn: today, outcome: '指出问题，提出整改要求，当事人表态认真整改' }));
      }
      default:
        return act('duty-fulfilled', today, () => service.fulfil(who, e, { obligationId: o.id, fulfilledOn: today }));
    }
  };

  const scriptedToday = async (today: LocalDate): Promise<void> => {
    for (const ev of scenario.events) {
      if (ev.type === 'withdrawal' && ev.on === today) await act('withdrawn', today, () => service.withdraw(staffActor, ev.village, { reason: ev.reason }));
      if (ev.type === 'reassignment' && ev.on === today) await act('reassigned', today, () => service.reassign(staffActor, ev.village, { role: ev.role, person: ev.person, effectiveOn: today }));
    }
  };

  const sample = (today: LocalDate): void => {
    const byTownship: Sample['townships'] = {};
    const count = (t: string, s: EntityStatus | undefined): void => {
      if (!s) return;
      const slot = (byTownship[t] ??= { open: 0, overdue: 0 });
      slot.open += s.open.length;
      slot.overdue += s.open.filter((o) => o.overdue).length;
    };
    for (const t of townships.keys()) byTownship[t] = { open: 0, overdue: 0 };
    for (const [t, v] of townships) count(t, v);
    for (const v of villages.values()) count(v.township, v);
    for (const c of cases.values()) if (c) count(c.township, c);
    const stageCounts: Record<string, number> = {};
    for (const v of villages.values()) stageCounts[v.stage] = (stageCounts[v.stage] ?? 0) + 1;
    samples.push({ on: today, townships: byTownship, stages: stageCounts });
  };

  // The department's figures at each month's end, as the workbench computes them.
  const monthFigures = async (today: LocalDate): Promise<void> => {
    try {
      const f = await service.figures(staffActor, { asOf: today });
      figures.push({ month: today.slice(0, 7), asOf: today, ...f.totals, byYear: f.byYear.map((y) => ({ designatedIn: y.designatedIn, targets: y.targets, transformed: y.transformed, goalDate: y.goalDate })) });
    } catch (err) {
      problems.push(`${today} 统计：${(err as Error).message}`);
    }
  };

  try {
    for (let today = start; today <= end; today = addDays(today, 1)) {
      const now = instantOf(today, ACT_HOUR);
      await advanceTo(env, new Date(now).toISOString());
      for (const d of designations) {
        if (designated.has(d.village) || d.date > today) continue;
        designated.add(d.village);
        await act('designated', today, () => service.designate(staffActor, d.village));
      }
      await scriptedToday(today);
      await look(today, now);
      await department(today);
      await missedExplanations(today);
      const due = [...planned.entries()].filter(([, p]) => p.on <= today).sort(([a], [b2]) => (a < b2 ? -1 : a > b2 ? 1 : 0));
      for (const [key, p] of due) {
        planned.delete(key);
        await perform(p, today);
      }
      if (due.length > 0) await look(today, now);
      if (dayOfWeek(today) === 1 || today === end) sample(today);
      if (addDays(today, 1).slice(0, 7) !== today.slice(0, 7) || today === end) await monthFigures(today);
      opts.onProgress?.({ day: today, start, end, mail: sink.received.length, elapsedMs: performance.now() - t0 });
    }
    // The last morning's mail is in; what the workflows did is in their histories.
    for (const m of sink.received) {
      const ev = mailEvent(m, roster);
      if (ev) timeline.push(ev);
    }
    const handover: HandedOver[] = [];
    if (opts.handover) {
      const ids = [
        ...designations.map((d) => villageWorkflowId(d.village)),
        ...roster.townships.map((t) => townshipWorkflowId(t.code)),
        programmeWorkflowId(countyCode),
        ledgerWorkflowId(countyCode),
        ...[...cases.keys()].map(inquiryWorkflowId),
      ];
      for (const workflowId of ids) {
        const handle = env.client.workflow.getHandle(workflowId);
        const running = await handle.describe().then((d) => d.status.name === 'RUNNING', () => false);
        if (running) handover.push({ workflowId, ...(await handle.query(handoverQuery)) });
      }
    }
    const historyEvents: Record<string, number> = {};
    for (const [id, run] of firstRuns) {
      const hs = await runHistories(env, id, run).catch(() => []);
      historyEvents[id] = hs.reduce((n, h) => n + (h.events?.length ?? 0), 0);
    }
    return {
      scenario,
      roster,
      start,
      end,
      timeline: sortTimeline(timeline),
      samples,
      figures,
      villages: [...villages.values()],
      townships: [...townships.values()],
      cases: [...cases.values()].filter((c): c is InquiryView => c !== undefined),
      consequences,
      actions,
      problems,
      historyEvents,
      wallMs: Math.round(performance.now() - t0),
      ...(opts.handover ? { handover } : {}),
    };
  } finally {
    worker.shutdown();
    await running;
    mailer.close();
    await sink.close();
    await (env as TestWorkflowEnvironment).teardown();
    rmSync(dir, { recursive: true, force: true });
  }
}
