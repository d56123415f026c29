/** Demand statuses as a clerk says them, and which step each allows. */
export const DEMAND_STATUSES = Object.freeze([
  { value: 'submitted', label: '已提交', type: 'info' },
  { value: 'assigned', label: '已交办', type: 'primary' },
  { value: 'in_progress', label: '办理中', type: 'warning' },
  { value: 'answered', label: '已答复', type: 'success' },
  { value: 'closed', label: '已办结', type: 'info' },
  { value: 'reopened', label: '已重办', type: 'danger' },
])

export function demandStatus(value) {
  return DEMAND_STATUSES.find((s) => s.value === value) || { value, label: value, type: 'info' }
}

export const SATISFACTION = Object.freeze({ 1: '很不满意', 2: '不满意', 3: '一般', 4: '满意', 5: '很满意' })

const has = (user, ...roles) => roles.some((r) => user?.roles?.includes(r))

/**
 * The steps to offer on a demand for this user (the server checks again and says why not):
 * 交办 by the bureau or the street; 开始办理 and 答复 by the assigned unit (department/street);
 * 办结 (with satisfaction) and 重办 by the bureau, the street or whoever recorded it.
 */
export function demandActions(demand, user) {
  if (!demand || !user) return []
  const s = demand.status
  const manages = has(user, 'bureau', 'street')
  const assignee = has(user, 'department', 'street')
  const followsUp = manages || demand.created_by === user.username
  const out = []
  if (manages && ['submitted', 'assigned', 'in_progress', 'reopened'].includes(s)) out.push('assign')
  if (assignee && demand.unit_code && ['assigned', 'reopened'].includes(s)) out.push('start')
  if (assignee && demand.unit_code && ['assigned', 'in_progress', 'reopened'].includes(s)) out.push('answer')
  if (followsUp && s === 'answered') out.push('close')
  if (followsUp && ['answered', 'closed'].includes(s)) out.push('reopen')
  return out
}

export const ACTION_LABELS = Object.freeze({
  assign: '交办',
  start: '开始办理',
  answer: '答复',
  close: '办结',
  reopen: '重办',
})
