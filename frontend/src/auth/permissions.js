/**
 * What a signed-in user may do in the registry, to hide the buttons they cannot use. The
 * server enforces the same rules (services/registry/registry/access.py) and scopes every
 * list; this only keeps the screens honest. Where the server says `can_edit` on a record,
 * that answer wins.
 *
 * read: leader, bureau, department, street, chief · write: bureau (all), street (own
 * street), chief (buildings they are chief or liaison of; creates none) · delete: bureau.
 */
export const REGISTRY_READERS = Object.freeze(['leader', 'bureau', 'department', 'street', 'chief'])
export const REGISTRY_WRITERS = Object.freeze(['bureau', 'street', 'chief'])
/** Imports write records: any writer (the server checks each row against the user's scope). */
export const IMPORTERS = REGISTRY_WRITERS
const PHONE_REVEALERS = Object.freeze(['leader', 'bureau', 'street', 'chief'])

const has = (user, role) => Boolean(user?.roles?.includes(role))
const hasAny = (user, roles) => roles.some((r) => has(user, r))

export function canReadRegistry(user) {
  return hasAny(user, REGISTRY_READERS)
}

export function canCreateBuilding(user) {
  return has(user, 'bureau') || has(user, 'street')
}

/** Edit a building and its spaces and tenants. */
export function canEditBuilding(user, building) {
  if (!user || !building) return false
  if (typeof building.can_edit === 'boolean') return building.can_edit
  if (has(user, 'bureau')) return true
  if (has(user, 'street') && (user.street_codes || []).includes(building.street_code)) return true
  if (has(user, 'chief') && [building.chief_username, building.liaison_username].includes(user.username)) return true
  return false
}

export function canDelete(user) {
  return has(user, 'bureau')
}

/** Create enterprises (a chief records the tenants met while visiting); edit one the server lets them. */
export function canWriteEnterprise(user, enterprise = null) {
  if (enterprise && typeof enterprise.can_edit === 'boolean') return enterprise.can_edit
  return hasAny(user, REGISTRY_WRITERS)
}

/** Ask for the full phone numbers of a building's chief and liaison (audited by the server). */
export function canRevealPhones(user) {
  return hasAny(user, PHONE_REVEALERS)
}

export function canImport(user) {
  return hasAny(user, IMPORTERS)
}

/**
 * 一企一档's tax (the enterprise page's tax history, the list's tax columns): the people metrics
 * lets read enterprise tax (leader, bureau, department district-wide; a street or 楼长 for the
 * enterprises of their buildings). Others (admin, auditor) see no tax column at all.
 */
export const TAX_READERS = Object.freeze(['leader', 'bureau', 'department', 'street', 'chief'])

export function canSeeEnterpriseTax(user) {
  return hasAny(user, TAX_READERS)
}
