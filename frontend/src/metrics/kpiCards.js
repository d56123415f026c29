/**
 * The KPI answer (GET /api/metrics/kpis, and `kpis` of a building's page) → cards:
 * tax on both bases with 同比, 坪效 on GFA and on occupied area (annualised for a part of a
 * year, as the service says), occupancy, vacant area, tenants, 注册率, 纳统率.
 */

const isObj = (v) => v !== null && typeof v === 'object' && !Array.isArray(v)
const rate = (yoy, kind) => (isObj(yoy) && isObj(yoy[kind]) ? (yoy[kind].rate ?? null) : null)

/** True when `body` looks like the service's flat KPI object. */
export function isKpiBody(body) {
  if (!isObj(body) || !('tax_total' in body)) return false
  const plain = body.tax_total === null || typeof body.tax_total === 'number' || typeof body.tax_total === 'string'
  return plain && ('yoy' in body || 'efficiency' in body)
}

/**
 * @param {object} k the KPI object
 * @param {{level?: string}} [options] 'building' leaves out the building count
 * @returns {{key, label, kind, unit, value, yoy, note, goal: null}[]}
 */
export function kpiCards(k, { level } = {}) {
  if (!isObj(k)) return []
  const eff = isObj(k.efficiency) ? k.efficiency : {}
  const annualNote = eff.annualised ? '按全年折算' : ''
  const card = (key, label, kind, value, extra = {}) => ({ key, label, kind, unit: '', value: value ?? null, yoy: null, previous: null, note: '', goal: null, ...extra })
  const cards = [
    card('tax_total', '全口径税收', 'money', k.tax_total, { yoy: rate(k.yoy, 'tax_total') }),
    card('tax_district', '区级税收', 'money', k.tax_district, { yoy: rate(k.yoy, 'tax_district') }),
    card('tax_per_m2_gfa', '坪效（按建筑面积）', 'per_m2', eff.tax_total_per_m2_gfa ?? k.tax_per_m2_gfa, { note: annualNote }),
    card('tax_per_m2_occupied', '坪效（按入驻面积）', 'per_m2', eff.tax_total_per_m2_occupied ?? k.tax_per_m2_occupied, { note: annualNote }),
    card('occupancy_rate', '入驻率', 'percent', k.occupancy_rate),
    card('vacant_area', '空置面积', 'area', k.vacant_area),
    card('tenants', '在楼企业', 'count', k.tenants, { unit: '家' }),
    card('registration_rate', '注册率', 'percent', k.registration_rate, { note: '在册企业占在楼企业' }),
    card('statistics_rate', '纳统率', 'percent', k.statistics_rate, { note: '纳统企业占在楼企业' }),
  ]
  if (k.revenue !== undefined && k.revenue !== null) cards.push(card('revenue', '营业收入', 'money', k.revenue, { yoy: rate(k.yoy, 'revenue') }))
  if (level !== 'building' && k.buildings !== undefined && k.buildings !== null) {
    cards.push(card('buildings', '楼宇', 'count', typeof k.buildings === 'number' ? k.buildings : null, { unit: '栋' }))
  }
  return cards
}

/** "全区第3位（共41栋）" from `rank: {district: {position, of}, street?: {...}}`. */
export function rankText(rank) {
  if (!isObj(rank)) return ''
  const parts = []
  if (isObj(rank.district) && rank.district.position) parts.push(`全区第${rank.district.position}位（共${rank.district.of}栋）`)
  if (isObj(rank.street) && rank.street.position) parts.push(`街道内第${rank.street.position}位（共${rank.street.of}栋）`)
  return parts.join('，')
}
