/** The service's room for inquiry cases (六(四)): the letter issued and downloaded, the explanation and its review, the talk. */
import { WorkflowNotFoundError } from '@temporalio/client';
import { z } from 'zod';
import { caseLetter } from '../documents/letters';
import { officialLetter, officialLetterDocx } from '../documents/official-letter';
import { allocateDocNumber, defaultCaseId, InvalidInquiryError, issueInquiry } from '../client/supervision';
import type { DocNumber } from '../contracts/ledger';
import {
  inquiryStateQuery,
  inquiryWorkflowId,
  recordTalkSchema,
  recordTalkUpdate,
  recordDeliverySchema,
  recordDeliveryUpdate,
  reviewExplanationSchema,
  reviewExplanationUpdate,
  scheduleTalkSchema,
  scheduleTalkUpdate,
  submitExplanationSchema,
  submitExplanationUpdate,
  type InquiryView,
} from '../contracts/inquiry';
import { instantOf } from '../domain/calendar';
import { orderTalkSchema, orderTalkUpdate } from '../contracts/inquiry';
import { authorize, type Actor, type EntityRef } from './authorization';
import { ServiceError } from './errors';
import { ServiceCore, atQueryTime, badInput, fromTemporal, problemsOf, withActor } from './core';

export class CaseActions extends ServiceCore {
  async caseView(actor: Actor, caseId: string): Promise<InquiryView> {
    const view = await this.deps.client.workflow
      .getHandle(inquiryWorkflowId(caseId))
      .query(inquiryStateQuery)
      .catch((err: unknown) => fromTemporal(err, `函询案件${caseId}`));
    authorize(actor, 'read', { kind: 'case', township: view.township, caseId });
    return atQueryTime(view, await this.now());
  }

  /**
   * The case's letter (or notice of a directly ordered talk) as it was mailed, byte for byte, under
   * the same 文号; before it has been (the mail server has not taken it yet), drawn from the case's
   * own facts as it would be mailed now.
   */
  async caseLetterDocx(actor: Actor, caseId: string): Promise<{ filename: string; content: Buffer }> {
    const v = await this.caseView(actor, caseId);
    const entity: EntityRef = { kind: 'case', township: v.township, caseId };
    const mailed = (await this.documents(actor, entity)).find((d) => d.key.endsWith('/inquiry-letter/letter'));
    const docx = mailed?.files.find((f) => f.filename.endsWith('.docx'));
    if (mailed && docx) {
      const f = await this.document(actor, entity, docx.filename);
      return { filename: `${mailed.title}（${caseId}）.docx`, content: Buffer.from(f.content) };
    }
    const letter = caseLetter({ ...v, ...(v.talk ? { talk: { why: v.talk.why } } : {}) }, v.township, this.deps.roster());
    const content = Buffer.from(await officialLetterDocx(officialLetter(letter)));
    return { filename: `${letter.title}（${caseId}）.docx`, content };
  }

  /** The case as opened (numbered, addressed, with its deadline), and its workflow id. */
  async issueInquiry(actor: Actor, body: unknown): Promise<InquiryView & { workflowId: string }> {
    const schema = z.strictObject({
      township: z.string().min(1).max(40),
      reason: z.string().trim().min(4, '函询事由至少4个字').max(2000),
      kind: z.enum(['inquiry', 'talk']).default('inquiry'),
      proposalQuarter: z.string().regex(/^\d{4}-Q[1-4]$/, '应为季度，如2019-Q1').optional(),
      caseId: z.string().optional(),
    });
    if (typeof body === 'object' && body !== null && 'issuedBy' in body) throw badInput([{ path: 'issuedBy', message: '由登录身份确定，不能在请求中填写' }]);
    const r = schema.safeParse(body);
    if (!r.success) throw badInput(problemsOf(r.error));
    const e = this.township(r.data.township);
    authorize(actor, 'inquiry.issue', e);
    // A second case with the same id (by default: township, quarter or day, kind) is a conflict, said as such.
    const caseId = r.data.caseId ?? defaultCaseId({ township: r.data.township, kind: r.data.kind, ...(r.data.proposalQuarter ? { proposalQuarter: r.data.proposalQuarter } : {}), reason: '', issuedBy: actor.id });
    const existing = await this.deps.client.workflow
      .getHandle(inquiryWorkflowId(caseId))
      .describe()
      .catch((err: unknown) => {
        if (err instanceof WorkflowNotFoundError) return undefined;
        return fromTemporal(err, `函询案件${caseId}`);
      });
    if (existing) throw new ServiceError('conflict', `已有函询案件${caseId}（${existing.status.name === 'RUNNING' ? '办理中' : '已结束'}），不再重复发出；如确需另行函询，请指定其他案件编号（caseId）`);
    try {
      const handle = await issueInquiry(this.deps.client, this.deps.taskQueue, this.deps.roster(), {
        township: r.data.township,
        reason: r.data.reason,
        kind: r.data.kind,
        issuedBy: actor.id,
        ...(r.data.proposalQuarter ? { proposalQuarter: r.data.proposalQuarter } : {}),
        caseId,
        policy: this.deps.policy(),
      });
      if (!handle.opened) throw new Error('issueInquiry returned without the opened case');
      return { ...handle.opened, workflowId: handle.workflowId };
    } catch (err) {
      if (err instanceof InvalidInquiryError) throw new ServiceError('bad-input', err.message);
      return fromTemporal(err, `乡镇${r.data.township}`);
    }
  }

