import { ROLE_LABELS } from '../../auth/roles.js'

/**
 * How the account screens say things: the scopes of a bureau system, a user's state.
 */

/** The scopes a machine client may hold (louyu_kit.auth.SCOPES), as a clerk calls them. */
export const SCOPE_LABELS = Object.freeze({
  'facts:write': '报送税收数据',
  'stats:read': '读取统计汇总',
})

export const SCOPE_OPTIONS = Object.freeze(Object.entries(SCOPE_LABELS).map(([value, label]) => Object.freeze({ value, label })))

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
 * 三员分立: the administrator never grants 安全审计员 (auditors are made on the server's
 * command line), so the account form offers every role but that one.
 */
export const ADMIN_GRANTABLE_ROLES = Object.freeze(Object.keys(ROLE_LABELS).filter((r) => r !== 'auditor'))

/** An auditor's account is managed on the server's command line only: no edit, reset or unlock here. */
export function managedOnServer(user) {
  return Boolean(user?.roles?.includes('auditor'))
}

/**
 * The roles a clerk may combine (三员分立): 系统管理员 holds no other role; 安全审计员 is
 * never granted here.
 * @returns {string} a Chinese message, or '' when the combination is allowed
 */
export function rolesProblem(roles = []) {
  if (!roles.length) return '请至少选择一个角色'
  if (roles.includes('auditor')) return '安全审计员账号只能由服务器命令行创建（三员分立）'
  if (roles.includes('admin') && roles.length > 1) return '系统管理员账号不能兼任其他角色（三员分立）'
  return ''
}
