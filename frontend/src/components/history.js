import { formatDate } from '../utils/format.js'

export const OP_LABELS = Object.freeze({ create: '新建', update: '修改', delete: '删除' })

// Codes an enterprise's history records (registry's enterprises/models.py HQ_LEVELS and tags).
const VALUE_LABELS = Object.freeze({ global500: '世界500强', china500: '中国500强', regional: '区域总部' })
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/

/** A recorded value as a reader wants it: nothing → （空）, booleans → 是/否, dates the Chinese
 * way, known codes by their names, lists joined. */
export function historyValue(value) {
  if (value === null || value === undefined || value === '') return '（空）'
  if (value === true) return '是'
  if (value === false) return '否'
  if (Array.isArray(value)) return value.length ? value.map(historyValue).join('、') : '（空）'
  if (typeof value === 'object') return JSON.stringify(value)
  const text = String(value)
  if (ISO_DATE.test(text)) return formatDate(text)
  return VALUE_LABELS[text] || text
}
