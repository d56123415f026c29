/** Chinese names of the tasks service's policy codes (tasks/policies/models.py). */
export const LEVELS = [
  { value: 'national', label: '国家' },
  { value: 'province', label: '省' },
  { value: 'city', label: '市' },
  { value: 'district', label: '区' },
]
export const TAGS = [
  { value: 'global500', label: '世界500强' },
  { value: 'china500', label: '中国500强' },
  { value: 'regional_hq', label: '区域总部' },
  { value: 'listed', label: '上市企业' },
  { value: 'above_scale', label: '规上企业' },
  { value: 'key', label: '重点企业' },
  { value: 'in_statistics', label: '纳统企业' },
  { value: 'taxed', label: '在税企业' },
]
export const APP_STATUSES = [
  { value: 'planned', label: '拟申报', type: 'info' },
  { value: 'applied', label: '已申报', type: 'primary' },
  { value: 'accepted', label: '已受理', type: 'warning' },
  { value: 'paid', label: '已兑现', type: 'success' },
  { value: 'rejected', label: '未通过', type: 'danger' },
]

export function appStatus(value) {
  return APP_STATUSES.find((s) => s.value === value) || { value, label: '未知状态', type: 'info' }
}

/** Who manages policies and applications: 区商务局, 科创人才中心 (unit kcrc). */
export function managesPolicies(user) {
  const roles = user?.roles || []
  return roles.includes('bureau') || (roles.includes('department') && /^kcrc$|科技创新|科创人才/.test(user?.org_unit || ''))
}

/** What a policy targets, as one line. */
export function targetsText(p) {
  const parts = []
  if (p.industry_labels?.length) parts.push(`行业：${p.industry_labels.join('、')}`)
  if (p.theme_labels?.length) parts.push(`主题：${p.theme_labels.join('、')}`)
  if (p.tag_labels?.length) parts.push(`企业：${p.tag_labels.join('、')}`)
  if (p.min_employees != null || p.max_employees != null) {
    const lo = p.min_employees != null ? `不少于${p.min_employees}人` : ''
    const hi = p.max_employees != null ? `不超过${p.max_employees}人` : ''
    parts.push(`从业人数${[lo, hi].filter(Boolean).join('、')}`)
  }
  return parts.length ? parts.join('；') : '普惠（面向全部企业）'
}
