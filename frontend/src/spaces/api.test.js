import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { emptyResponse, fakeFetch, jsonResponse } from '../../tests/helpers.js'
import { resetSession } from '../api/http.js'
import { createSpace, deleteSpace, exportAvailableSpaces, listAvailableSpaces, listSpaces, updateSpace } from './api.js'
import { floorLabel, spacesByFloor } from './status.js'

beforeEach(() => resetSession())
afterEach(() => resetSession())

describe('spaces api', () => {
  it('uses the building and space URLs, with If-Match on writes to a space', async () => {
    const fetch = fakeFetch({
      'GET /api/registry/buildings/420106-0007/spaces': () => jsonResponse(200, []),
      'POST /api/registry/buildings/420106-0007/spaces': () => jsonResponse(201, { id: 9 }),
      'PATCH /api/registry/spaces/9': () => jsonResponse(200, { id: 9, version: 2 }),
      'DELETE /api/registry/spaces/9': () => emptyResponse(204),
    })
    vi.stubGlobal('fetch', fetch)
    await listSpaces('420106-0007')
    await createSpace('420106-0007', { floor: 12, unit: '1201', area: 850.5 })
    await updateSpace(9, { status: 'leased' }, 1)
    await deleteSpace(9, 2)
    expect(fetch.calls.map((c) => [c.method, c.path, c.headers['If-Match']])).toEqual([
      ['GET', '/api/registry/buildings/420106-0007/spaces', undefined],
      ['POST', '/api/registry/buildings/420106-0007/spaces', undefined],
      ['PATCH', '/api/registry/spaces/9', '"1"'],
      ['DELETE', '/api/registry/spaces/9', '"2"'],
    ])
  })

  it('lists and exports available space with the same filters', async () => {
    const fetch = fakeFetch({
      'GET /api/registry/spaces/available': () => jsonResponse(200, { items: [], total: 0 }),
      'GET /api/registry/spaces/available/export': () => new Response('x', { status: 200 }),
    })
    vi.stubGlobal('fetch', fetch)
    await listAvailableSpaces({ street: '420106001', available_before: '2025-06-30', page: 1, page_size: 20 })
    await exportAvailableSpaces('xlsx', { street: '420106001', available_before: '2025-06-30' })
    expect(fetch.calls[0].url).toBe('/api/registry/spaces/available?street=420106001&available_before=2025-06-30&page=1&page_size=20')
    expect(fetch.calls[1].url).toBe('/api/registry/spaces/available/export?street=420106001&available_before=2025-06-30&format=xlsx')
  })
})

describe('floors', () => {
  it('groups spaces by floor, top floor first, units in natural order', () => {
    const floors = spacesByFloor([
      { id: 1, floor: 2, unit: '210' },
      { id: 2, floor: -1, unit: 'B101' },
      { id: 3, floor: 12, unit: '1202' },
      { id: 4, floor: 2, unit: '209' },
      { id: 5, floor: 12, unit: '1201' },
    ])
    expect(floors.map((f) => f.label)).toEqual(['12层', '2层', '地下1层'])
    expect(floors[0].spaces.map((s) => s.unit)).toEqual(['1201', '1202'])
    expect(floors[1].spaces.map((s) => s.unit)).toEqual(['209', '210'])
    expect(floorLabel(null)).toBe('未注明楼层')
  })
})
