import { createRouter, createWebHistory } from 'vue-router'
import { routes } from './routes.js'

export const PRODUCT_NAME = '楼宇经济信息管理平台'

// After a deployment the old hashed chunks are gone; a tab opened before it fails to
// load the next page. Reload that page once (not in a loop) to pick up the new build.
const RELOAD_KEY = 'louyu.chunkReloadAt'
function isChunkLoadError(error) {
  return /dynamically imported module|Importing a module script failed|Failed to fetch|error loading dynamically/i.test(
    String(error?.message || ''),
  )
}

export function createAppRouter(history = createWebHistory()) {
  const router = createRouter({
    history,
    routes,
    scrollBehavior: (to, from, saved) => saved || { top: 0 },
  })

  router.afterEach((to) => {
    const title = to.meta.title
    document.title = title ? `${title} - ${PRODUCT_NAME}` : PRODUCT_NAME
  })

  router.onError((error, to) => {
    if (!isChunkLoadError(error)) return
    const last = Number(window.sessionStorage.getItem(RELOAD_KEY) || 0)
    if (Date.now() - last < 10_000) return
    window.sessionStorage.setItem(RELOAD_KEY, String(Date.now()))
    window.location.assign(to.fullPath)
  })

  return router
}
