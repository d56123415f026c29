import { visibleSections } from './sections.js'

/**
 * Where a redirect back after sign-in may go: a path inside this app, nothing else
 * (`//evil.example`, `https://…` and `/\evil` would leave the site).
 */
export function safeRedirect(value) {
  if (typeof value !== 'string') return '/'
  if (!value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return '/'
  if (value === '/login' || value.startsWith('/login?') || value.startsWith('/login/')) return '/'
  return value
}

/**
 * The navigation guard: signed-out users go to /login?redirect=<where they wanted to go>;
 * a signed-in user who lacks the route's role gets the 无权访问 page.
 *
 * @param {ReturnType<import('../auth/store.js').useAuthStore>} auth
 */
export function createAuthGuard(auth) {
  return async (to) => {
    if (to.meta.public) {
      // Already signed in: the sign-in page has nothing to offer, go where intended.
      if (to.name === 'login' && auth.isAuthenticated && (await auth.ensureUser())) {
        return safeRedirect(to.query.redirect)
      }
      return true
    }
    if (!auth.isAuthenticated || !(await auth.ensureUser())) {
      return { name: 'login', query: { redirect: to.fullPath } }
    }
    // The 大屏 kiosk account has one page: the 大屏.
    if (auth.hasAnyRole(['screen']) && to.name !== 'screen') return { name: 'screen' }
    const roles = to.meta.roles
    if (roles && !auth.hasAnyRole(roles) && to.name === 'dashboard') {
      // The home page holds figures; the administrator and the auditor start at their own page.
      const home = visibleSections(auth.roles)[0]
      if (home) return home.path
    }
    if (roles && !auth.hasAnyRole(roles)) {
      return { name: 'forbidden', query: { from: to.fullPath } }
    }
    return true
  }
}
