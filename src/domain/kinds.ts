/**
 * The kinds of obligation: every duty of the source text with a who, a what and a when, and the
 * duties an inquiry case creates (docs/obligations.md). Each names its clause.
 */
import type { Role } from './roster';

export const obligationKinds = [
  'rectification-plan',
  'acceptance-evaluation',
  'half-monthly-report',
  'township-quarterly-study',
  'standing-committee-study',
  'first-secretary-visit',
  'first-secretary-symposium',
  'first-secretary-annual-report',
  'village-quarterly-debriefing',
  'township-secretary-evaluation',
  'three-meetings-one-lesson',
  'acceptance-campaign',
  'written-explanation',
  'explanation-review',
  'talk',
  'inspection-finding',
  'assigned-task',
  'plan-measure',
  'flag-raising',
  'service-day',
  'concentrated-service',
  'joint-meeting',
  'religious-contact',
  'annual-diagnosis',
  'county-course',
  'member-training',
] as const;
export type ObligationKind = (typeof obligationKinds)[number];

/**
 * Which escalation ladder a duty follows: `local` for what a township or village owes (overdue
 * notice to the township party secretary, red warning to the organization department), `county`
 * for the county's own duties (escalated inside the county, to the head of the organization
 * department, never to a township), `case` for the written explanation of an inquiry letter,
 * `routine` for a target's routine activities (a notice on the day, and only a missed one goes up,
 * after the half month; it is then recorded as 未落实).
 */
export type LadderClass = 'local' | 'county' | 'case' | 'routine';

export type SubjectType = 'village' | 'township' | 'county' | 'case';

export interface KindSpec {
  readonly title: string;
  readonly clause: string;
  readonly responsible: Role;
  readonly ladder: LadderClass;
  readonly subject: SubjectType;
  /**
   * Where the due date comes from when the plan does not set it: said beside the date in every
   * notice, so that nobody takes the county's date for the plan's. Absent: the plan's own period
   * or date (五(一) "12月底", "次年11月下旬"; "每月", "每季度", "半年").
   */
  readonly dueBasis?: string;
  /** Posts that may also record it done, besides the responsible one (the first secretary stationed in the village). */
  readonly alsoBy?: readonly Role[];
}

/** The county's own working rule (policy file), not the plan's words. */
const COUNTY_PRACTICE = '县委组织部工作要求';

