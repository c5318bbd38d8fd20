/**
 * The service layer every surface calls: it resolves the entity an action is on, decides with the
 * authorization table whether the actor may take it, validates the body with the contract's own
 * schema, sets the actor from the caller's proven identity (a body that names who acts is an
 * error), and sends the update. Errors come back as ServiceError, one closed set of kinds.
 *
 * One `Service`, its rooms by entity: what they share in ./core.ts, the targets in ./villages.ts,
 * the townships in ./townships.ts, inquiry cases in ./cases.ts, the county in ./county.ts and the
 * county's books (台账, figures, consequences) in ./ledger.ts. Each room is a class over the core;
 * `Service` is the core with every room's methods (the TypeScript handbook's mixin pattern).
 */
import { CaseActions } from './cases';
import { ServiceCore } from './core';
import { CountyActions } from './county';
import { LedgerActions } from './ledger';
import { TownshipActions } from './townships';
import { VillageActions } from './villages';

export { atQueryTime, badInput, parseInput, type ServiceDeps } from './core';
export { DESIGNATE_MANY_MAX, designateManySchema } from './villages';
export { figuresQuerySchema, figuresReportQuerySchema } from './ledger';
export { listFilterSchema, type CalendarPublication, type ListFilter, type ListItem } from './county';

const ROOMS = [VillageActions, TownshipActions, CaseActions, CountyActions, LedgerActions] as const;

// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging -- the mixin: Service has every room's methods, copied below
export interface Service extends VillageActions, TownshipActions, CaseActions, CountyActions, LedgerActions {}
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging -- see above
export class Service extends ServiceCore {}

for (const room of ROOMS) {
  for (const name of Object.getOwnPropertyNames(room.prototype)) {
    if (name === 'constructor') continue;
    if (Object.prototype.hasOwnProperty.call(Service.prototype, name)) throw new Error(`Service: two rooms define ${name}`);
    Object.defineProperty(Service.prototype, name, Object.getOwnPropertyDescriptor(room.prototype, name)!);
  }
}
