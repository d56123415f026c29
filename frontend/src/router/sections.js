/**
 * The sections of the app shell: one entry drives both the route and the menu item, so
 * the menu can never offer a page the router refuses (or the reverse).
 *
 * `roles`: who may open it (any of them); absent = every signed-in user.
 * `load`: the page, imported lazily so each section is its own chunk.
 */
export const SECTIONS = [
  {
    name: 'dashboard',
    path: '/',
    title: '驾驶舱',
    load: () => import('../dashboard/DashboardPage.vue'),
  },
  {
    name: 'buildings',
    path: '/buildings',
    title: '楼宇',
    load: () => import('../buildings/BuildingsPage.vue'),
  },
  {
    name: 'enterprises',
    path: '/enterprises',
    title: '企业',
    load: () => import('../enterprises/EnterprisesPage.vue'),
  },
  {
    name: 'tasks',
    path: '/tasks',
    title: '任务',
    load: () => import('../tasks/TasksPage.vue'),
  },
  {
    name: 'visits',
    path: '/visits',
    title: '扫楼',
    load: () => import('../visits/VisitsPage.vue'),
  },
  {
    name: 'admin',
    path: '/admin',
    title: '管理',
    roles: ['admin'],
    load: () => import('../admin/AdminPage.vue'),
  },
]

/** Whether a user holding `roles` may open `section`. */
export function canOpen(section, roles = []) {
  return !section.roles || section.roles.some((r) => roles.includes(r))
}

/** The sections to show in the menu for a user holding `roles`. */
export function visibleSections(roles = []) {
  return SECTIONS.filter((s) => canOpen(s, roles))
}
