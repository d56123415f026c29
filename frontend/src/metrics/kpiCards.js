/**
 * The KPI answer (GET /api/metrics/kpis, and `kpis` of a building's page; model `KpiRead` in
 * services/metrics/metrics/kpis/schemas.py) → cards: tax on both bases with 同比, 坪效 on GFA
 * and on occupied area (annualised for a part of a year, as the service says), occupancy,
 * vacant area, tenants, 注册率, 纳统率. Each card's `key` is its 指标口径 code; its label is the
 * catalogue's name (src/contract/fixtures.test.js checks both against the recorded catalogue).
 */

/**
 * @param {object} k the KPI object (KpiRead)
 * @param {{level?: string}} [options] 'building' leaves out the building count
 * @returns {{key, label, kind, unit, value, yoy, previous, note, on, goal: null}[]}
 */
export function kpiCards(k, { level } = {}) {
  if (!k) return []
  const eff = k.efficiency
  const annualNote = eff.annualised ? '按全年折算' : ''
  const on = k.figures_on ?? null
  const card = (key, label, kind, value, extra = {}) => ({
    key,
    label,
    kind,
    unit: '',
    value,
    yoy: null,
    previous: null,
    note: '',
    on: null,
    goal: null,
    ...extra,
  })
  const cards = [
    card('tax_total', '全口径税收', 'money', k.tax_total, { yoy: k.yoy.tax_total.rate, previous: k.yoy.tax_total.previous }),
    card('tax_district', '区级税收', 'money', k.tax_district, { yoy: k.yoy.tax_district.rate, previous: k.yoy.tax_district.previous }),
    card('tax_per_m2_gfa', '坪效（按建筑面积）', 'per_m2', eff.tax_total_per_m2_gfa, { note: annualNote }),
    card('tax_per_m2_occupied', '坪效（按入驻面积）', 'per_m2', eff.tax_total_per_m2_occupied, { note: annualNote }),
    card('occupancy_rate', '入驻率', 'percent', k.occupancy_rate, { on }),
    card('vacant_area', '空置面积', 'area', k.vacant_area, { on }),
    card('tenants', '在楼企业', 'count', k.tenants, { unit: '家', on }),
    card('registration_rate', '注册率', 'percent', k.registration_rate, { note: '在册企业占在楼企业', on }),
    card('statistics_rate', '纳统率', 'percent', k.statistics_rate, { note: '纳统企业占在楼企业', on }),
  ]
  if (k.revenue !== null)
    cards.push(card('revenue', '营业收入', 'money', k.revenue, { yoy: k.yoy.revenue.rate, previous: k.yoy.revenue.previous }))
  if (level !== 'building') cards.push(card('buildings', '楼宇数', 'count', k.buildings, { unit: '栋' }))
  return cards
}

/** "全区第3位（共41栋）" from `rank: {district: {position, of} | null, street: … | null}`. */
export function rankText(rank) {
  if (!rank) return ''
  const parts = []
  if (rank.district) parts.push(`全区第${rank.district.position}位（共${rank.district.of}栋）`)
  if (rank.street) parts.push(`街道内第${rank.street.position}位（共${rank.street.of}栋）`)
  return parts.join('，')
}
