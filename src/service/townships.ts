/** The service's room for townships: the half-monthly report, studies, inspections, proposals of a letter. */
import {
  decideProposalSchema,
  decideProposalUpdate,
  recordInspectionSchema,
  recordInspectionUpdate,
  recordStudySchema,
  recordStudyUpdate,
  submitReportSchema,
  submitReportUpdate,
  townshipStateQuery,
  townshipWorkflowId,
  type TownshipView,
} from '../contracts/township';
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

  decideProposal(actor: Actor, township: string, body: unknown): Promise<TownshipView> {
    return this.update(actor, 'proposal.decide', this.township(township), decideProposalUpdate as never, decideProposalSchema, 'by', body);
  }
}
