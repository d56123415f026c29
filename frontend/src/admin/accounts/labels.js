/**
 * How the account screens say things: the scopes of a bureau system, a user's state.
 */

/** The scopes a machine client may hold (louyu_kit.auth.SCOPES), as a clerk calls them. */
export const SCOPE_LABELS = Object.freeze({
  'facts:write': '报送税收数据',
  'stats:read': '读取统计汇总',
})

export const SCOPE_OPTIONS = Object.freeze(
  Object.entries(SCOPE_LABELS).map(([value, label]) => Object.freeze({ value, label })),
)

export function scopeLabel(code) {
  return SCOPE_LABELS[code] || code
}

/** "报送税收数据、读取统计汇总" */
export function scopesLabel(codes = []) {
  return codes.map(scopeLabel).join('、')
}

/**
 * A user's state in one word, the most pressing first: 停用 (cannot sign in), 锁定 (too
 * many failed sign-ins, until `locked_until`), 待改密 (must change the initial password), 正常.
 * @returns {{label: string, tone: 'danger'|'warning'|'info'|'success'}}
 */
export function userState(user, now = new Date()) {
  if (!user?.is_active) return { label: '已停用', tone: 'info' }
  if (user.locked_until && new Date(user.locked_until) > now) return { label: '已锁定', tone: 'danger' }
  if (user.must_change_password) return { label: '待修改初始密码', tone: 'warning' }
  return { label: '正常', tone: 'success' }
}

/** Whether the street picker matters for these roles (街道、楼长 act for streets). */
export function needsStreets(roles = []) {
  return roles.includes('street') || roles.includes('chief')
}

/**
 * The roles a clerk may combine: 系统管理员 and 安全审计员 never on one account (三员分立).
 * @returns {string} a Chinese message, or '' when the combination is allowed
 */
export function rolesProblem(roles = []) {
  if (!roles.length) return '请至少选择一个角色'
  if (roles.includes('admin') && roles.includes('auditor')) return '系统管理员与安全审计员不能由同一账号担任（三员分立）'
  return ''
}
