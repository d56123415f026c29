import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { fakeFetch, jsonResponse } from '../../tests/helpers.js'
import { resetSession } from '../api/http.js'
import { listBuildingOccupancies, listEnterpriseOccupancies, listTenants, moveIn, moveOut, moveTo } from './api.js'

beforeEach(() => resetSession())
afterEach(() => resetSession())

describe('occupancy api', () => {
  it('asks for the tenants on a date (or today when none is given)', async () => {
    const fetch = fakeFetch({
      'GET /api/registry/buildings/420106-0007/tenants': () => jsonResponse(200, []),
      'GET /api/registry/buildings/420106-0007/occupancies': () => jsonResponse(200, []),
      'GET /api/registry/enterprises/91420106MA4K00014W/occupancies': () => jsonResponse(200, []),
    })
    vi.stubGlobal('fetch', fetch)
    await listTenants('420106-0007', '2024-12-31')
    await listTenants('420106-0007')
    await listBuildingOccupancies('420106-0007')
    await listEnterpriseOccupancies('91420106MA4K00014W')
    expect(fetch.calls.map((c) => c.url)).toEqual([
      '/api/registry/buildings/420106-0007/tenants?on=2024-12-31',
      '/api/registry/buildings/420106-0007/tenants',
      '/api/registry/buildings/420106-0007/occupancies',
      '/api/registry/enterprises/91420106MA4K00014W/occupancies',
    ])
  })

  it('moves in without If-Match (a new record), out and on with the occupancy version', async () => {
    const fetch = fakeFetch({
      'POST /api/registry/occupancies': () => jsonResponse(201, { id: 5 }),
      'POST /api/registry/occupancies/5/end': () => jsonResponse(200, { id: 5 }),
      'POST /api/registry/occupancies/5/move': () => jsonResponse(201, { id: 6 }),
    })
    vi.stubGlobal('fetch', fetch)
    const body = { credit_code: 'X', building_code: '420106-0007', spaces: [{ id: 9 }], start_date: '2025-03-05' }
    await moveIn(body)
    await moveOut(5, '2025-06-30', 1)
    await moveTo(5, { to_building_code: '420106-0008', spaces: [], area: 300, move_date: '2025-07-01' }, 2)
    const [a, b, c] = fetch.calls
    expect(a.headers['If-Match']).toBeUndefined()
    expect(JSON.parse(a.body)).toEqual(body)
    expect(b.headers['If-Match']).toBe('"1"')
    expect(JSON.parse(b.body)).toEqual({ end_date: '2025-06-30' })
    expect(c.headers['If-Match']).toBe('"2"')
    expect(JSON.parse(c.body).to_building_code).toBe('420106-0008')
  })
})
