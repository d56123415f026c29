import { get } from '../api/http.js'
import { IMPORTERS } from '../auth/permissions.js'
import { FACTS_UPLOADERS } from '../metrics/permissions.js'
import { TASK_READERS } from '../tasks/permissions.js'

/**
 * 待办 comes from three services, each answering its own items in one shape
 * ({kind, title, due_date, overdue, link, source_id}): tasks (督办, 诉求, 扫楼 …), registry
 * (my refused imports), metrics (my failed batches). Each is asked only of the roles that can
 * have items there, and one that is down hides only its own items (`failed` names it).
 */
export const INBOX_SOURCES = Object.freeze([
  { key: 'tasks', label: '任务督办', roles: TASK_READERS, list: '/api/tasks/inbox', count: '/api/tasks/inbox/count' },
  { key: 'registry', label: '楼宇数据导入', roles: IMPORTERS, list: '/api/registry/inbox', count: '/api/registry/inbox' },
  { key: 'metrics', label: '税收数据报送', roles: FACTS_UPLOADERS, list: '/api/metrics/inbox', count: '/api/metrics/inbox' },
])

export const KIND_LABELS = Object.freeze({
  supervision: '督办',
  demand: '企业诉求',
  visit: '扫楼走访',
  import: '数据导入',
  batch: '数据报送',
  part: '进展报送',
  opinion: '整改意见',
  summary: '总结验收',
  policy: '政策送达',
  lead_match: '线索匹配',
})

export function kindLabel(kind) {
  return KIND_LABELS[kind] || '其他'
}

function sourcesFor(roles = []) {
  return INBOX_SOURCES.filter((s) => s.roles.some((r) => roles.includes(r)))
}

/** Overdue first, then by due date (none last). */
export function sortItems(items) {
  const key = (i) => [i.overdue ? 0 : 1, i.due_date || '9999-12-31']
  return [...items].sort((a, b) => {
    const [ao, ad] = key(a)
    const [bo, bd] = key(b)
    return ao - bo || (ad < bd ? -1 : ad > bd ? 1 : 0)
  })
}

/**
 * Every item of the signed-in user: {items, total, overdue, counts: [{kind, label, count, overdue}],
 * failed: [source label]}. Throws only when every source failed.
 */
export async function loadInbox(roles, { signal } = {}) {
  const sources = sourcesFor(roles)
  const answers = await Promise.allSettled(sources.map((s) => get(s.list, { signal })))
  const items = []
  const failed = []
  let lastError = null
  answers.forEach((a, i) => {
    if (a.status === 'fulfilled') items.push(...(a.value?.items ?? []))
    else {
      failed.push(sources[i].label)
      lastError = a.reason
    }
  })
  if (sources.length && failed.length === sources.length) throw lastError
  const byKind = new Map()
  for (const item of items) {
    const c = byKind.get(item.kind) || { kind: item.kind, label: kindLabel(item.kind), count: 0, overdue: 0 }
    c.count += 1
    if (item.overdue) c.overdue += 1
    byKind.set(item.kind, c)
  }
  return {
    items: sortItems(items),
    total: items.length,
    overdue: items.filter((i) => i.overdue).length,
    counts: [...byKind.values()],
    failed,
  }
}

/** The badge: {total, overdue}; a source that fails counts nothing (the page says why). */
export async function loadCount(roles) {
  const answers = await Promise.allSettled(sourcesFor(roles).map((s) => get(s.count)))
  let total = 0
  let overdue = 0
  for (const a of answers) {
    if (a.status !== 'fulfilled') continue
    total += a.value?.total ?? 0
    overdue += a.value?.overdue ?? (a.value?.items || []).filter((i) => i.overdue).length
  }
  return { total, overdue }
}