export const kindSpecs: Record<ObligationKind, KindSpec> = {
  'rectification-plan': { title: '报送整顿方案', clause: '五(一)', responsible: 'township-party-secretary', ladder: 'local', subject: 'village' },
  'acceptance-evaluation': { title: '县委验收评价', clause: '五(一)', responsible: 'org-department-staff', ladder: 'county', subject: 'village' },
  'half-monthly-report': { title: '每半月上报整顿工作进展', clause: '六(三)', responsible: 'organization-officer', ladder: 'local', subject: 'township', dueBasis: COUNTY_PRACTICE },
  'township-quarterly-study': { title: '乡镇党委季度专题研究', clause: '五(三)', responsible: 'township-party-secretary', ladder: 'local', subject: 'township' },
  'standing-committee-study': { title: '县委常委专题研究整顿工作', clause: '五(二)', responsible: 'org-department-staff', ladder: 'county', subject: 'county', dueBasis: COUNTY_PRACTICE },
  'first-secretary-visit': { title: '第一书记每月到村开展服务', clause: '四(一)1', responsible: 'first-secretary', ladder: 'local', subject: 'village' },
  'first-secretary-symposium': { title: '第一书记每月与村民座谈交流', clause: '四(一)1', responsible: 'first-secretary', ladder: 'local', subject: 'village' },
  'first-secretary-annual-report': { title: '第一书记年度履职报告', clause: '四(一)1', responsible: 'first-secretary', ladder: 'local', subject: 'village', dueBasis: COUNTY_PRACTICE },
  'village-quarterly-debriefing': { title: '村党支部书记季度述职', clause: '四(一)3', responsible: 'village-party-secretary', ladder: 'local', subject: 'village' },
  'township-secretary-evaluation': { title: '乡镇党委书记抓基层党建述职评议考核', clause: '六(四)', responsible: 'org-department-staff', ladder: 'county', subject: 'county', dueBasis: COUNTY_PRACTICE },
  'three-meetings-one-lesson': {
    title: '落实“三会一课”制度（半年以上未落实的，村党组织书记可免职）',
    clause: '四(五)15',
    responsible: 'village-party-secretary',
    ladder: 'local',
    subject: 'village',
  },
  'acceptance-campaign': { title: '组织开展年度验收评价', clause: '五(一)', responsible: 'org-department-staff', ladder: 'county', subject: 'county' },
  'written-explanation': { title: '函询书面说明（根源、措施、时限）', clause: '六(四)', responsible: 'township-party-secretary', ladder: 'case', subject: 'case', dueBasis: COUNTY_PRACTICE },
  'explanation-review': { title: '审阅函询书面说明', clause: '六(四)', responsible: 'org-department-staff', ladder: 'county', subject: 'case', dueBasis: COUNTY_PRACTICE },
  talk: { title: '约谈乡镇党委书记、组织干事', clause: '六(四)', responsible: 'org-department-staff', ladder: 'county', subject: 'case', dueBasis: COUNTY_PRACTICE },
  'inspection-finding': { title: '督导检查发现问题整改', clause: '六(三)', responsible: 'township-party-secretary', ladder: 'local', subject: 'township', dueBasis: '县委组织部督导组确定' },
  'assigned-task': { title: '交办任务书整顿事项', clause: '五(二)', responsible: 'township-party-secretary', ladder: 'local', subject: 'village', dueBasis: '交办任务书确定' },
  // 五(一), 五(二): a dated measure of an approved plan (整治、巩固、提升, or a milestone of the 时间表), a duty of the person the plan names.
  'plan-measure': { title: '整顿方案措施', clause: '五(一)', responsible: 'township-party-secretary', ladder: 'local', subject: 'village', dueBasis: '整顿方案确定' },
  // 四(四)12 "继续严格执行村干部轮流坐班制和每月1日升国旗制度".
  'flag-raising': { title: '每月1日升国旗', clause: '四(四)12', responsible: 'village-party-secretary', ladder: 'routine', subject: 'village', alsoBy: ['first-secretary'] },
  // 四(五)17 "每月1日组织开展'惠民服务日'活动", "每季度至少开展一次集中落实活动".
  'service-day': { title: '每月1日“惠民服务日”活动', clause: '四(五)17', responsible: 'village-party-secretary', ladder: 'routine', subject: 'village', alsoBy: ['first-secretary'] },
  'concentrated-service': { title: '每季度惠民政策集中落实活动', clause: '四(五)17', responsible: 'village-party-secretary', ladder: 'routine', subject: 'village', alsoBy: ['first-secretary'] },
  // 四(一)4 "县工青妇、武装、民政等部门每季度召开一次联席会，研究整治配套组织软弱涣散的问题".
  'joint-meeting': { title: '县工青妇、武装、民政等部门季度联席会', clause: '四(一)4', responsible: 'joint-meeting-member', ladder: 'county', subject: 'county' },
  // 四(四)13 "每月与宗教活动场所和宗教人士联系、谈话": a county decides whether its villages keep it (policy.villageDuties).
  'religious-contact': { title: '每月与宗教活动场所和宗教人士联系、谈话', clause: '四(四)13', responsible: 'village-party-secretary', ladder: 'routine', subject: 'village', alsoBy: ['first-secretary'] },
  // 五(二) "由组织部牵头，对整顿软弱涣散基层党组织状况逐一进行会诊": once a year, before the standing committee's study.
  // 四(一)5 "县委每年举办不少于20天的软弱涣散村村干部专题研修班": the year's course days add up to 20.
  'county-course': { title: '县委软弱涣散村村干部专题研修班（每年不少于20天）', clause: '四(一)5', responsible: 'org-department-staff', ladder: 'county', subject: 'county', dueBasis: COUNTY_PRACTICE },
  // 四(一)5 "乡镇每年对农村无职党员进行培训不少于5天".
  'member-training': { title: '乡镇对农村无职党员培训（每年不少于5天）', clause: '四(一)5', responsible: 'township-party-secretary', ladder: 'local', subject: 'township', dueBasis: COUNTY_PRACTICE },
  'annual-diagnosis': { title: '整顿对象逐一会诊', clause: '五(二)', responsible: 'org-department-staff', ladder: 'county', subject: 'county', dueBasis: COUNTY_PRACTICE },
};

/** Duties on the routine ladder: recorded as 未落实 once the township has been told they were missed. */
export function isRoutine(kind: ObligationKind): boolean {
  return kindSpecs[kind].ladder === 'routine';
}
