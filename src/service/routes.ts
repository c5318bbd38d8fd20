/**
 * Every route of the API as data: method, path, what it does (Chinese, for the OpenAPI document),
 * the action of the authorization table, the contract schema of its body (the actor field left
 * out: the API sets it from the session), and the service call. The OpenAPI document is built from
 * this table and the contracts' zod schemas, so no schema exists twice.
 */
import { z } from 'zod';
import { calendarYearSchema, localDateSchema } from '../domain/calendar';
import { policySchema } from '../domain/policy';
import { fulfilObligationSchema, waiveObligationSchema } from '../contracts/entity';
import { orderTalkSchema, recordDeliverySchema, recordTalkSchema, reviewExplanationSchema, scheduleTalkSchema, submitExplanationSchema } from '../contracts/inquiry';
import { decideProposalSchema, recordInspectionSchema, recordStudySchema, recordTrainingSchema, submitReportSchema } from '../contracts/township';
import { recordCommitteeStudySchema, recordCourseSchema, recordDiagnosisSchema, recordEvaluationSchema, recordJointMeetingSchema } from '../contracts/programme';
import { recordAccountabilitySchema } from '../contracts/ledger';
import { reassignSchema, recordAcceptanceSchema, recordProgressSchema, reviewPlanSchema, submitPlanSchema, withdrawSchema } from '../contracts/village';
import { XLSX_CONTENT_TYPE } from '../documents/ledger-workbook';
import type { Action, Actor, EntityRef } from './authorization';
import type { Service } from './service';
import { DESIGNATE_MANY_MAX, designateManySchema, figuresQuerySchema, figuresReportQuerySchema, listFilterSchema, parseInput } from './service';

export interface RouteContext {
  readonly actor: Actor;
  readonly params: Record<string, string>;
  readonly body: unknown;
}

export interface RouteSpec {
  readonly method: 'GET' | 'POST';
  readonly url: string;
  readonly summary: string;
  readonly action: Action;
  /** The entity, for the audit line. */
  readonly entity?: (params: Record<string, string>) => EntityRef;
  /** The contract schema of the body and the field the API fills in with the actor. */
  readonly body?: { readonly schema: z.ZodType; readonly actorField?: string };
  readonly status?: number;
  /** The content type of a file the route answers with (a `Download`), instead of JSON. */
  readonly produces?: string;
  readonly run: (service: Service, ctx: RouteContext) => Promise<unknown>;
}

const DOCX_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

/** A file for the browser or the CLI to save (a workbook, a letter). */
export class Download {
  constructor(
    readonly filename: string,
    readonly contentType: string,
    readonly content: Buffer,
  ) {}
}

const village = (p: Record<string, string>): EntityRef => ({ kind: 'village', township: '', village: p.code ?? '' });
const township = (p: Record<string, string>): EntityRef => ({ kind: 'township', township: p.code ?? '' });
const inquiry = (p: Record<string, string>): EntityRef => ({ kind: 'case', township: '', caseId: p.id ?? '' });
const county = (): EntityRef => ({ kind: 'county' });

const emptyBody = z.strictObject({});
const designateSchema = z.strictObject({ redesignate: localDateSchema.optional() });


/** A GET route that answers with a Word document (a letter, the plan, a report) for the browser or the CLI to save. */
function docxRoute(spec: Omit<RouteSpec, 'method' | 'produces' | 'run'>, file: (s: Service, c: RouteContext) => Promise<{ filename: string; content: Buffer }>): RouteSpec {
  return {
    ...spec,
    method: 'GET',
    produces: DOCX_CONTENT_TYPE,
    run: async (s, c) => {
      const { filename, content } = await file(s, c);
      return new Download(filename, DOCX_CONTENT_TYPE, content);
    },
  };
}

