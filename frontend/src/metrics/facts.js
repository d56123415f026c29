/** Words for the facts upload: sources, fields of a rejected row, one line per batch. */
import { formatNumber } from '../utils/format.js'

export const SOURCE_LABELS = Object.freeze({
  tax_bureau: '税务局',
  statistics_bureau: '统计局',
  visit: '走访',
  manual: '手工整理',
})

export const FIELD_LABELS = Object.freeze({
  credit_code: '统一社会信用代码',
  period: '期间',
  kind: '指标',
  value: '数值',
  source: '来源',
})

export function sourceLabel(code) {
  return SOURCE_LABELS[code] || code || '—'
}

export function fieldLabel(field) {
  return FIELD_LABELS[field] || field || ''
}

const n = (v) => formatNumber(v ?? 0)

/** "共120行 · 有效118 · 新增100 · 更正10 · 无变化8 · 问题2 · 在税不在册3". */
export function batchSummary(b) {
  if (!b) return ''
  if (b.status === 'processing') return '处理中…'
  if (b.status === 'failed') return `处理失败${b.error ? `：${b.error}` : ''}`
  const parts = [`共${n(b.rows_total)}行`, `有效${n(b.accepted)}`]
  if (b.created !== undefined) parts.push(`新增${n(b.created)}`)
  if (b.updated !== undefined) parts.push(`更正${n(b.updated)}`)
  if (b.unchanged !== undefined) parts.push(`无变化${n(b.unchanged)}`)
  parts.push(`问题${n(b.rejected_count ?? (b.rejected || []).length)}`)
  if (b.unregistered_count) parts.push(`在税不在册${n(b.unregistered_count)}`)
  return parts.join(' · ')
}
