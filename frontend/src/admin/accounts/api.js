import { del, get, patch, post } from '../../api/http.js'

/** Account administration in the gateway (system administrator only). */
const BASE = '/api/auth'

/** GET /users?q=&role=&org_unit=&page=&page_size= → {items: UserRead[], total} */
export function listUsers(query) {
  return get(`${BASE}/users`, { query })
}

/** POST /users {username, display_name, password, roles, org_unit, street_codes, phone} → UserRead */
export function createUser(body) {
  return post(`${BASE}/users`, body)
}

/** PATCH /users/{username} {roles?, org_unit?, street_codes?, phone?, display_name?, is_active?} → UserRead */
export function updateUser(username, changes) {
  return patch(`${BASE}/users/${encodeURIComponent(username)}`, changes)
}

/** POST /users/{username}/password {new_password} → 204 (the user must change it at the next sign-in) */
export function resetPassword(username, newPassword) {
  return post(`${BASE}/users/${encodeURIComponent(username)}/password`, { new_password: newPassword })
}

/** POST /users/{username}/unlock → 204 */
export function unlockUser(username) {
  return post(`${BASE}/users/${encodeURIComponent(username)}/unlock`)
}

/** GET /clients → ClientRead[] */
export function listClients() {
  return get(`${BASE}/clients`)
}

/** POST /clients {name, scopes} → ClientRead with client_secret (shown once) */
export function createClient(body) {
  return post(`${BASE}/clients`, body)
}

/** PATCH /clients/{id} {name?, scopes?} → ClientRead */
export function updateClient(clientId, changes) {
  return patch(`${BASE}/clients/${encodeURIComponent(clientId)}`, changes)
}

/** POST /clients/{id}/rotate-secret → ClientRead with the new client_secret (shown once) */
export function rotateClientSecret(clientId) {
  return post(`${BASE}/clients/${encodeURIComponent(clientId)}/rotate-secret`)
}

/** DELETE /clients/{id} → 204: revoked, its tokens end now; the record stays. */
export function revokeClient(clientId) {
  return del(`${BASE}/clients/${encodeURIComponent(clientId)}`)
}
