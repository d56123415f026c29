/** Task statuses as the tasks service names them, in a clerk's words. */
export const TASK_STATUSES = Object.freeze([
  { value: 'not_started', label: '未开始' },
  { value: 'in_progress', label: '推进中' },
  { value: 'done', label: '已完成' },
  { value: 'suspended', label: '暂缓' },
])

export function taskStatusLabel(value, fallback) {
  return fallback || TASK_STATUSES.find((s) => s.value === value)?.label || value || '—'
}

/** Tasks with `parent_id` into a tree (`children`), keeping the order given. */
export function toTree(tasks = []) {
  const byId = new Map(tasks.map((t) => [t.id, { ...t, children: [] }]))
  const roots = []
  for (const t of byId.values()) {
    const parent = t.parent_id != null ? byId.get(t.parent_id) : null
    if (parent) parent.children.push(t)
    else roots.push(t)
  }
  for (const t of byId.values()) if (!t.children.length) delete t.children
  return roots
}
