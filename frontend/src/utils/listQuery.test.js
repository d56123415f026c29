import { describe, expect, it } from 'vitest'
import { BUILDING_LIST } from '../buildings/listQuery.js'
import { ENTERPRISE_LIST } from '../enterprises/listQuery.js'
import { AVAILABLE_LIST } from '../spaces/listQuery.js'
import { countActive, readListState, sortParam, tableSort, toApiQuery, toRouteQuery, withFilters } from './listQuery.js'

describe('building list state ↔ address bar ↔ API', () => {
  it('reads the address bar with defaults and types', () => {
    const state = readListState(BUILDING_LIST, { q: '中交', area_min: '10000', page: '3', sort: '-gfa', junk: 'x' })
    expect(state).toEqual({
      q: '中交',
      street: '',
      stage: '',
      theme: '',
      zone: '',
      chief: '',
      area_min: 10000,
      area_max: null,
      sort: '-gfa',
      page: 3,
      page_size: 20,
    })
  })

  it('ignores values that do not parse', () => {
    const state = readListState(BUILDING_LIST, { area_min: 'abc', page: '-2', page_size: 'x' })
    expect(state.area_min).toBeNull()
    expect(state.page).toBe(1)
    expect(state.page_size).toBe(20)
  })

  it('maps the filters to the API query: every set filter, trimmed, and the page', () => {
    const state = readListState(BUILDING_LIST, {})
    const next = withFilters({ ...state, page: 4 }, { q: '  阿里 ', street: '420106001', area_max: 50000, stage: 'operating' })
    expect(next.page).toBe(1)
    expect(toApiQuery(BUILDING_LIST, next)).toEqual({
      q: '阿里',
      street: '420106001',
      stage: 'operating',
      area_max: 50000,
      page: 1,
      page_size: 20,
    })
  })

  it('keeps defaults and blanks out of the address bar', () => {
    const state = { ...readListState(BUILDING_LIST, {}), theme: 'finance', area_min: 0, page: 1 }
    expect(toRouteQuery(BUILDING_LIST, state)).toEqual({ theme: 'finance', area_min: '0' })
  })

  it('round-trips through the address bar', () => {
    const state = { ...readListState(BUILDING_LIST, {}), q: '保利', zone: '华中金融城', area_min: 20000, page: 2 }
    expect(readListState(BUILDING_LIST, toRouteQuery(BUILDING_LIST, state))).toEqual(state)
  })

  it('counts the filters set besides the search box', () => {
    const state = { ...readListState(BUILDING_LIST, {}), q: 'x', street: '420106001', area_min: 0 }
    expect(countActive(state, ['street', 'stage', 'area_min'])).toBe(2)
  })
})

describe('sorting', () => {
  it('maps el-table sort events to the API sort and back', () => {
    expect(sortParam('gfa', 'descending')).toBe('-gfa')
    expect(sortParam('name', 'ascending')).toBe('name')
    expect(sortParam('name', null)).toBe('')
    expect(tableSort('-gfa')).toEqual({ prop: 'gfa', order: 'descending' })
    expect(tableSort('code')).toEqual({ prop: 'code', order: 'ascending' })
    expect(tableSort('')).toEqual({})
  })
})

describe('enterprise and available-space filters', () => {
  it('keeps the yes/no flags as tri-state text', () => {
    const state = readListState(ENTERPRISE_LIST, { registered: 'true', taxed: 'false', above_scale: 'maybe' })
    expect([state.registered, state.taxed, state.above_scale]).toEqual(['true', 'false', ''])
    expect(toApiQuery(ENTERPRISE_LIST, state)).toEqual({ registered: 'true', taxed: 'false', page: 1, page_size: 20 })
  })

  it('passes the availability date through', () => {
    const state = readListState(AVAILABLE_LIST, { available_before: '2025-06-30', area_min: '200' })
    expect(toApiQuery(AVAILABLE_LIST, state)).toEqual({
      available_before: '2025-06-30',
      area_min: 200,
      page: 1,
      page_size: 20,
    })
  })
})
