import { SECTIONS } from './sections.js'
import { mobileRoutes } from '../mobile/routes.js'
import { SCREEN_VIEWERS } from '../screen/permissions.js'

export const routes = [
  {
    path: '/login',
    name: 'login',
    component: () => import('../auth/LoginPage.vue'),
    meta: { public: true, title: '登录' },
  },
  {
    path: '/',
    component: () => import('../layout/AppShell.vue'),
    children: [
      ...SECTIONS.map((s) => ({
        path: s.path.slice(1),
        name: s.name,
        component: s.load,
        meta: { title: s.title, roles: s.roles, section: s.parent || s.name },
      })),
      {
        path: 'forbidden',
        name: 'forbidden',
        component: () => import('../errors/ForbiddenPage.vue'),
        meta: { title: '无权访问' },
      },
    ],
  },
  ...mobileRoutes,
  {
    // 大屏: full screen, outside the app shell (no menu), for the wall display.
    path: '/screen',
    name: 'screen',
    component: () => import('../screen/ScreenPage.vue'),
    meta: { title: '大屏', roles: SCREEN_VIEWERS },
  },
  {
    path: '/:pathMatch(.*)*',
    name: 'not-found',
    component: () => import('../errors/NotFoundPage.vue'),
    meta: { public: true, title: '页面不存在' },
  },
]
