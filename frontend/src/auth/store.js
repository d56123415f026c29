import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { ApiError, MSG_SESSION_ENDED, errorMessage, refreshOnce } from '../api/http.js'
import * as authApi from './api.js'
import { clearTokens, loadTokens, saveTokens, tokensFromResponse } from './tokens.js'
import { rolesLabel } from './roles.js'

/** Refresh the access token this long before it expires (if the user is active). */
export const REFRESH_MARGIN_MS = 60_000

/** Refusals of a refresh whose own sentence the sign-in page shows (others: 登录已失效). */
const TOLD_REFUSALS = new Set(['AccountDisabled', 'SessionIdle'])

/**
 * The signed-in session: tokens (mirrored to sessionStorage, see tokens.js), the user
 * from /api/auth/me, and the message the sign-in page shows after a session ended.
 */
export const useAuthStore = defineStore('auth', () => {
  const stored = loadTokens()
  const accessToken = ref(stored?.accessToken ?? null)
  const refreshToken = ref(stored?.refreshToken ?? null)
  const expiresAt = ref(stored?.expiresAt ?? 0)
  const user = ref(null)
  /** Shown on the sign-in page, e.g. "登录已失效，请重新登录". */
  const notice = ref('')

  // Activity bookkeeping (not reactive: nothing renders it). The token is refreshed
  // proactively only if the user did something since it was issued: an idle screen
  // lets the session lapse, as the server's idle timeout intends.
  let tokensIssuedAt = 0
  let lastActivityAt = Date.now()
  // Why the server refused the last refresh, when the user should know (see TOLD_REFUSALS).
  let refusal = ''

  const isAuthenticated = computed(() => Boolean(refreshToken.value))
  const roles = computed(() => user.value?.roles ?? [])
  const displayName = computed(() => user.value?.display_name || user.value?.username || '')
  const roleText = computed(() => rolesLabel(roles.value))
  const isAdmin = computed(() => roles.value.includes('admin'))
  const mustChangePassword = computed(() => Boolean(user.value?.must_change_password))

  function hasAnyRole(wanted) {
    return wanted.some((r) => roles.value.includes(r))
  }

  function setTokens(body, now = Date.now()) {
    const t = tokensFromResponse(body, now)
    accessToken.value = t.accessToken
    refreshToken.value = t.refreshToken
    expiresAt.value = t.expiresAt
    tokensIssuedAt = now
    saveTokens(t)
  }

  /** Forget the session on this side (tokens, user). */
  function clear() {
    accessToken.value = null
    refreshToken.value = null
    expiresAt.value = 0
    user.value = null
    clearTokens()
  }

  async function loadMe() {
    user.value = await authApi.fetchMe()
    return user.value
  }

  /** Sign in; throws ApiError (its detail is the server's Chinese message). */
  async function signIn({ username, password }) {
    const body = await authApi.login({ username, password })
    setTokens(body)
    notice.value = ''
    try {
      await loadMe()
    } catch (error) {
      clear()
      throw error
    }
  }

  /** Revoke the session on the server (best effort) and forget it here. */
  async function signOut() {
    if (refreshToken.value) {
      try {
        await authApi.logout()
      } catch {
        // Already ended on the server, or unreachable: forget it here all the same.
      }
    }
    clear()
    notice.value = ''
  }

  /**
   * Load the user if tokens exist but the user is not loaded yet (after a page reload).
   * @returns {Promise<boolean>} whether a signed-in user is present.
   */
  async function ensureUser() {
    if (user.value) return true
    if (!isAuthenticated.value) return false
    try {
      await loadMe()
      return true
    } catch (error) {
      if (!notice.value) notice.value = errorMessage(error)
      return false
    }
  }

  /**
   * Exchange the refresh token (registered with the http wrapper, which makes the calls
   * single-flight). True on success; false when the server refused; throws when the
   * server could not be asked, so a network blip does not end the session.
   */
  async function refreshTokens() {
    const token = refreshToken.value
    if (!token) return false
    try {
      setTokens(await authApi.refresh(token))
      return true
    } catch (error) {
      if (error instanceof ApiError && error.status >= 400 && error.status < 500) {
        // A disabled account or an idle timeout says so on the sign-in page (the phone's
        // 楼长 needs to know whether to call the administrator or just sign in again).
        refusal = TOLD_REFUSALS.has(error.type) ? error.detail : ''
        return false
      }
      throw error
    }
  }

  /** The server ended the session (refresh refused). */
  function expireSession() {
    clear()
    notice.value = refusal || MSG_SESSION_ENDED
    refusal = ''
  }

  function noteActivity(now = Date.now()) {
    lastActivityAt = now
    return maybeRefresh(now)
  }

  /** Refresh shortly before expiry, but only for a user who was active since the last one. */
  async function maybeRefresh(now = Date.now()) {
    if (!refreshToken.value) return false
    if (expiresAt.value - now > REFRESH_MARGIN_MS) return false
    if (lastActivityAt <= tokensIssuedAt) return false
    try {
      return await refreshOnce()
    } catch {
      return false // unreachable now; the next tick or the next call tries again
    }
  }

  async function changePassword({ currentPassword, newPassword }) {
    await authApi.changePassword({ currentPassword, newPassword })
    // The current access token still says "must change password" (the services refuse it):
    // exchange it for one issued after the change, before the pages that call them show.
    try {
      await refreshOnce()
    } catch {
      // the next API call refreshes on its 403/401 path
    }
    if (user.value) user.value = { ...user.value, must_change_password: false }
    loadMe().catch(() => {})
  }

  return {
    accessToken,
    refreshToken,
    expiresAt,
    user,
    notice,
    isAuthenticated,
    roles,
    displayName,
    roleText,
    isAdmin,
    mustChangePassword,
    hasAnyRole,
    setTokens,
    clear,
    loadMe,
    signIn,
    signOut,
    ensureUser,
    refreshTokens,
    expireSession,
    noteActivity,
    maybeRefresh,
    changePassword,
  }
})
