import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { fakeFetch, jsonResponse } from '../../tests/helpers.js'
import { ApiError, resetSession } from '../api/http.js'
import { createEnterprise, listEnterprises, updateEnterprise } from './api.js'

beforeEach(() => resetSession())
afterEach(() => resetSession())

describe('enterprises api', () => {
  it('searches by name or code with the flag filters', async () => {
    const fetch = fakeFetch({ 'GET /api/registry/enterprises': () => jsonResponse(200, { items: [], total: 0 }) })
    vi.stubGlobal('fetch', fetch)
    await listEnterprises({ q: '91420106', registered: 'true', taxed: 'false', page: 1, page_size: 20 })
    expect(fetch.calls[0].url).toBe('/api/registry/enterprises?q=91420106&registered=true&taxed=false&page=1&page_size=20')
  })

  it('keeps the server reason for a refused credit code on the field', async () => {
    const fetch = fakeFetch({
      'POST /api/registry/enterprises': () =>
        jsonResponse(422, {
          error: 'ValidationError',
          detail: '统一社会信用代码 91420106MA4K00014X：校验位不正确',
          request_id: 'r1',
          fields: [{ field: 'credit_code', message: '校验位不正确：按 GB 32100 第18位应为“W”，实际为“X”' }],
        }),
    })
    vi.stubGlobal('fetch', fetch)
    const error = await createEnterprise({ credit_code: '91420106MA4K00014X', name: '某公司' }).catch((e) => e)
    expect(error).toBeInstanceOf(ApiError)
    expect(error.fieldMessage('credit_code')).toContain('应为“W”')
  })

  it('patches with If-Match', async () => {
    const fetch = fakeFetch({ 'PATCH /api/registry/enterprises/91420106MA4K00014W': () => jsonResponse(200, {}) })
    vi.stubGlobal('fetch', fetch)
    await updateEnterprise('91420106MA4K00014W', { employees: 120 }, 7)
    expect(fetch.calls[0].headers['If-Match']).toBe('"7"')
  })
})
