import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { emptyResponse, fakeFetch, jsonResponse } from '../../tests/helpers.js'
import { resetSession } from '../api/http.js'
import {
  buildingHistory,
  createBuilding,
  deleteBuilding,
  exportBuildings,
  getBuilding,
  listBuildings,
  revealContacts,
  updateBuilding,
} from './api.js'

beforeEach(() => resetSession())
afterEach(() => resetSession())

const ok =
  (body = {}) =>
  () =>
    jsonResponse(200, body)

describe('buildings api', () => {
  it('lists with the filters as query parameters, leaving empty ones out', async () => {
    const fetch = fakeFetch({ 'GET /api/registry/buildings': ok({ items: [], total: 0 }) })
    vi.stubGlobal('fetch', fetch)
    await listBuildings({ q: '中交', street: '420106001', stage: '', area_min: 10000, sort: '-gfa', page: 2, page_size: 20 })
    const url = new URL(fetch.calls[0].url, 'http://x')
    expect(Object.fromEntries(url.searchParams)).toEqual({
      q: '中交',
      street: '420106001',
      area_min: '10000',
      sort: '-gfa',
      page: '2',
      page_size: '20',
    })
  })

  it('reads, creates, and reveals at the contract URLs (codes escaped)', async () => {
    const fetch = fakeFetch({
      'GET /api/registry/buildings/420106-0007': ok({ code: '420106-0007' }),
      'POST /api/registry/buildings': () => jsonResponse(201, { code: '420106-0008' }),
      'POST /api/registry/buildings/420106-0007/contacts/reveal': ok({ chief_phone: '13812341234' }),
      'GET /api/registry/buildings/420106-0007/history': ok([]),
    })
    vi.stubGlobal('fetch', fetch)
    await getBuilding('420106-0007')
    expect(await createBuilding({ name: '新楼', street_code: '420106001' })).toEqual({ code: '420106-0008' })
    expect(JSON.parse(fetch.calls[1].body)).toEqual({ name: '新楼', street_code: '420106001' })
    expect((await revealContacts('420106-0007')).chief_phone).toBe('13812341234')
    await buildingHistory('420106-0007')
    expect(fetch.calls.map((c) => `${c.method} ${c.path}`)).toEqual([
      'GET /api/registry/buildings/420106-0007',
      'POST /api/registry/buildings',
      'POST /api/registry/buildings/420106-0007/contacts/reveal',
      'GET /api/registry/buildings/420106-0007/history',
    ])
  })

  it('sends If-Match with the version read on update and delete', async () => {
    const fetch = fakeFetch({
      'PATCH /api/registry/buildings/420106-0007': ok({ version: 4 }),
      'DELETE /api/registry/buildings/420106-0007': () => emptyResponse(204),
    })
    vi.stubGlobal('fetch', fetch)
    await updateBuilding('420106-0007', { name: '中交大厦（新）' }, 3)
    await deleteBuilding('420106-0007', 4)
    expect(fetch.calls[0].headers['If-Match']).toBe('"3"')
    expect(JSON.parse(fetch.calls[0].body)).toEqual({ name: '中交大厦（新）' })
    expect(fetch.calls[1].headers['If-Match']).toBe('"4"')
  })

  it('downloads the export as a file with the server-given name', async () => {
    const fetch = fakeFetch({
      'GET /api/registry/exports/buildings': () =>
        new Response('编码,名称\n', {
          status: 200,
          headers: {
            'Content-Type': 'text/csv; charset=utf-8',
            'Content-Disposition': 'attachment; filename="export.csv"; filename*=UTF-8\'\'%E6%A5%BC%E5%AE%87%E5%90%8D%E5%8D%95.csv',
          },
        }),
    })
    vi.stubGlobal('fetch', fetch)
    const file = await exportBuildings('csv')
    expect(fetch.calls[0].url).toBe('/api/registry/exports/buildings?format=csv')
    expect(file.filename).toBe('楼宇名单.csv')
    expect(await file.blob.text()).toBe('编码,名称\n')
  })
})
