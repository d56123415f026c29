import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { fakeFetch, jsonResponse } from '../../tests/helpers.js'
import { configureSession, resetSession } from '../api/http.js'
import { downloadTemplate, listImports, runImport } from './api.js'

beforeEach(() => resetSession())
afterEach(() => resetSession())

describe('imports api', () => {
  it('uploads the file as multipart, dry run first, with the token and no JSON content type', async () => {
    const report = { id: 1, dry_run: true, applied: false, rejected: [], rows_total: 2 }
    const fetch = fakeFetch({ 'POST /api/registry/imports/enterprises': () => jsonResponse(200, report) })
    vi.stubGlobal('fetch', fetch)
    configureSession({ getAccessToken: () => 'tok' })
    const file = new File(['统一社会信用代码,企业名称\n'], '企业.csv', { type: 'text/csv' })

    expect(await runImport('enterprises', file, { dryRun: true })).toEqual(report)
    await runImport('enterprises', file, { dryRun: false })

    const [dry, real] = fetch.calls
    expect(dry.url).toBe('/api/registry/imports/enterprises?dry_run=true')
    expect(real.url).toBe('/api/registry/imports/enterprises?dry_run=false')
    expect(dry.body).toBeInstanceOf(FormData)
    expect(dry.body.get('file').name).toBe('企业.csv')
    expect(dry.headers['Content-Type']).toBeUndefined()
    expect(dry.headers.Authorization).toBe('Bearer tok')
  })

  it('gets templates and the history by kind', async () => {
    const fetch = fakeFetch({
      'GET /api/registry/imports/spaces/template': () => new Response('x', { status: 200 }),
      'GET /api/registry/imports': () => jsonResponse(200, []),
    })
    vi.stubGlobal('fetch', fetch)
    await downloadTemplate('spaces', 'xlsx')
    await listImports('spaces')
    expect(fetch.calls.map((c) => c.url)).toEqual([
      '/api/registry/imports/spaces/template?format=xlsx',
      '/api/registry/imports?kind=spaces',
    ])
  })
})
