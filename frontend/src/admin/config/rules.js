/**
 * The bureau's configuration forms without the screen: labels, checks of what is typed
 * (the same limits as the API, so a clerk learns of a mistake before saving) and the
 * changes to send.
 */

/** Unit kinds of the tasks service (tasks/units/models.py KINDS). */
export const UNIT_KINDS = Object.freeze([
  { value: 'department', label: '区直部门' },
  { value: 'street', label: '街道办事处' },
  { value: 'scenic_area', label: '风景区' },
  { value: 'committee', label: '管委会' },
  { value: 'enterprise', label: '区属企业' },
  { value: 'squad', label: '驻点招商小分队' },
  { value: 'group', label: '领导小组及办公室' },
  { value: 'leadership', label: '区领导及区政府' },
  { value: 'congress', label: '人大及其委员会' },
  { value: 'city', label: '市级部门派出机构' },
  { value: 'collective', label: '统称' },
])

export function unitKindLabel(kind) {
  return UNIT_KINDS.find((k) => k.value === kind)?.label || kind || ''
}

/** 单位编码: a lowercase short code (swj) or a street's 9-digit 区划代码. */
export const UNIT_CODE_PATTERN = /^([a-z][a-z0-9_]{1,31}|\d{9})$/

/** Field → message for a new or edited unit ({} when fine). */
export function checkUnit(form, { creating }) {
  const out = {}
  const name = String(form.name ?? '').trim()
  if (creating) {
    const code = String(form.code ?? '').trim()
    if (!code) out.code = '请填写单位编码'
    else if (!UNIT_CODE_PATTERN.test(code)) out.code = '单位编码应为小写字母开头的简码（如 swj）或9位区划代码'
    if (!form.kind) out.kind = '请选择单位类别'
    else if (form.kind === 'collective' && !form.expands_kind) out.expands_kind = '统称必须选择包含哪类单位'
  }
  if (name.length < 2) out.name = '单位全称至少2个字'
  else if (name.length > 100) out.name = '单位全称不能超过100个字'
  if (String(form.short_name ?? '').length > 50) out.short_name = '简称不能超过50个字'
  const order = Number(form.sort_order)
  if (form.sort_order === '' || form.sort_order == null || !Number.isInteger(order) || order < 0 || order > 100000) {
    out.sort_order = '排序号应为0至100000的整数'
  }
  if (String(form.note ?? '').length > 500) out.note = '备注不能超过500个字'
  return out
}

/** A new alias as typed: trimmed, or the reason it cannot be added. */
export function checkAlias(value, existing = []) {
  const alias = String(value ?? '').trim()
  if (alias.length < 2) return { error: '别名至少2个字' }
  if (alias.length > 100) return { error: '别名不能超过100个字' }
  if (existing.some((a) => a.alias === alias)) return { error: `“${alias}”已是本单位的别名` }
  return { alias }
}

// ---------------------------------------------------------------------------
// 特色楼宇 theme rules

export const MEASURES = Object.freeze([
  { value: 'count', label: '入驻企业数占比' },
  { value: 'area', label: '入驻面积占比' },
  { value: 'tax', label: '税收占比' },
])

export const TAX_BASES = Object.freeze([
  { value: 'tax_total', label: '全口径税收' },
  { value: 'tax_district', label: '区级税收' },
])

export function measureLabel(measure) {
  return MEASURES.find((m) => m.value === measure)?.label || measure || ''
}

export function taxBasisLabel(basis) {
  return TAX_BASES.find((b) => b.value === basis)?.label || basis || ''
}

/** The number typed in an input, or NaN (an empty input is not zero). */
function numberOf(value) {
  if (value === null || value === undefined) return NaN
  const text = String(value).trim().replace(/,/g, '')
  if (!text || !/^-?\d+(\.\d+)?$/.test(text)) return NaN
  return Number(text)
}

function decimals(value) {
  const text = String(value).trim()
  const dot = text.indexOf('.')
  return dot < 0 ? 0 : text.length - dot - 1
}

