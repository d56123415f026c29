/**
 * Where the tokens live between page loads: sessionStorage, on purpose.
 *
 * - It ends with the tab: closing the browser tab (or the browser) signs the user out
 *   on this machine, which is what a shared office PC at a street office needs; nothing
 *   lingers on disk for the next person the way localStorage or a remember-me would.
 * - It is per tab, so two tabs never race to spend the same rotating refresh token.
 * - Like any script-readable store it is exposed to XSS; the defence is the strict CSP
 *   (no inline script, no third-party origin) and short access tokens (15 minutes).
 *
 * Nothing else in the app touches sessionStorage for auth.
 */

const KEY = 'louyu.session'

/**
 * @typedef {object} Tokens
 * @property {string} accessToken
 * @property {string} refreshToken
 * @property {number} expiresAt  epoch ms when the access token expires
 */

/** @returns {Tokens|null} */
export function loadTokens() {
  try {
    const raw = window.sessionStorage.getItem(KEY)
    if (!raw) return null
    const t = JSON.parse(raw)
    if (typeof t?.accessToken !== 'string' || typeof t?.refreshToken !== 'string') return null
    return { accessToken: t.accessToken, refreshToken: t.refreshToken, expiresAt: Number(t.expiresAt) || 0 }
  } catch {
    return null
  }
}

/** @param {Tokens} tokens */
export function saveTokens(tokens) {
  try {
    window.sessionStorage.setItem(KEY, JSON.stringify(tokens))
  } catch {
    // Storage refused (private mode quota): the session then lasts until a reload.
  }
}

export function clearTokens() {
  try {
    window.sessionStorage.removeItem(KEY)
  } catch {
    // ignore
  }
}

/** Turn the token endpoint's answer into what we store. */
export function tokensFromResponse(body, now = Date.now()) {
  return {
    accessToken: body.access_token,
    refreshToken: body.refresh_token,
    expiresAt: now + Number(body.expires_in || 0) * 1000,
  }
}
