import { configureSession } from '../api/http.js'
import { createAuthGuard } from '../router/guard.js'
import { useAuthStore } from './store.js'

const ACTIVITY_EVENTS = ['pointerdown', 'keydown', 'wheel', 'touchstart']
const ACTIVITY_THROTTLE_MS = 5_000
const CHECK_EVERY_MS = 15_000

/** Give the http wrapper the store's token, its refresh, and what to do when the session ends. */
export function connectSession(auth, router) {
  configureSession({
    getAccessToken: () => auth.accessToken,
    refresh: () => auth.refreshTokens(),
    onSessionExpired: () => {
      auth.expireSession()
      const current = router.currentRoute.value
      // During the first navigation the guard itself redirects; elsewhere, go now.
      if (current.matched.length && !current.meta.public) {
        router.push({ name: 'login', query: { redirect: current.fullPath } }).catch(() => {})
      }
    },
  })
}

/**
 * Wire the auth store to the http wrapper and the router, and watch for user activity
 * so the access token is refreshed shortly before it expires while (and only while)
 * someone is using the app.
 */
export function setupAuth({ router, pinia }) {
  const auth = useAuthStore(pinia)
  connectSession(auth, router)
  router.beforeEach(createAuthGuard(auth))

  let lastNoted = 0
  const onActivity = () => {
    const now = Date.now()
    if (now - lastNoted < ACTIVITY_THROTTLE_MS) return
    lastNoted = now
    auth.noteActivity(now)
  }
  for (const type of ACTIVITY_EVENTS) {
    window.addEventListener(type, onActivity, { passive: true, capture: true })
  }
  window.setInterval(() => auth.maybeRefresh(), CHECK_EVERY_MS)

  return auth
}
