import { IMPORTERS, REGISTRY_READERS } from '../auth/permissions.js'
import { ASSESSMENT_READERS, BULLETIN_READERS, FIELD_READERS, TASK_READERS } from '../tasks/permissions.js'
import { FACTS_UPLOADERS, METRICS_READERS } from '../metrics/permissions.js'

/**
 * The sections of the app shell: one entry drives both the route and the menu item, so
 * the menu can never offer a page the router refuses (or the reverse).
 *
 * `roles`: who may open it (any of them); absent = every signed-in user.
 * `load`: the page, imported lazily so each section is its own chunk.
 * `menu: false`: a sub-page (e.g. one building) with a route but no menu item; `parent`
 * names the menu item it belongs under (highlighted while it is open).
 */
const STREET_FIGURE_READERS = METRICS_READERS.filter((r) => r !== 'chief')

export const SECTIONS = [
  {
    // The home page. A role without figures (admin, auditor) is sent on to its first page.
    name: 'dashboard',
    path: '/',
    title: '驾驶舱',
    roles: METRICS_READERS,
    load: () => import('../dashboard/DashboardPage.vue'),
  },
  {
    // The cockpit under its own name too (bookmarks, the big screen in the meeting room).
    name: 'cockpit',
    path: '/dashboard',
    title: '驾驶舱',
    roles: METRICS_READERS,
    menu: false,
    parent: 'dashboard',
    load: () => import('../dashboard/DashboardPage.vue'),
  },
  {
    // 问数: a question in Chinese, answered with how it was read (the header's box opens it).
    name: 'ask',
    path: '/ask',
    title: '问数',
    roles: METRICS_READERS,
    menu: false,
    parent: 'dashboard',
    load: () => import('../ask/AskPage.vue'),
  },
  {
    name: 'metrics-street',
    path: '/dashboard/streets/:code',
    title: '街道楼宇经济',
    // A 楼长 reads its buildings, never a street's totals (metrics/access.py).
    roles: STREET_FIGURE_READERS,
    menu: false,
    parent: 'dashboard',
    load: () => import('../dashboard/StreetPage.vue'),
  },
  {
    name: 'metrics-theme',
    path: '/dashboard/themes/:code',
    title: '主题楼宇',
    roles: METRICS_READERS,
    menu: false,
    parent: 'dashboard',
    load: () => import('../dashboard/StreetPage.vue'),
  },
  {
    // 待办: what the signed-in user must do (reached from the header's badge).
    name: 'inbox',
    path: '/inbox',
    title: '待办',
    roles: TASK_READERS,
    menu: false,
    load: () => import('../inbox/InboxPage.vue'),
  },
  {
    name: 'map',
    path: '/map',
    title: '地图',
    roles: METRICS_READERS,
    load: () => import('../map/MapPage.vue'),
  },
  {
    // 预警: the most severe first, the history and the 处置 notes (a street sees its own).
    name: 'warnings',
    path: '/warnings',
    title: '预警',
    roles: ['leader', 'bureau', 'street'],
    load: () => import('../warnings/WarningsPage.vue'),
  },
  {
    // 统计数据: the statistics bureau's tables (aggregates, street × 门类), for the leader and the bureau.
    name: 'stats',
    path: '/stats',
    title: '统计数据',
    roles: ['leader', 'bureau'],
    load: () => import('../stats/StatsPage.vue'),
  },
  {
    // Every figure's definition (GET /api/metrics/definitions): for everyone who sees figures.
    name: 'metric-definitions',
    path: '/metrics/definitions',
    title: '指标口径',
    roles: METRICS_READERS,
    load: () => import('../metrics/DefinitionsPage.vue'),
  },
  {
    name: 'buildings',
    path: '/buildings',
    title: '楼宇',
    roles: REGISTRY_READERS,
    load: () => import('../buildings/BuildingsPage.vue'),
  },
  {
    name: 'building',
    path: '/buildings/:code',
    title: '楼宇档案',
    roles: REGISTRY_READERS,
    menu: false,
    parent: 'buildings',
    load: () => import('../buildings/BuildingPage.vue'),
  },
  {
    name: 'available-spaces',
    path: '/available-spaces',
    title: '可用空间',
    roles: REGISTRY_READERS,
    load: () => import('../spaces/AvailableSpacesPage.vue'),
  },
  {
    name: 'enterprises',
    path: '/enterprises',
    title: '企业',
    roles: REGISTRY_READERS,
    load: () => import('../enterprises/EnterprisesPage.vue'),
  },
  {
    name: 'enterprise',
    path: '/enterprises/:creditCode',
    title: '企业档案',
    roles: REGISTRY_READERS,
    menu: false,
    parent: 'enterprises',
    load: () => import('../enterprises/EnterprisePage.vue'),
  },
  {
    name: 'tasks',
    path: '/tasks',
    title: '任务',
    roles: TASK_READERS,
    load: () => import('../tasks/TasksPage.vue'),
  },
  {
    name: 'my-tasks',
    path: '/tasks/mine',
    title: '本单位任务',
    roles: TASK_READERS,
    menu: false,
    parent: 'tasks',
    load: () => import('../tasks/MyTasksPage.vue'),
  },
  {
    name: 'plan-import',
    path: '/tasks/import',
    title: '导入工作方案',
    roles: ['bureau'],
    menu: false,
    parent: 'tasks',
    load: () => import('../tasks/PlanImportPage.vue'),
  },
  {
    name: 'task',
    path: '/tasks/:id(\\d+)',
    title: '任务详情',
    roles: TASK_READERS,
    menu: false,
    parent: 'tasks',
    load: () => import('../tasks/TaskPage.vue'),
  },
  {
    name: 'supervision',
    path: '/supervision',
    title: '督办',
    roles: TASK_READERS,
    load: () => import('../supervision/SupervisionPage.vue'),
  },
  {
    name: 'visits',
    path: '/visits',
    title: '扫楼',
    roles: FIELD_READERS,
    load: () => import('../visits/VisitsPage.vue'),
  },
  {
    name: 'visit-round',
    path: '/visits/rounds/:id(\\d+)',
    title: '扫楼轮次',
    roles: FIELD_READERS,
    menu: false,
    parent: 'visits',
    load: () => import('../visits/RoundPage.vue'),
  },
  {
    name: 'visit',
    path: '/visits/:id(\\d+)',
    title: '走访记录',
    roles: FIELD_READERS,
    menu: false,
    parent: 'visits',
    load: () => import('../visits/VisitPage.vue'),
  },
  {
    name: 'leads',
    path: '/leads',
    title: '招商线索',
    roles: FIELD_READERS,
    load: () => import('../leads/LeadsPage.vue'),
  },
  {
    name: 'lead',
    path: '/leads/:id(\\d+)',
    title: '招商线索',
    roles: FIELD_READERS,
    menu: false,
    parent: 'leads',
    load: () => import('../leads/LeadPage.vue'),
  },
  {
    name: 'demands',
    path: '/demands',
    title: '企业诉求',
    roles: FIELD_READERS,
    load: () => import('../demands/DemandsPage.vue'),
  },
  {
    // 楼宇活动: 政企座谈会, 长江楼宇议事厅 … on a month calendar (a unit sees the events it organises).
    name: 'events',
    path: '/events',
    title: '楼宇活动',
    roles: FIELD_READERS,
    load: () => import('../events/EventsPage.vue'),
  },
  {
    // 招商共享中心: 入驻率 and 转化率 (a street sees its street's centres).
    name: 'centres',
    path: '/centres',
    title: '共享中心',
    roles: ['leader', 'bureau', 'street'],
    load: () => import('../centres/CentresPage.vue'),
  },
  {
    name: 'demand',
    path: '/demands/:id(\\d+)',
    title: '企业诉求',
    roles: FIELD_READERS,
    menu: false,
    parent: 'demands',
    load: () => import('../demands/DemandPage.vue'),
  },
  {
    // 政策库 and 精准推送 (tasks/policies): policies, their matching enterprises, pushes, deliveries.
    name: 'policies',
    path: '/policies',
    title: '政策库',
    roles: FIELD_READERS,
    load: () => import('../policies/PoliciesPage.vue'),
  },
  {
    name: 'policy',
    path: '/policies/:id(\\d+)',
    title: '政策库',
    roles: FIELD_READERS,
    menu: false,
    parent: 'policies',
    load: () => import('../policies/PolicyPage.vue'),
  },
  {
    // 申报与兑现: a street sees its own streets' applications; a 楼长 sees pushes only.
    name: 'policy-applications',
    path: '/policies/applications',
    title: '申报与兑现',
    roles: ['leader', 'bureau', 'department', 'street'],
    menu: false,
    parent: 'policies',
    load: () => import('../policies/ApplicationsPage.vue'),
  },
  {
    name: 'bulletins',
    path: '/bulletins',
    title: '工作简报',
    roles: BULLETIN_READERS,
    load: () => import('../bulletins/BulletinsPage.vue'),
  },
  {
    name: 'inspections',
    path: '/inspections',
    title: '代表视察',
    roles: ASSESSMENT_READERS,
    load: () => import('../inspections/InspectionsPage.vue'),
  },
  {
    name: 'inspection',
    path: '/inspections/:id(\\d+)',
    title: '视察座谈',
    roles: ASSESSMENT_READERS,
    menu: false,
    parent: 'inspections',
    load: () => import('../inspections/InspectionPage.vue'),
  },
  {
    name: 'summaries',
    path: '/summaries',
    title: '总结验收',
    roles: ASSESSMENT_READERS,
    load: () => import('../summaries/SummariesPage.vue'),
  },
  {
    name: 'summary',
    path: '/summaries/:unit',
    title: '年度工作总结',
    roles: ASSESSMENT_READERS,
    menu: false,
    parent: 'summaries',
    load: () => import('../summaries/SummaryPage.vue'),
  },
  {
    name: 'report',
    path: '/report',
    title: '办理情况报告',
    roles: BULLETIN_READERS,
    load: () => import('../summaries/ReportPage.vue'),
  },
  {
    name: 'assessment',
    path: '/assessment',
    title: '绩效考核',
    roles: ASSESSMENT_READERS,
    load: () => import('../assessment/AssessmentPage.vue'),
  },
  {
    name: 'imports',
    path: '/imports',
    title: '导入中心',
    roles: IMPORTERS,
    load: () => import('../imports/ImportCentrePage.vue'),
  },
  {
    name: 'imports-registry',
    path: '/imports/registry',
    title: '楼宇数据导入',
    roles: IMPORTERS,
    menu: false,
    parent: 'imports',
    load: () => import('../imports/ImportPage.vue'),
  },
  {
    name: 'admin-units',
    path: '/admin/units',
    title: '单位目录',
    roles: ['bureau'],
    menu: false,
    parent: 'admin',
    load: () => import('../admin/config/UnitsPage.vue'),
  },
  {
    name: 'admin-rules',
    path: '/admin/rules',
    title: '特色与预警规则',
    roles: ['bureau'],
    menu: false,
    parent: 'admin',
    load: () => import('../admin/config/RulesPage.vue'),
  },
  {
    // Move-ins streets proposed for other streets' enterprises, for the bureau to confirm.
    name: 'occupancy-proposals',
    path: '/admin/occupancy-proposals',
    title: '入驻申请',
    roles: ['bureau'],
    menu: false,
    parent: 'admin',
    load: () => import('../occupancies/ProposalsPage.vue'),
  },
  {
    name: 'metrics-facts',
    path: '/metrics/facts',
    title: '税收数据',
    roles: FACTS_UPLOADERS,
    load: () => import('../metrics/FactsPage.vue'),
  },
  {
    name: 'admin',
    path: '/admin',
    title: '管理',
    roles: ['admin', 'bureau', 'auditor'],
    load: () => import('../admin/AdminPage.vue'),
  },
  {
    name: 'admin-users',
    path: '/admin/users',
    title: '账号与角色',
    roles: ['admin'],
    menu: false,
    parent: 'admin',
    load: () => import('../admin/accounts/UsersPage.vue'),
  },
  {
    name: 'admin-clients',
    path: '/admin/clients',
    title: '机器客户端',
    roles: ['admin'],
    menu: false,
    parent: 'admin',
    load: () => import('../admin/accounts/ClientsPage.vue'),
  },
  {
    name: 'admin-audit',
    path: '/admin/audit',
    title: '审计日志',
    roles: ['auditor'],
    menu: false,
    parent: 'admin',
    load: () => import('../admin/audit/AuditPage.vue'),
  },
]

/** Whether a user holding `roles` may open `section`. */
export function canOpen(section, roles = []) {
  return !section.roles || section.roles.some((r) => roles.includes(r))
}

/** The sections to show in the menu for a user holding `roles`. */
export function visibleSections(roles = []) {
  return SECTIONS.filter((s) => s.menu !== false && canOpen(s, roles))
}
