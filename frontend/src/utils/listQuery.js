/**
 * A list page's state (filters, sort, page) lives in the address bar, so that the back
 * button, a reload and a shared link all show the same list. A `spec` names each key and
 * its type: 'string', 'number' (may be empty), 'int' (with a default), 'bool' (tri-state:
 * '' = either, 'true', 'false').
 *
 *   const SPEC = { q: 'string', area_min: 'number', page: ['int', 1], page_size: ['int', 20] }
 */

function typeOf(rule) {
  return Array.isArray(rule) ? rule[0] : rule
}
function defaultOf(rule) {
  if (Array.isArray(rule)) return rule[1]
  return typeOf(rule) === 'number' ? null : ''
}

function first(value) {
  return Array.isArray(value) ? value[0] : value
}

function parse(rule, raw) {
  const value = first(raw)
  const type = typeOf(rule)
  if (value === undefined || value === null || value === '') return defaultOf(rule)
  if (type === 'number') {
    const n = Number(value)
    return Number.isFinite(n) ? n : defaultOf(rule)
  }
  if (type === 'int') {
    const n = Number.parseInt(value, 10)
    return Number.isInteger(n) && n > 0 ? n : defaultOf(rule)
  }
  if (type === 'bool') return value === 'true' || value === 'false' ? value : ''
  return String(value)
}

function isEmpty(value) {
  return value === undefined || value === null || (typeof value === 'string' && value.trim() === '')
}

/** Route query → list state (every key present, defaults filled in). */
export function readListState(spec, query = {}) {
  const state = {}
  for (const [key, rule] of Object.entries(spec)) state[key] = parse(rule, query[key])
  return state
}

/** List state → route query: empty values and defaults left out, numbers as text. */
export function toRouteQuery(spec, state) {
  const query = {}
  for (const [key, rule] of Object.entries(spec)) {
    const value = state[key]
    if (isEmpty(value) || value === defaultOf(rule)) continue
    query[key] = typeof value === 'string' ? value.trim() : String(value)
  }
  return query
}

/** List state → API query: every non-empty key (page and page_size always). */
export function toApiQuery(spec, state) {
  const query = {}
  for (const key of Object.keys(spec)) {
    const value = state[key]
    if (isEmpty(value)) continue
    query[key] = typeof value === 'string' ? value.trim() : value
  }
  return query
}

/** The same state with the filters changed: back to page 1. */
export function withFilters(state, changes) {
  return { ...state, ...changes, page: 1 }
}

/** el-table's sort-change ({prop, order}) → the API's sort parameter ("gfa", "-gfa" or ''). */
export function sortParam(prop, order) {
  if (!prop || !order) return ''
  return order === 'descending' ? `-${prop}` : prop
}

/** The API's sort parameter → el-table's default-sort. */
export function tableSort(sort) {
  if (!sort) return {}
  return sort.startsWith('-') ? { prop: sort.slice(1), order: 'descending' } : { prop: sort, order: 'ascending' }
}

/** How many of `keys` are set in `state` (for the "筛选（n）" button). */
export function countActive(state, keys) {
  return keys.filter((k) => !isEmpty(state[k])).length
}
