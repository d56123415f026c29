/**
 * The header's search box, without the screen: which sources a user may search, when a
 * query is long enough, how each service's answer becomes result rows (with the matched
 * text marked), where each row and each "查看全部" leads, and how the arrow keys move.
 *
 * Sources: 楼宇 and 企业 from the registry (REGISTRY_READERS), 任务 and 单位 from the tasks
 * service (TASK_READERS). The server scopes every list (a street finds only its street's
 * buildings and their tenants); the role lists only spare a user requests they may not make.
 */
import { REGISTRY_READERS } from '../auth/permissions.js'
import { TASK_READERS } from '../tasks/permissions.js'
import { formatDate } from '../utils/format.js'

/** Rows shown per group; the rest behind 查看全部. */
export const GROUP_LIMIT = 5
/** The services refuse longer queries (max_length=100). */
export const MAX_QUERY_LENGTH = 100
export const DEBOUNCE_MS = 250

/**
 * The groups, in the order they are shown. `unavailable`: said when the service does not
 * answer; `all`: the list page that shows every match (none for units: their directory
 * page is the bureau's administration page).
 */
export const SEARCH_GROUPS = Object.freeze([
  {
    key: 'buildings',
    label: '楼宇',
    roles: REGISTRY_READERS,
    unavailable: '楼宇服务暂不可用',
    all: (q) => ({ name: 'buildings', query: { q } }),
  },
  {
    key: 'enterprises',
    label: '企业',
    roles: REGISTRY_READERS,
    unavailable: '企业服务暂不可用',
    all: (q) => ({ name: 'enterprises', query: { q } }),
  },
  {
    key: 'tasks',
    label: '任务',
    roles: TASK_READERS,
    unavailable: '任务服务暂不可用',
    all: (q) => ({ name: 'tasks', query: { q } }),
  },
  {
    key: 'units',
    label: '单位',
    roles: TASK_READERS,
    unavailable: '单位目录暂不可用',
    all: null,
  },
])

/** The groups `user` may search (none for the administrator and the auditor). */
export function searchGroups(user) {
  const roles = user?.roles ?? []
  return SEARCH_GROUPS.filter((g) => g.roles.some((r) => roles.includes(r)))
}

/** Latin letters and digits with at least one digit: (the beginning of) a credit code or a code. */
export function looksLikeCode(text) {
  return /^[0-9A-Za-z]+$/.test(text) && /\d/.test(text)
}

/**
 * What to do with what the user typed: `q` (trimmed, inner spaces collapsed, at most
 * MAX_QUERY_LENGTH characters) and whether it is long enough to search: one character
 * for a code (统一社会信用代码, 楼宇编码), two for a name (one Chinese character matches
 * half the district). `hint` says why not.
 */
export function readQuery(raw) {
  const q = [
    ...String(raw ?? '')
      .trim()
      .replace(/\s+/g, ' '),
  ]
    .slice(0, MAX_QUERY_LENGTH)
    .join('')
  if (!q) return { q, searchable: false, hint: '' }
  const min = looksLikeCode(q) ? 1 : 2
  if ([...q].length < min) return { q, searchable: false, hint: '请至少输入 2 个字，或信用代码、编码的开头' }
  return { q, searchable: true, hint: '' }
}

/**
 * `text` cut into pieces, those that match `query` (ignoring case) marked `hit`, for a
 * template to wrap in <mark>: text is never turned into HTML.
 */
export function highlightParts(text, query) {
  const source = String(text ?? '')
  const needle = String(query ?? '').trim()
  if (!source) return []
  if (!needle) return [{ text: source, hit: false }]
  let hay = source.toLowerCase()
  let pin = needle.toLowerCase()
  // Lower-casing a few characters changes their length: then match exactly, so the cuts stay true.
  if (hay.length !== source.length || pin.length !== needle.length) {
    hay = source
    pin = needle
  }
  const parts = []
  let from = 0
  for (let at = hay.indexOf(pin); at !== -1; at = hay.indexOf(pin, at + pin.length)) {
    if (at > from) parts.push({ text: source.slice(from, at), hit: false })
    parts.push({ text: source.slice(at, at + pin.length), hit: true })
    from = at + pin.length
  }
  if (from < source.length) parts.push({ text: source.slice(from), hit: false })
  return parts
}

/** Whether `text` holds `query` (ignoring case). */
export function contains(text, query) {
  return highlightParts(text, query).some((p) => p.hit)
}

/** A credit code as the registry compares it: no spaces, upper case. */
function codeKey(text) {
  return String(text ?? '')
    .replace(/\s+/g, '')
    .toUpperCase()
}

/** The part of `code` that `query` begins (a credit-code prefix search), as highlight pieces. */
export function prefixParts(code, query) {
  const key = codeKey(query)
  if (key && code.toUpperCase().startsWith(key)) {
    const rest = code.slice(key.length)
    return [{ text: code.slice(0, key.length), hit: true }, ...(rest ? [{ text: rest, hit: false }] : [])]
  }
  return highlightParts(code, query)
}

const UNIT_KINDS = Object.freeze({
  department: '区直部门',
  street: '街道办事处',
  scenic_area: '风景区',
  committee: '管委会',
  enterprise: '区属企业',
  squad: '驻点招商小分队',
  group: '领导小组及办公室',
  leadership: '区领导及区政府',
  congress: '人大及其委员会',
  city: '市级部门派出机构',
})

