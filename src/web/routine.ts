/**
 * The routine activities of the township's half-monthly report form (四(四)12, 四(五)17): what each
 * target's flag-raising, 惠民服务日 and 集中落实 came to in the half month reported on.
 */
import type { ObligationView } from '../contracts/common';
import type { VillageView } from '../contracts/village';
import type { Period } from '../domain/calendar';
import { isRoutine } from '../domain/kinds';

/**
 * A target's routine activities due in a half month, as the township's report form lists them:
 * held (with the day recorded), not recorded yet, or recorded as not held (未落实).
 */
export function routineOfHalf(v: Pick<VillageView, 'open' | 'recentlyClosed'> | undefined, half: Pick<Period, 'start' | 'end'>): string[] {
  if (!v) return [];
  const within = (o: { kind: ObligationView['kind']; dueDate: string }): boolean => isRoutine(o.kind) && half.start <= o.dueDate && o.dueDate <= half.end;
  const day = (d: string): string => `${Number(d.slice(5, 7))}月${Number(d.slice(8, 10))}日`;
  return [
    ...v.recentlyClosed.filter(within).map((c) => `${c.title}（${c.periodLabel}）${c.closed.how === 'missed' ? '未落实' : c.closed.how === 'waived' ? '已免除' : `已开展（${day(c.closed.on)}）`}`),
    ...v.open.filter(within).map((o) => `${o.title}（${o.periodLabel}）${o.overdue ? '未记录开展：如已开展，请在下方填写日期，否则本半月结束后记为未落实' : '待开展'}`),
  ];
}