/** Field → message for a theme rule form ({} when it can be saved). */
export function checkThemeRule(form) {
  const out = {}
  if (!MEASURES.some((m) => m.value === form.measure)) out.measure = '请选择认定口径'
  const threshold = numberOf(form.threshold)
  if (Number.isNaN(threshold)) out.threshold = '请填写占比阈值（数字，单位 %）'
  else if (threshold <= 0 || threshold > 100) out.threshold = '占比阈值应大于0且不超过100（%）'
  else if (decimals(form.threshold) > 2) out.threshold = '占比阈值最多保留两位小数'
  const gfa = numberOf(form.min_gfa)
  if (Number.isNaN(gfa)) out.min_gfa = '请填写建筑面积下限（数字，单位 ㎡；不设下限填 0）'
  else if (gfa < 0) out.min_gfa = '建筑面积下限不能为负数'
  else if (gfa >= 1e12) out.min_gfa = '建筑面积下限过大'
  else if (decimals(form.min_gfa) > 2) out.min_gfa = '建筑面积下限最多保留两位小数'
  if (form.measure === 'tax' && !TAX_BASES.some((b) => b.value === form.tax_basis)) out.tax_basis = '请选择税收口径'
  return out
}

/** The PUT body of a checked theme rule form (numbers as decimal strings, as the API keeps them). */
export function themeRuleBody(form) {
  return {
    measure: form.measure,
    threshold: String(numberOf(form.threshold)),
    min_gfa: String(numberOf(form.min_gfa)),
    tax_basis: form.tax_basis || 'tax_total',
  }
}

// ---------------------------------------------------------------------------
// Warning rules

/** The settings a warning rule may have (absent from a rule = null in its read model). */
export const WARNING_FIELDS = Object.freeze([
  { key: 'threshold', label: '阈值', min: 0, exclusiveMin: true, max: 100, decimals: 2 },
  { key: 'top_n', label: '纳税排名前 N 名', min: 1, max: 10000, decimals: 0 },
  { key: 'window_days', label: '迁出天数', min: 1, max: 3650, decimals: 0 },
  { key: 'min_base', label: '起评税额（元）', min: 0, max: 1e18, decimals: 2, money: true },
])

/** An editable copy of the rules: the numbers as text for the inputs. */
export function warningDrafts(rules) {
  return (rules || []).map((r) => {
    const draft = { code: r.code, name: r.name, enabled: Boolean(r.enabled) }
    for (const f of WARNING_FIELDS) draft[f.key] = r[f.key] === null || r[f.key] === undefined ? null : String(Number(r[f.key]))
    return draft
  })
}

/** Field → message for one edited warning rule ({} when fine). Fields the rule does not have are null. */
export function checkWarningRule(draft) {
  const out = {}
  for (const f of WARNING_FIELDS) {
    if (draft[f.key] === null || draft[f.key] === undefined) continue
    const n = numberOf(draft[f.key])
    const range = f.exclusiveMin ? `大于${f.min}且不超过${f.max}` : `${f.min}至${f.max}`
    if (Number.isNaN(n)) out[f.key] = `${f.label}应为数字`
    else if ((f.exclusiveMin ? n <= f.min : n < f.min) || n > f.max) out[f.key] = `${f.label}应${range}`
    else if (decimals(draft[f.key]) > f.decimals) {
      out[f.key] = f.decimals ? `${f.label}最多保留${f.decimals}位小数` : `${f.label}应为整数`
    }
  }
  return out
}

/** The PUT items for the rules that changed: only the fields that changed. */
export function warningChanges(rules, drafts) {
  const byCode = new Map((rules || []).map((r) => [r.code, r]))
  const changes = []
  for (const d of drafts) {
    const r = byCode.get(d.code)
    if (!r) continue
    const change = {}
    if (Boolean(r.enabled) !== Boolean(d.enabled)) change.enabled = Boolean(d.enabled)
    for (const f of WARNING_FIELDS) {
      if (d[f.key] === null || d[f.key] === undefined) continue
      const n = numberOf(d[f.key])
      // Amounts go as JSON numbers (接口说明: money is a number everywhere); other decimals as text.
      if (n !== Number(r[f.key])) change[f.key] = f.decimals && !f.money ? String(n) : n
    }
    if (Object.keys(change).length) changes.push({ code: d.code, ...change })
  }
  return changes
}
