/** Role codes used by the gateway, and how a clerk calls them. */
export const ROLE_LABELS = Object.freeze({
  admin: '系统管理员',
  auditor: '安全审计员',
  leader: '区领导',
  bureau: '区商务局',
  department: '协办部门',
  street: '街道',
  chief: '楼长',
  screen: '大屏（只读）',
})

export function roleLabel(code) {
  return ROLE_LABELS[code] || code
}

/** "区商务局、楼长" for a user with several roles. */
export function rolesLabel(codes = []) {
  return codes.map(roleLabel).join('、')
}