  async submitExplanation(actor: Actor, caseId: string, body: unknown): Promise<InquiryView> {
    return this.update(actor, 'explanation.submit', await this.case(caseId), submitExplanationUpdate as never, submitExplanationSchema, 'by', body);
  }

  async reviewExplanation(actor: Actor, caseId: string, body: unknown): Promise<InquiryView> {
    return this.update(actor, 'explanation.review', await this.case(caseId), reviewExplanationUpdate as never, reviewExplanationSchema, 'by', body);
  }

  async orderTalk(actor: Actor, caseId: string, body: unknown): Promise<InquiryView> {
    return this.update(actor, 'talk.order', await this.case(caseId), orderTalkUpdate as never, orderTalkSchema, 'by', body);
  }

  /**
   * The talk's time and place. Its notice is a document with a 文号 of its own, asked of the
   * county ledger once the request is valid and the case awaits a talk (the same time again gets
   * the same number).
   */
  async scheduleTalk(actor: Actor, caseId: string, body: unknown): Promise<InquiryView> {
    const { entity, view } = await this.caseWithView(caseId);
    authorize(actor, 'talk.schedule', entity);
    if (typeof body === 'object' && body !== null && 'docNumber' in body) throw badInput([{ path: 'docNumber', message: '文号由系统编排，不能在请求中填写' }]);
    const args = withActor(scheduleTalkSchema, 'by', actor, body) as { at: string };
    // What the case would refuse is refused here first: a 文号 is never used up by a notice that is not issued.
    const [date, time] = args.at.split('T') as [string, string];
    const [h, m] = time.split(':').map(Number) as [number, number];
    if (instantOf(date, h, m) <= (await this.now())) throw badInput([{ path: 'at', message: `${args.at}不是将来的时间` }]);
    if (view.talk?.held) throw new ServiceError('conflict', '约谈已经进行');
    let docNumber: DocNumber | undefined;
    if (view.stage === 'talk-required' || view.stage === 'talk-scheduled') {
      docNumber = await allocateDocNumber(this.deps.client, this.deps.roster().county.code, `${caseId}/talk/${args.at}`).catch((err: unknown) => fromTemporal(err, '后果台账（文号）'));
    }
    return this.update(actor, 'talk.schedule', entity, scheduleTalkUpdate as never, scheduleTalkSchema, 'by', { ...(body as object), ...(docNumber ? { docNumber } : {}) });
  }

  /** The letter handed over when the mail server refused it (送达): the explanation is owed from that day. */
  async recordDelivery(actor: Actor, caseId: string, body: unknown): Promise<InquiryView> {
    return this.update(actor, 'letter.deliver', await this.case(caseId), recordDeliveryUpdate as never, recordDeliverySchema, 'by', body);
  }

  async recordTalk(actor: Actor, caseId: string, body: unknown): Promise<InquiryView> {
    return this.update(actor, 'talk.record', await this.case(caseId), recordTalkUpdate as never, recordTalkSchema, 'by', body);
  }
}
