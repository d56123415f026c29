import { get } from '../api/http.js'
import { GROUP_LIMIT } from './search.js'

/**
 * The header search's questions, one per source: the list endpoints' own text filter, a
 * handful of rows at a time. Each takes the caller's AbortSignal (a newer query cancels
 * the older one) and a short timeout: a slow service must not hold the box.
 */
const TIMEOUT_MS = 10_000
const ask = (path, query, signal) => get(path, { query: { ...query, page_size: GROUP_LIMIT }, signal, timeout: TIMEOUT_MS })

export const SEARCH_SOURCES = Object.freeze({
  /** GET /api/registry/buildings?q: name or alias (contains), or the whole 楼宇编码. */
  buildings: (q, { signal } = {}) => ask('/api/registry/buildings', { q, sort: 'name' }, signal),
  /** GET /api/registry/enterprises?q: name (contains) or 统一社会信用代码 (prefix). */
  enterprises: (q, { signal } = {}) => ask('/api/registry/enterprises', { q }, signal),
  /** GET /api/tasks/tasks?q: title (contains). */
  tasks: (q, { signal } = {}) => ask('/api/tasks/tasks', { q }, signal),
  /** GET /api/tasks/units?q: name, short name, alias or code; units in use only. */
  units: (q, { signal } = {}) => ask('/api/tasks/units', { q, active: true }, signal),
})
