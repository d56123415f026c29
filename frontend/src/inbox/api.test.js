import { afterEach, describe, expect, it, vi } from 'vitest'
import { fakeFetch, jsonResponse } from '../../tests/helpers.js'
import { resetSession } from '../api/http.js'
import { loadCount, loadInbox, sortItems } from './api.js'

afterEach(() => {
  vi.unstubAllGlobals()
  resetSession()
})

const item = (kind, id, due, overdue = false) => ({
  kind,
  title: `${kind} ${id}`,
  due_date: due,
  overdue,
  link: '/supervision',
  source_id: String(id),
})

describe('sortItems', () => {
  it('puts overdue items first, then by due date, undated last', () => {
    const sorted = sortItems([
      item('demand', 1, null),
      item('demand', 2, '2026-12-20'),
      item('visit', 3, '2026-12-01', true),
      item('supervision', 4, '2026-12-10'),
    ])
    expect(sorted.map((i) => i.source_id)).toEqual(['3', '4', '2', '1'])
  })
})

describe('loadInbox', () => {
  it('merges the services a role has items in and counts per kind', async () => {
    const fetch = fakeFetch({
      'GET /api/tasks/inbox': () => jsonResponse(200, { items: [item('supervision', 1, '2026-12-01', true)], total: 1 }),
      'GET /api/registry/inbox': () => jsonResponse(200, { items: [item('import', 7, null)], total: 1 }),
      'GET /api/metrics/inbox': () => jsonResponse(200, { items: [item('batch', 9, null)], total: 1 }),
    })
    vi.stubGlobal('fetch', fetch)
    const chief = await loadInbox(['chief'])
    expect(chief.items.map((i) => i.kind)).toEqual(['supervision', 'import']) // a 楼长 uploads no tax figures
    expect(fetch.calls.map((c) => c.path)).not.toContain('/api/metrics/inbox')
    const bureau = await loadInbox(['bureau'])
    expect(bureau.total).toBe(3)
    expect(bureau.overdue).toBe(1)
    expect(bureau.counts).toEqual([
      { kind: 'supervision', label: '督办', count: 1, overdue: 1 },
      { kind: 'import', label: '数据导入', count: 1, overdue: 0 },
      { kind: 'batch', label: '数据报送', count: 1, overdue: 0 },
    ])
  })

  it('keeps the items of the services that answer when one is down, and names it', async () => {
    vi.stubGlobal(
      'fetch',
      fakeFetch({
        'GET /api/tasks/inbox': () => jsonResponse(200, { items: [item('demand', 2, '2026-12-09')], total: 1 }),
        'GET /api/registry/inbox': () => jsonResponse(503, { error: 'Unavailable', detail: '楼宇登记服务暂时不可用', request_id: 'r' }),
      }),
    )
    const inbox = await loadInbox(['street'])
    expect(inbox.total).toBe(1)
    expect(inbox.failed).toEqual(['楼宇数据导入'])
  })

  it('fails when every service fails', async () => {
    vi.stubGlobal('fetch', fakeFetch({}))
    await expect(loadInbox(['department'])).rejects.toBeTruthy()
  })
})

describe('loadCount', () => {
  it('adds the counts of every service the role has items in', async () => {
    vi.stubGlobal(
      'fetch',
      fakeFetch({
        'GET /api/tasks/inbox/count': () => jsonResponse(200, { total: 3, overdue: 1 }),
        'GET /api/registry/inbox': () => jsonResponse(200, { items: [item('import', 7, null)], total: 1 }),
        'GET /api/metrics/inbox': () => jsonResponse(500, { error: 'Internal', detail: 'x', request_id: 'r' }),
      }),
    )
    expect(await loadCount(['bureau'])).toEqual({ total: 4, overdue: 1 })
  })
})
