/**
 * A building's occupancy figures as every screen shows them — the building header, its 税收指标
 * tab, the map popup, the list, the phone: one definition (入驻率 = 当日有效入驻记录面积 ÷ 可出租面积,
 * DOMAIN.md → 指标口径), one formatter, always with the date the figures are for. Registry
 * sends `figures: {on, status, status_label, occupancy_rate, occupied_area, vacant_area,
 * tenant_count}`; metrics sends the same values as `figures_on, figures_status,
 * figures_status_label, occupancy_rate, occupied_area, vacant_area, tenants`.
 */
import { formatAreaExact, formatDate, formatPercent } from '../utils/format.js'

/** The figures from either service's fields, or null when there are none. */
export function readFigures(source) {
  if (!source) return null
  const on = source.on ?? source.figures_on
  if (!on) return null
  return {
    on,
    status: source.status ?? source.figures_status ?? 'reported',
    statusLabel: source.status_label ?? source.figures_status_label ?? '',
    rate: source.occupancy_rate ?? null,
    occupied: source.occupied_area ?? null,
    vacant: source.vacant_area ?? null,
    tenants: source.tenant_count ?? source.tenants ?? null,
  }
}

/**
 * The rows to show: `[{key, label, value}]`. 未填报 says so instead of a rate (never 0% or
 * 100%); 在建 says 在建 next to its figures.
 */
export function figureRows(source) {
  const f = readFigures(source)
  if (!f) return []
  const missing = f.status === 'not_reported'
  const rate = missing ? '未填报' : formatPercent(f.rate)
  return [
    { key: 'on', label: '统计日期', value: formatDate(f.on) },
    { key: 'rate', label: '入驻率', value: f.status === 'under_construction' && !missing ? `${rate}（在建）` : rate },
    { key: 'occupied', label: '入驻面积', value: formatAreaExact(f.occupied) },
    { key: 'vacant', label: '空置面积', value: missing ? '未填报' : formatAreaExact(f.vacant) },
    { key: 'tenants', label: '在楼企业', value: f.tenants === null ? '—' : `${f.tenants}家` },
  ]
}