/** The duty routes every entity kind has: fulfil, waive, retry deliveries. */
function dutyRoutes(prefix: string, label: string, entity: (p: Record<string, string>) => EntityRef, resolve: (s: Service, p: Record<string, string>) => Promise<EntityRef>): RouteSpec[] {
  return [
    {
      method: 'POST',
      url: `${prefix}/duties/fulfil`,
      summary: `办结${label}的一项待办事项（责任人或县委组织部）`,
      action: 'duty.fulfil',
      entity,
      body: { schema: fulfilObligationSchema, actorField: 'by' },
      run: async (s, c) => s.fulfil(c.actor, await resolve(s, c.params), c.body),
    },
    {
      method: 'POST',
      url: `${prefix}/duties/waive`,
      summary: `免除${label}的一项待办事项（县委组织部，须说明理由）`,
      action: 'duty.waive',
      entity,
      body: { schema: waiveObligationSchema, actorField: 'by' },
      run: async (s, c) => s.waive(c.actor, await resolve(s, c.params), c.body),
    },
    {
      method: 'POST',
      url: `${prefix}/deliveries/retry`,
      summary: `立即重发${label}暂未发出或发送失败的通知`,
      action: 'deliveries.retry',
      entity,
      body: { schema: emptyBody },
      run: async (s, c) => s.retryDeliveries(c.actor, await resolve(s, c.params), parseInput(emptyBody, c.body)),
    },
  ];
}

/** The documents an entity's mail carried (its 函询函, notices, 交办任务书…), listed and downloaded as mailed. */
function documentRoutes(prefix: string, label: string, entity: (p: Record<string, string>) => EntityRef, resolve: (s: Service, p: Record<string, string>) => Promise<EntityRef>): RouteSpec[] {
  return [
    { method: 'GET', url: `${prefix}/documents`, summary: `${label}已发出的文书（标题、文号、文件）`, action: 'read', entity, run: async (s, c) => s.documents(c.actor, await resolve(s, c.params)) },
    {
      method: 'GET',
      url: `${prefix}/documents/:file`,
      summary: `${label}已发出的一个文件：与邮件附件逐字节相同`,
      action: 'read',
      entity,
      produces: 'application/octet-stream',
      run: async (s, c) => {
        const f = await s.document(c.actor, await resolve(s, c.params), c.params.file!);
        return new Download(f.filename, f.contentType, Buffer.from(f.content));
      },
    },
  ];
}

