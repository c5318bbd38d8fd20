/**
 * The escalation ladder that turns an obligation's due date into dated reminder and escalation
 * steps (DESIGN.md, Escalation and consequences). Offsets count working days from the due date;
 * every step falls on a working day, in the morning, China time.
 */
import { z } from 'zod';
import { addWorkingDays, instantOf, isoInstant, type Deadline, type LocalDate } from './calendar';
import { roles, type Role } from '../../../domain/roster';

export const severities = ['reminder', 'due', 'overdue', 'red-warning'] as const;
export type Severity = (typeof severities)[number];

export const severityLabels: Record<Severity, string> = {
  reminder: '提醒',
  due: '到期提醒',
  overdue: '逾期通知',
  'red-warning': '红色预警',
};

/** `responsible` stands for whoever holds the obligation's responsible post. */
const recipientSchema = z.union([z.literal('responsible'), z.enum(roles)]);
export type Recipient = z.infer<typeof recipientSchema>;

const stepSchema = z.object({
  id: z.string().regex(/^[a-z][a-z0-9-]{0,30}$/, 'must be lower-case letters, digits and -'),
  severity: z.enum(severities),
  offsetWorkingDays: z.number().int().min(-30).max(60),
  notify: z.array(recipientSchema).min(1, 'a step notifies at least one recipient'),
});

export const escalationPolicySchema = z
  .object({
    /** Hour of the morning, China time, at which reminders go out. */
    morningHour: z.number().int().min(6).max(11),
    steps: z.array(stepSchema).min(1, 'the ladder needs at least one step'),
  })
  .superRefine((p, ctx) => {
    const ids = new Set<string>();
    p.steps.forEach((s, i) => {
      if (ids.has(s.id)) ctx.addIssue({ code: 'custom', path: ['steps', i, 'id'], message: `duplicate step id ${s.id}` });
      ids.add(s.id);
      const prev = p.steps[i - 1];
      if (prev && s.offsetWorkingDays <= prev.offsetWorkingDays) {
        ctx.addIssue({
          code: 'custom',
          path: ['steps', i, 'offsetWorkingDays'],
          message: `must come after the previous step (${prev.offsetWorkingDays}); steps are in ladder order`,
        });
      }
      if ((s.severity === 'overdue' || s.severity === 'red-warning') && s.offsetWorkingDays <= 0) {
        ctx.addIssue({ code: 'custom', path: ['steps', i, 'offsetWorkingDays'], message: `the ${s.severity} step must come after the due date (offset > 0)` });
      }
      if ((s.severity === 'reminder' || s.severity === 'due') && s.offsetWorkingDays > 0) {
        ctx.addIssue({ code: 'custom', path: ['steps', i, 'offsetWorkingDays'], message: `the ${s.severity} step must come on or before the due date (offset ≤ 0)` });
      }
    });
  });
export type EscalationPolicy = z.infer<typeof escalationPolicySchema>;

/**
 * The default ladder: a reminder three working days before, one on the due day, an overdue notice
 * to the responsible person and the township party secretary the next working day, a red warning
 * to the county organization department two working days after that (六(三) supervision; the red
 * warning is what the department's inquiry letters under 六(四) start from).
 */
export const defaultEscalationPolicy: EscalationPolicy = escalationPolicySchema.parse({
  morningHour: 9,
  steps: [
    { id: 'reminder', severity: 'reminder', offsetWorkingDays: -3, notify: ['responsible'] },
    { id: 'due-day', severity: 'due', offsetWorkingDays: 0, notify: ['responsible'] },
    { id: 'overdue', severity: 'overdue', offsetWorkingDays: 1, notify: ['responsible', 'township-party-secretary'] },
    { id: 'red-warning', severity: 'red-warning', offsetWorkingDays: 3, notify: ['org-department-staff'] },
  ],
});

export interface LadderStep {
  readonly id: string;
  readonly severity: Severity;
  readonly date: LocalDate;
  /** ISO instant: the morning hour on `date`, China time. */
  readonly at: string;
  /** Posts to notify; people are resolved when the step is sent. */
  readonly notify: readonly Role[];
}

/** The dated steps for a due date; `responsible` is replaced by the obligation's responsible post. */
export function ladderFor(due: Deadline, responsible: Role, policy: EscalationPolicy = defaultEscalationPolicy): LadderStep[] {
  return policy.steps.map((s) => {
    const date = addWorkingDays(due.date, s.offsetWorkingDays);
    const notify = [...new Set(s.notify.map((r) => (r === 'responsible' ? responsible : r)))];
    return { id: s.id, severity: s.severity, date, at: isoInstant(instantOf(date, policy.morningHour)), notify };
  });
}
