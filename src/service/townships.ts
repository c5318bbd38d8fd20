/** The service's room for townships: the half-monthly report, studies, inspections, proposals of a letter. */
import {
  decideProposalSchema,
  decideProposalUpdate,
  recordInspectionSchema,
  recordInspectionUpdate,
  recordStudySchema,
  recordStudyUpdate,
  recordTrainingSchema,
  recordTrainingUpdate,
  submitReportSchema,
  submitReportUpdate,
  townshipStateQuery,
  townshipWorkflowId,
  type TownshipView,
} from '../contracts/township';
import type { z } from 'zod';
import { cadreVillage, notACadre } from '../domain/roster';
import { authorize, type Actor } from './authorization';
import { ServiceCore, atQueryTime, fromTemporal } from './core';

export class TownshipActions extends ServiceCore {
  async townshipView(actor: Actor, code: string): Promise<TownshipView> {
    const e = this.township(code);
    authorize(actor, 'read', e);
    const view = await this.deps.client.workflow
      .getHandle(townshipWorkflowId(code))
      .query(townshipStateQuery)
      .catch((err: unknown) => fromTemporal(err, this.what(e)));
    return atQueryTime(view, await this.now());
  }

  submitReport(actor: Actor, township: string, body: unknown): Promise<TownshipView> {
    return this.update(actor, 'report.submit', this.township(township), submitReportUpdate as never, submitReportSchema, 'reportedBy', body);
  }

  recordStudy(actor: Actor, township: string, body: unknown): Promise<TownshipView> {
    return this.update(actor, 'study.record', this.township(township), recordStudyUpdate as never, recordStudySchema, 'by', body);
  }

  recordInspection(actor: Actor, township: string, body: unknown): Promise<TownshipView> {
    return this.update(actor, 'inspection.record', this.township(township), recordInspectionUpdate as never, recordInspectionSchema, 'by', body);
  }

  /** A training of the township's (四(一)5): the cadres trained must be party secretaries or committee members of its villages in the roster. */
  recordTraining(actor: Actor, township: string, body: unknown): Promise<TownshipView> {
    const roster = this.deps.roster();
    return this.update(actor, 'training.record', this.township(township), recordTrainingUpdate as never, recordTrainingSchema, 'by', body, (r: z.output<typeof recordTrainingSchema>) =>
      r.people.flatMap((id, i) => (cadreVillage(roster, id)?.township === township ? [] : [{ path: `people.${i}`, message: notACadre(roster, id, '本乡镇') }])),
    );
  }

  decideProposal(actor: Actor, township: string, body: unknown): Promise<TownshipView> {
    return this.update(actor, 'proposal.decide', this.township(township), decideProposalUpdate as never, decideProposalSchema, 'by', body);
  }
}
