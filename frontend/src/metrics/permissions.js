/**
 * Who sees which metrics screens (the metrics service enforces the same, and scopes every
 * answer: a street user's figures are their streets', a chief's their buildings').
 * Auditors and administrators read no domain figures.
 */
export const METRICS_READERS = Object.freeze(['leader', 'bureau', 'department', 'street', 'chief'])
/** 区商务局 uploads the tax and statistics figures (bureaus' own systems use the API). */
export const FACTS_UPLOADERS = Object.freeze(['bureau'])

const hasAny = (user, roles) => roles.some((r) => Boolean(user?.roles?.includes(r)))

export function canReadMetrics(user) {
  return hasAny(user, METRICS_READERS)
}

export function canUploadFacts(user) {
  return hasAny(user, FACTS_UPLOADERS)
}