export const routes: readonly RouteSpec[] = [
  // Reading
  { method: 'GET', url: '/api/entities', summary: '整顿对象、乡镇和函询案件列表（按本人可查看范围）', action: 'read', body: { schema: listFilterSchema }, run: (s, c) => s.list(c.actor, queryToFilter(c.body)) },
  { method: 'GET', url: '/api/villages/:code', summary: '整顿对象详情：阶段、待办事项、通知、后果、记录', action: 'read', entity: village, run: (s, c) => s.villageView(c.actor, c.params.code!) },
  { method: 'GET', url: '/api/townships/:code', summary: '乡镇详情：半月报告、未按时上报、建议函询、待办事项', action: 'read', entity: township, run: (s, c) => s.townshipView(c.actor, c.params.code!) },
  { method: 'GET', url: '/api/cases/:id', summary: '函询案件详情', action: 'read', entity: inquiry, run: (s, c) => s.caseView(c.actor, c.params.id!) },
  { method: 'GET', url: '/api/county', summary: '全县：县委的待办事项、督办', action: 'read', entity: county, run: (s, c) => s.countyView(c.actor) },
  {
    method: 'GET',
    url: '/api/figures',
    summary: '整顿工作统计：对照工作方案二的目标，按认定年度、乡镇、认定情形（三）、阶段，半月报告（六(三)）、函询约谈（六(四)）与后果（六(五)、五(四)），缓存五分钟',
    action: 'figures.read',
    body: { schema: figuresQuerySchema },
    run: (s, c) => s.figures(c.actor, c.body),
  },
  docxRoute(
    {
      url: '/api/figures/report.docx',
      summary: '整顿工作进展情况报告（送审稿，Word）：某季度（查询参数 quarter，如2019-Q2；默认上一季度）的统计、滞后的乡镇和整顿对象、新增后果',
      action: 'figures.read',
      body: { schema: figuresReportQuerySchema },
    },
    (s, c) => s.figuresReportDocx(c.actor, c.body),
  ),
  { method: 'GET', url: '/api/ledger/targets', summary: '整顿对象台账：每个整顿对象一行（认定、阶段、方案、各年度验收、待办与逾期、第一书记、联建部门）', action: 'ledger.read', run: (s, c) => s.targetLedger(c.actor) },
  {
    method: 'GET',
    url: '/api/ledger/targets.xlsx',
    summary: '整顿对象台账（Excel）',
    action: 'ledger.read',
    produces: XLSX_CONTENT_TYPE,
    run: async (s: Service, c: RouteContext): Promise<Download> => {
      const { filename, content } = await s.targetLedgerWorkbook(c.actor);
      return new Download(filename, XLSX_CONTENT_TYPE, content);
    },
  },
  { method: 'GET', url: '/api/ledger/consequences/:year', summary: '某年度内有效的全部后果（六(四)、六(五)、五(四)）', action: 'ledger.read', run: (s, c) => s.consequencesOfYear(c.actor, c.params.year) },
  {
    method: 'GET',
    url: '/api/ledger/consequences.xlsx',
    summary: '某年度后果台账（Excel；查询参数 year）',
    action: 'ledger.read',
    produces: XLSX_CONTENT_TYPE,
    run: async (s: Service, c: RouteContext): Promise<Download> => {
      const { filename, content } = await s.consequencesWorkbook(c.actor, (c.body as { year?: unknown } | undefined)?.year);
      return new Download(filename, XLSX_CONTENT_TYPE, content);
    },
  },
  { method: 'GET', url: '/api/ledger/awards/:year', summary: '某年度不得评先评优的人员（六(四)）', action: 'ledger.read', run: (s, c) => s.awardIneligible(c.actor, c.params.year) },
  { method: 'POST', url: '/api/ledger/accountability', summary: '记录问责决定：免职、撤职、党纪处分或其他问责，自决定之日起两年内不得提拔使用（六(五)，部长）', action: 'accountability.record', entity: county, body: { schema: recordAccountabilitySchema, actorField: 'by' }, run: (s, c) => s.recordAccountability(c.actor, c.body) },
  { method: 'GET', url: '/api/ledger/promotion/:date', summary: '某日不得提拔使用的人员（六(五)、五(四)）', action: 'ledger.read', run: (s, c) => s.promotionBlocked(c.actor, c.params.date) },

  // Targets
  {
    method: 'POST',
    url: '/api/villages/:code/designate',
    summary: '认定整顿对象（再次认定已结束的对象须给出新的认定日期 redesignate）',
    action: 'target.designate',
    entity: village,
    body: { schema: designateSchema },
    status: 201,
    run: (s, c) => s.designate(c.actor, c.params.code!, parseInput(designateSchema, c.body)),
  },
  {
    method: 'POST',
    url: '/api/designations',
    summary: `批量认定整顿对象：villages（村代码列表，每次最多${DESIGNATE_MANY_MAX}个）或 all: true（名册中全部尚未结束的认定）；已结束的对象逐个说明，其余照常认定`,
    action: 'target.designate',
    entity: county,
    body: { schema: designateManySchema },
    status: 201,
    run: (s, c) => s.designateMany(c.actor, c.body),
  },
  { method: 'POST', url: '/api/villages/:code/plan', summary: '报送整顿方案（五(一)，乡镇党委）', action: 'plan.submit', entity: village, body: { schema: submitPlanSchema, actorField: 'submittedBy' }, run: (s, c) => s.submitPlan(c.actor, c.params.code!, c.body) },
  docxRoute(
    { url: '/api/villages/:code/plan.docx', summary: '整顿方案Word文档：存在问题、整治巩固提升三个阶段的措施（责任人、完成时限）、时间表和路线图（五(一)、五(二)）', action: 'read', entity: village },
    (s, c) => s.planDocx(c.actor, c.params.code!),
  ),
  { method: 'POST', url: '/api/villages/:code/plan/review', summary: '审核整顿方案：通过，或退回修改并给出修改意见和重报期限', action: 'plan.review', entity: village, body: { schema: reviewPlanSchema, actorField: 'reviewer' }, run: (s, c) => s.reviewPlan(c.actor, c.params.code!, c.body) },
  { method: 'POST', url: '/api/villages/:code/progress', summary: '填报整顿进展（半月），可同时登记第一书记到村、座谈、述职、三会一课', action: 'progress.record', entity: village, body: { schema: recordProgressSchema, actorField: 'reportedBy' }, run: (s, c) => s.recordProgress(c.actor, c.params.code!, c.body) },
  { method: 'POST', url: '/api/villages/:code/acceptance', summary: '记录11月下旬验收评价结果（五(一)）', action: 'acceptance.record', entity: village, body: { schema: recordAcceptanceSchema, actorField: 'evaluator' }, run: (s, c) => s.recordAcceptance(c.actor, c.params.code!, c.body) },
  { method: 'POST', url: '/api/villages/:code/reassign', summary: '调整第一书记或包村领导', action: 'target.reassign', entity: village, body: { schema: reassignSchema, actorField: 'by' }, run: (s, c) => s.reassign(c.actor, c.params.code!, c.body) },
  { method: 'POST', url: '/api/villages/:code/withdraw', summary: '撤销认定（须说明理由）', action: 'target.withdraw', entity: village, body: { schema: withdrawSchema, actorField: 'by' }, run: (s, c) => s.withdraw(c.actor, c.params.code!, c.body) },
  ...dutyRoutes('/api/villages/:code', '整顿对象', village, async (s, p) => s.village(p.code!)),
  ...documentRoutes('/api/villages/:code', '整顿对象', village, async (s, p) => s.village(p.code!)),

  // Townships
  { method: 'POST', url: '/api/townships/:code/reports', summary: '上报半月整顿工作进展（六(三)）', action: 'report.submit', entity: township, body: { schema: submitReportSchema, actorField: 'reportedBy' }, run: (s, c) => s.submitReport(c.actor, c.params.code!, c.body) },
  { method: 'POST', url: '/api/townships/:code/trainings', summary: '记录培训（四(一)5）：村党组织书记、班子成员培训（每人每年不少于7天），或农村无职党员培训（每年不少于5天）', action: 'training.record', entity: township, body: { schema: recordTrainingSchema, actorField: 'by' }, run: (s, c) => s.recordTraining(c.actor, c.params.code!, c.body) },
  { method: 'POST', url: '/api/townships/:code/studies', summary: '记录乡镇党委季度专题研究（五(三)）', action: 'study.record', entity: township, body: { schema: recordStudySchema, actorField: 'by' }, run: (s, c) => s.recordStudy(c.actor, c.params.code!, c.body) },
  { method: 'POST', url: '/api/townships/:code/inspections', summary: '记录督导检查（随机调研、明察暗访、跟踪问效）及发现的问题，问题限期整改（六(三)）', action: 'inspection.record', entity: township, body: { schema: recordInspectionSchema, actorField: 'by' }, run: (s, c) => s.recordInspection(c.actor, c.params.code!, c.body) },
  { method: 'POST', url: '/api/townships/:code/proposals/decide', summary: '对建议函询作出决定：函询（注明案件编号）或不予函询（说明理由）', action: 'proposal.decide', entity: township, body: { schema: decideProposalSchema, actorField: 'by' }, run: (s, c) => s.decideProposal(c.actor, c.params.code!, c.body) },
  ...dutyRoutes('/api/townships/:code', '乡镇', township, async (s, p) => s.township(p.code!)),
  ...documentRoutes('/api/townships/:code', '乡镇', township, async (s, p) => s.township(p.code!)),

  // Inquiry cases
  {
    method: 'POST',
    url: '/api/cases',
    summary: '发出函询函，或直接决定约谈（六(四)）',
    action: 'inquiry.issue',
    body: {
      schema: z.strictObject({ township: z.string(), reason: z.string(), kind: z.enum(['inquiry', 'talk']).optional(), proposalQuarter: z.string().optional(), caseId: z.string().optional() }),
    },
    status: 201,
    run: (s, c) => s.issueInquiry(c.actor, c.body),
  },
  docxRoute({ url: '/api/cases/:id/letter.docx', summary: '函询函（或约谈通知）Word文档：与发出的文件相同，同一文号', action: 'read', entity: inquiry }, (s, c) => s.caseLetterDocx(c.actor, c.params.id!)),
  { method: 'POST', url: '/api/cases/:id/explanation', summary: '报送书面说明：问题根源、整顿措施、完成时限（六(四)）', action: 'explanation.submit', entity: inquiry, body: { schema: submitExplanationSchema, actorField: 'by' }, run: (s, c) => s.submitExplanation(c.actor, c.params.id!, c.body) },
  { method: 'POST', url: '/api/cases/:id/explanation/review', summary: '审阅书面说明：认可，或问题突出决定约谈', action: 'explanation.review', entity: inquiry, body: { schema: reviewExplanationSchema, actorField: 'by' }, run: (s, c) => s.reviewExplanation(c.actor, c.params.id!, c.body) },
  { method: 'POST', url: '/api/cases/:id/talk/order', summary: '决定约谈', action: 'talk.order', entity: inquiry, body: { schema: orderTalkSchema, actorField: 'by' }, run: (s, c) => s.orderTalk(c.actor, c.params.id!, c.body) },
  { method: 'POST', url: '/api/cases/:id/talk/schedule', summary: '安排约谈：时间、地点、约谈人', action: 'talk.schedule', entity: inquiry, body: { schema: scheduleTalkSchema, actorField: 'by' }, run: (s, c) => s.scheduleTalk(c.actor, c.params.id!, c.body) },
  { method: 'POST', url: '/api/cases/:id/delivery', summary: '记录函询函（约谈通知）送达：日期和方式，书面说明的期限自送达之日起计算', action: 'letter.deliver', entity: inquiry, body: { schema: recordDeliverySchema, actorField: 'by' }, run: (s, c) => s.recordDelivery(c.actor, c.params.id!, c.body) },
  { method: 'POST', url: '/api/cases/:id/talk/record', summary: '记录约谈情况和问责决定（六(五)）', action: 'talk.record', entity: inquiry, body: { schema: recordTalkSchema, actorField: 'by' }, run: (s, c) => s.recordTalk(c.actor, c.params.id!, c.body) },
  ...dutyRoutes('/api/cases/:id', '函询案件', inquiry, async (s, p) => s.case(p.id!)),
  ...documentRoutes('/api/cases/:id', '函询案件', inquiry, async (s, p) => s.case(p.id!)),

  // The county
  { method: 'POST', url: '/api/county/committee-studies', summary: '记录县委常委会专题研究：审核整顿方案，以交办任务书交办整顿事项（五(二)）', action: 'committee-study.record', entity: county, body: { schema: recordCommitteeStudySchema, actorField: 'by' }, run: (s, c) => s.recordCommitteeStudy(c.actor, c.body) },
  { method: 'POST', url: '/api/county/courses', summary: '记录县委软弱涣散村村干部专题研修班（四(一)5，每年不少于20天）：起止日期、天数、内容、参训的村党组织书记和班子成员', action: 'course.record', entity: county, body: { schema: recordCourseSchema, actorField: 'by' }, run: (s, c) => s.recordCourse(c.actor, c.body) },
  { method: 'POST', url: '/api/county/diagnoses', summary: '记录整顿对象逐一会诊：每个正在整顿的整顿对象发现的问题、整顿方案是否可行（五(二)，每年一次）', action: 'diagnosis.record', entity: county, body: { schema: recordDiagnosisSchema, actorField: 'by' }, run: (s, c) => s.recordDiagnosis(c.actor, c.body) },
  { method: 'POST', url: '/api/county/joint-meetings', summary: '记录县工青妇、武装、民政等部门季度联席会：日期、研究内容、参加部门（四(一)4）', action: 'joint-meeting.record', entity: county, body: { schema: recordJointMeetingSchema, actorField: 'by' }, run: (s, c) => s.recordJointMeeting(c.actor, c.body) },
  { method: 'POST', url: '/api/county/evaluations', summary: '记录某年度乡镇党委书记抓基层党建工作述职评议考核结果：好、较好、一般、差（六(四)）', action: 'evaluation.record', entity: county, body: { schema: recordEvaluationSchema, actorField: 'by' }, run: (s, c) => s.recordEvaluation(c.actor, c.body) },
  ...dutyRoutes('/api/county', '县委', county, async () => ({ kind: 'county' })),
  { method: 'POST', url: '/api/policy/apply', summary: '对所有运行中的工作流适用新版工作规则', action: 'policy.apply', entity: county, body: { schema: policySchema }, run: (s, c) => s.applyPolicy(c.actor, c.body) },
  { method: 'POST', url: '/api/calendar/publish', summary: '发布某年节假日安排，运行中的工作流据此调整暂定的截止日期', action: 'calendar.publish', entity: county, body: { schema: calendarYearSchema }, run: (s, c) => s.publishCalendar(c.actor, c.body) },
];


