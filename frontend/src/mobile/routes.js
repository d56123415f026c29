/**
 * The 楼长's phone pages at /m: their own light layout (no desktop sidebar, no Element Plus
 * table or date picker), each page its own chunk, so a phone on a weak signal loads little.
 */
export const MOBILE_ROLES = Object.freeze(['chief', 'street', 'bureau'])

export const mobileRoutes = [
  {
    path: '/m',
    component: () => import('./MobileShell.vue'),
    meta: { roles: MOBILE_ROLES, mobile: true },
    children: [
      {
        path: '',
        name: 'm-home',
        component: () => import('./MyBuildingsPage.vue'),
        meta: { title: '我的楼宇', roles: MOBILE_ROLES, mobile: true },
      },
      {
        path: 'visit/:code',
        name: 'm-visit',
        component: () => import('./VisitFormPage.vue'),
        meta: { title: '扫楼走访', roles: MOBILE_ROLES, mobile: true, back: 'm-home' },
      },
      {
        path: 'inbox',
        name: 'm-inbox',
        component: () => import('./MobileInboxPage.vue'),
        meta: { title: '待办', roles: MOBILE_ROLES, mobile: true },
      },
      {
        path: 'ask',
        name: 'm-ask',
        component: () => import('../ask/MobileAskPage.vue'),
        meta: { title: '问数', roles: MOBILE_ROLES, mobile: true },
      },
      {
        path: 'tasks',
        name: 'm-tasks',
        component: () => import('./MyTasksPage.vue'),
        meta: { title: '我的任务', roles: MOBILE_ROLES, mobile: true },
      },
    ],
  },
]