/**
 * One service's answer → result rows `{id, title, note, to}`: `title` and `note` are
 * highlight pieces (see highlightParts), `to` a router location.
 */
export function toRows(groupKey, answer, q) {
  let items = answer?.items ?? []
  // A collective name (各街道办事处) stands for its members: no task is filed under it.
  if (groupKey === 'units') items = items.filter((u) => u.kind !== 'collective')
  return items.map((item) => ROWS[groupKey](item, q))
}

const plain = (text) => (text ? [{ text, hit: false }] : [])
const joined = (...pieces) => pieces.filter((p) => p.length).flatMap((p, i) => (i ? [{ text: ' · ', hit: false }, ...p] : p))

const ROWS = {
  buildings(b, q) {
    // Found by an alias (or the code): say which, since the name alone does not show it.
    const alias = contains(b.name, q) ? null : (b.aliases || []).find((a) => contains(a, q))
    const code = b.code === q.trim() ? highlightParts(b.code, q) : plain(b.code)
    return {
      id: `building-${b.code}`,
      title: highlightParts(b.name, q),
      note: joined(alias ? [{ text: '别名：', hit: false }, ...highlightParts(alias, q)] : [], plain(b.street_name), code),
      to: { name: 'building', params: { code: b.code } },
    }
  },
  enterprises(e, q) {
    const where = (e.current_buildings || []).map((b) => b.name).join('、')
    return {
      id: `enterprise-${e.credit_code}`,
      title: highlightParts(e.name, q),
      note: joined(looksLikeCode(codeKey(q)) ? prefixParts(e.credit_code, q) : plain(e.credit_code), plain(where)),
      to: { name: 'enterprise', params: { creditCode: e.credit_code } },
    }
  },
  tasks(t, q) {
    const due = t.due_date ? `完成时限 ${formatDate(t.due_date)}` : ''
    return {
      id: `task-${t.id}`,
      title: highlightParts(t.title, q),
      note: joined(plain(t.number), plain(t.lead_unit_name ? `牵头：${t.lead_unit_name}` : ''), plain(due)),
      to: { name: 'task', params: { id: String(t.id) } },
    }
  },
  units(u, q) {
    const byName = contains(u.name, q)
    const short = u.short_name && u.short_name !== u.name ? u.short_name : ''
    return {
      id: `unit-${u.code}`,
      title: highlightParts(u.name, q),
      note: joined(
        short ? [{ text: '简称：', hit: false }, ...highlightParts(short, q)] : [],
        plain(UNIT_KINDS[u.kind] || ''),
        // Neither the name nor the short name holds the query: it matched an alias the list does not return.
        !byName && !contains(short, q) && u.code !== q.trim() ? plain('按别名找到') : [],
        plain('查看该单位的任务'),
      ),
      to: { name: 'tasks', query: { unit: u.code } },
    }
  },
}

/**
 * The rows a result panel offers, in order, as the arrow keys walk them: each group's
 * results, then its 查看全部 row when the service holds more than it showed (and the group
 * has a list page). `groups`: [{key, rows, more}] of the groups that answered.
 */
export function flatten(groups) {
  const out = []
  for (const g of groups) {
    for (const row of g.rows || []) out.push({ ...row, group: g.key })
    if (g.more) out.push(g.more)
  }
  return out
}

/** The 查看全部 row of a group, or null when everything is shown or there is no list page. */
export function moreRow(group, { shown, total, capped }, q) {
  if (!group.all || !(capped || total > shown)) return null
  const count = capped ? `${total} 条以上` : `${total} 条`
  return {
    id: `${group.key}-all`,
    group: group.key,
    more: true,
    title: [{ text: `查看全部${group.label}结果（${count}）`, hit: false }],
    note: [],
    to: group.all(q),
  }
}

/**
 * The option the arrow keys lead to: `delta` +1 (down) / -1 (up), wrapping at both ends;
 * from nothing (-1) down goes to the first and up to the last. -1 when there is nothing.
 */
export function moveActive(index, count, delta) {
  if (count <= 0) return -1
  if (index < 0 || index >= count) return delta > 0 ? 0 : count - 1
  return (((index + delta) % count) + count) % count
}

/**
 * Whether a key press anywhere on the page means "go to the search box": `/` or Ctrl+K
 * (⌘K on a Mac), unless the user is typing in another field or working in a dialog.
 */
export function isSearchShortcut(event) {
  if (event.defaultPrevented || event.isComposing || event.altKey) return false
  const slash = event.key === '/' && !event.ctrlKey && !event.metaKey
  const ctrlK = (event.key === 'k' || event.key === 'K') && (event.ctrlKey || event.metaKey) && !event.shiftKey
  if (!slash && !ctrlK) return false
  const target = event.target
  if (typeof target?.closest === 'function' && target.closest('[aria-modal="true"]')) return false
  return !isEditable(target)
}

function isEditable(el) {
  if (!el || typeof el.closest !== 'function') return false
  if (el.isContentEditable) return true
  const tag = el.tagName
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true
  if (tag === 'INPUT') {
    const type = (el.getAttribute('type') || 'text').toLowerCase()
    return !['button', 'checkbox', 'radio', 'submit', 'reset', 'range', 'color', 'file', 'image'].includes(type)
  }
  return false
}

/** The sentence for nothing found. */
export function emptyText(q) {
  return `未找到与“${q}”相关的结果`
}