/** Query strings are text: `?overdue=true&limit=50` to the list filter's types. */
function queryToFilter(query: unknown): unknown {
  if (typeof query !== 'object' || query === null) return {};
  const out = Object.create(null) as Record<string, unknown>;
  for (const [k, v] of Object.entries(query as Record<string, unknown>)) {
    if (v === 'true' || v === 'false') out[k] = v === 'true';
    else if (k === 'limit' && typeof v === 'string' && /^\d{1,6}$/.test(v)) out[k] = Number(v);
    else out[k] = v;
  }
  return out;
}

/** The OpenAPI 3.1 document of the routes, with the contracts' schemas as JSON Schema. */
export function openApiDocument(): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  const schemaOf = (spec: RouteSpec): Record<string, unknown> | undefined => {
    if (!spec.body) return undefined;
    const json = z.toJSONSchema(spec.body.schema, { io: 'input', unrepresentable: 'any' }) as { properties?: Record<string, unknown>; required?: string[] };
    if (spec.body.actorField && json.properties) {
      delete json.properties[spec.body.actorField];
      json.required = json.required?.filter((r) => r !== spec.body!.actorField);
    }
    return json as Record<string, unknown>;
  };
  const errors = {
    '400': { description: '请求内容有误（逐项指出字段和问题）' },
    '401': { description: '未登录或登录已过期' },
    '403': { description: '无权办理，或缺少CSRF令牌' },
    '404': { description: '没有该对象' },
    '409': { description: '与现有状态冲突（如工作流已结束）' },
    '422': { description: '工作流拒绝了该操作（说明原因）' },
    '503': { description: '工作流服务暂时不可用' },
  };
  for (const spec of routes) {
    const url = spec.url.replace(/:(\w+)/g, '{$1}');
    const params = [...spec.url.matchAll(/:(\w+)/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } }));
    const body = schemaOf(spec);
    (paths[url] ??= {})[spec.method.toLowerCase()] = {
      summary: spec.summary,
      'x-action': spec.action,
      ...(params.length ? { parameters: params } : {}),
      ...(body && spec.method === 'POST' ? { requestBody: { required: true, content: { 'application/json': { schema: body } } } } : {}),
      ...(body && spec.method === 'GET' ? { 'x-query': body } : {}),
      responses: { [String(spec.status ?? 200)]: { description: '成功', ...(spec.produces ? { content: { [spec.produces]: {} } } : {}) }, ...errors },
      security: [{ bearer: [] }, { session: [] }],
    };
  }
  const login = (summary: string, schema: Record<string, unknown>) => ({ post: { summary, requestBody: { content: { 'application/json': { schema } } }, responses: { '200': { description: '成功' }, '202': { description: '已受理' }, '400': { description: '请求内容有误' }, '401': { description: '验证码无效' }, '429': { description: '过于频繁' } } } });
  paths['/api/login/code'] = login('向名册登记的邮箱发送登录验证码', { type: 'object', properties: { who: { type: 'string', description: '人员编号或邮箱' } }, required: ['who'], additionalProperties: false });
  paths['/api/login/verify'] = login('以验证码登录：kind=session 设置会话Cookie并返回CSRF令牌；kind=bearer 返回供命令行和脚本使用的令牌', {
    type: 'object',
    properties: { who: { type: 'string' }, code: { type: 'string', pattern: '^\\d{6}$' }, kind: { enum: ['session', 'bearer'] } },
    required: ['who', 'code'],
    additionalProperties: false,
  });
  return {
    openapi: '3.1.0',
    info: { title: '软弱涣散农村基层党组织整顿提升 API', version: '1' },
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: '以验证码登录（kind=bearer）获得' },
        session: { type: 'apiKey', in: 'cookie', name: 'rect_session', description: '修改类请求须在 X-CSRF-Token 头中带上登录时返回的CSRF令牌' },
      },
    },
    paths,
  };
}
