/**
 * Who may open the tasks service's screens. The server decides (services/tasks/tasks/access.py
 * and each domain's filter); these lists only keep the menu and buttons honest.
 */
export const TASK_READERS = Object.freeze(['leader', 'bureau', 'department', 'street', 'chief'])
/** 扫楼, leads and demands: the field work (a department sees the demands and leads of its unit). */
export const FIELD_READERS = TASK_READERS
export const BULLETIN_READERS = Object.freeze(['leader', 'bureau'])
export const ASSESSMENT_READERS = Object.freeze(['leader', 'bureau', 'department', 'street'])

const has = (user, role) => Boolean(user?.roles?.includes(role))

export function isBureau(user) {
  return has(user, 'bureau')
}

/** Import a plan, issue supervision notices, start visit rounds, assign demands: 区商务局. */
export function managesTasks(user) {
  return has(user, 'bureau')
}

/** Start a visit round: the bureau, or a street for its own buildings. */
export function canStartRound(user) {
  return has(user, 'bureau') || has(user, 'street')
}
