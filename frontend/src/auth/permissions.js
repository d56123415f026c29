/**
 * What a signed-in user may do in the registry, to hide the buttons they cannot use. The
 * server enforces the same rules (and scopes every list); this only keeps the screens honest.
 *
 * read: leader, bureau, department, street, chief · write: bureau (all), street (own
 * street), chief (own buildings; creates none) · delete: bureau.
 */
export const REGISTRY_READERS = Object.freeze(['leader', 'bureau', 'department', 'street', 'chief'])
export const REGISTRY_WRITERS = Object.freeze(['bureau', 'street', 'chief'])
export const IMPORTERS = Object.freeze(['bureau', 'street'])

const has = (user, role) => Boolean(user?.roles?.includes(role))

export function canCreateBuilding(user) {
  return has(user, 'bureau') || has(user, 'street')
}

/** Edit a building and its spaces and tenants. */
export function canEditBuilding(user, building) {
  if (!user || !building) return false
  if (has(user, 'bureau')) return true
  if (has(user, 'street') && (user.street_codes || []).includes(building.street_code)) return true
  if (has(user, 'chief') && building.chief_username && building.chief_username === user.username) return true
  return false
}

export function canDelete(user) {
  return has(user, 'bureau')
}

/** Create or edit enterprises (a chief records the tenants met while visiting). */
export function canWriteEnterprise(user) {
  return REGISTRY_WRITERS.some((r) => has(user, r))
}

export function canImport(user) {
  return IMPORTERS.some((r) => has(user, r))
}
