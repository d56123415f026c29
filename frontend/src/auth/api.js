import { request } from '../api/http.js'

// The token endpoints speak OAuth2's form encoding and must never trigger the
// refresh-and-retry path (a 401 there means "wrong password" or "session over").
const noRefresh = { auth: false, refreshOn401: false }

/** POST /api/auth/token → {access_token, token_type, expires_in, refresh_token} */
export function login({ username, password }) {
  return request('POST', '/api/auth/token', {
    ...noRefresh,
    form: { grant_type: 'password', username, password },
  })
}

/** POST /api/auth/refresh → same shape as login; the refresh token rotates. */
export function refresh(refreshToken) {
  return request('POST', '/api/auth/refresh', { ...noRefresh, form: { refresh_token: refreshToken } })
}

/**
 * POST /api/auth/logout → 204; revokes the session on the server. An expired access
 * token is refreshed first (the usual 401 path) so that the revocation still happens.
 */
export function logout() {
  return request('POST', '/api/auth/logout', { timeout: 5000 })
}

/** GET /api/auth/me → {username, display_name, roles, org_unit, street_codes, must_change_password} */
export function fetchMe() {
  return request('GET', '/api/auth/me')
}

/** POST /api/auth/password → 204; 422 with a Chinese detail when the policy refuses it. */
export function changePassword({ currentPassword, newPassword }) {
  return request('POST', '/api/auth/password', {
    json: { current_password: currentPassword, new_password: newPassword },
  })
}
