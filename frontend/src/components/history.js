export const OP_LABELS = Object.freeze({ create: '新建', update: '修改', delete: '删除' })

/** A recorded value as a reader wants it: nothing → （空）, booleans → 是/否, lists joined. */
export function historyValue(value) {
  if (value === null || value === undefined || value === '') return '（空）'
  if (value === true) return '是'
  if (value === false) return '否'
  if (Array.isArray(value)) return value.length ? value.map(historyValue).join('、') : '（空）'
  if (typeof value === 'object') return JSON.stringify(value)
  return String(value)
}
