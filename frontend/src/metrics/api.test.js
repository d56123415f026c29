import { afterEach, describe, expect, it, vi } from 'vitest'
import { fakeFetch, jsonResponse } from '../../tests/helpers.js'
import { resetSession } from '../api/http.js'
import { getBuildingRanking, getDashboard, getKpis, listUnregistered } from './api.js'

afterEach(() => resetSession())

function stub() {
  const fetch = fakeFetch({
    'GET /api/metrics/dashboard': () => jsonResponse(200, {}),
    'GET /api/metrics/kpis': () => jsonResponse(200, {}),
    'GET /api/metrics/rankings/buildings': () => jsonResponse(200, { items: [] }),
    'GET /api/metrics/unregistered-taxpayers': () => jsonResponse(200, { items: [] }),
  })
  vi.stubGlobal('fetch', fetch)
  return fetch
}
const query = (call) => Object.fromEntries(new URL(call.url, 'http://x').searchParams)

describe('metrics api', () => {
  it('asks the dashboard for a period, or lets the service choose', async () => {
    const fetch = stub()
    await getDashboard('2025-Q2')
    await getDashboard(undefined)
    expect(query(fetch.calls[0])).toEqual({ period: '2025-Q2' })
    expect(query(fetch.calls[1])).toEqual({})
  })
  it('filters the ranking by street, theme or zone', async () => {
    const fetch = stub()
    await getBuildingRanking({ period: '2025', theme: 'finance', sort: 'tax_total', limit: 200 })
    await getBuildingRanking({ street: '420106001' })
    expect(query(fetch.calls[0])).toEqual({ period: '2025', theme: 'finance', sort: 'tax_total', limit: '200' })
    expect(query(fetch.calls[1])).toEqual({ street: '420106001' })
  })
  it('asks the KPIs by level and code, and pages 在税不在册', async () => {
    const fetch = stub()
    await getKpis({ level: 'theme', code: 'finance', period: '2025-YTD' })
    await listUnregistered({ year: 2025 })
    expect(query(fetch.calls[0])).toEqual({ level: 'theme', code: 'finance', period: '2025-YTD' })
    expect(query(fetch.calls[1])).toEqual({ year: '2025', page: '1', page_size: '50' })
  })
})
