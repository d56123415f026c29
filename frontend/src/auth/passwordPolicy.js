/**
 * The default password policy, checked here only to answer fast; the server decides
 * (it also refuses common passwords and may be configured differently) and its 422
 * detail is shown as is.
 */
export const MIN_LENGTH = 8

export function characterClasses(password) {
  let n = 0
  if (/[a-z]/.test(password)) n++
  if (/[A-Z]/.test(password)) n++
  if (/[0-9]/.test(password)) n++
  if (/[^A-Za-z0-9]/.test(password)) n++
  return n
}

/** @returns {string} a Chinese message, or '' when the password passes the local checks */
export function checkNewPassword(password) {
  if (!password) return '请输入新密码'
  if (password.length < MIN_LENGTH) return `新密码至少 ${MIN_LENGTH} 位`
  if (characterClasses(password) < 3) return '新密码须包含大写字母、小写字母、数字、特殊字符中的至少三类'
  return ''
}

/**
 * The policy as a checklist, for showing each rule met or not while the password is typed
 * (the phone's first-password form). The same rules as services/gateway
 * accounts/passwords.py policy_problem, except the list of common passwords (server only).
 * @returns {{key: string, label: string, ok: boolean}[]}
 */
export function policyChecklist(password = '', { username = '', confirm = null } = {}) {
  const items = [
    { key: 'length', label: `至少 ${MIN_LENGTH} 位`, ok: password.length >= MIN_LENGTH && password.length <= 128 },
    { key: 'classes', label: '大写字母、小写字母、数字、特殊字符中至少三类', ok: characterClasses(password) >= 3 },
    {
      key: 'username',
      label: '不包含用户名',
      ok: Boolean(password) && !(username && password.toLowerCase().includes(username.toLowerCase())),
    },
  ]
  if (confirm !== null) items.push({ key: 'confirm', label: '两次输入一致', ok: Boolean(confirm) && confirm === password })
  return items
}
