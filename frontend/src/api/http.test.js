import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { emptyResponse, fakeFetch, jsonResponse } from '../../tests/helpers.js'
import {
  ApiError,
  MSG_NETWORK,
  MSG_SESSION_ENDED,
  MSG_UNAVAILABLE,
  configureSession,
  download,
  filenameFrom,
  get,
  ifMatch,
  post,
  request,
  resetSession,
} from './http.js'

beforeEach(() => resetSession())
afterEach(() => resetSession())

async function caught(promise) {
  try {
    await promise
  } catch (error) {
    return error
  }
  throw new Error('expected the call to fail')
}

describe('requests', () => {
  it('sends JSON with the bearer token and parses the JSON answer', async () => {
    const fetch = fakeFetch({ 'POST /api/things': () => jsonResponse(201, { id: 7 }) })
    vi.stubGlobal('fetch', fetch)
    configureSession({ getAccessToken: () => 'tok' })

    const result = await post('/api/things', { name: '阿里中心' })

    expect(result).toEqual({ id: 7 })
    const [call] = fetch.calls
    expect(call.headers.Authorization).toBe('Bearer tok')
    expect(call.headers['Content-Type']).toBe('application/json')
    expect(JSON.parse(call.body)).toEqual({ name: '阿里中心' })
  })

  it('encodes form bodies and leaves the token off when auth is false', async () => {
    const fetch = fakeFetch({ 'POST /api/auth/token': () => jsonResponse(200, { ok: true }) })
    vi.stubGlobal('fetch', fetch)
    configureSession({ getAccessToken: () => 'tok' })

    await request('POST', '/api/auth/token', { auth: false, form: { username: '张 三', password: 'a&b' } })

    const [call] = fetch.calls
    expect(call.headers.Authorization).toBeUndefined()
    expect(call.headers['Content-Type']).toBe('application/x-www-form-urlencoded')
    expect(new URLSearchParams(call.body).get('password')).toBe('a&b')
    expect(new URLSearchParams(call.body).get('username')).toBe('张 三')
  })

  it('builds the query string, skipping empty values', async () => {
    const fetch = fakeFetch({ 'GET /api/buildings': () => jsonResponse(200, { items: [], total: 0 }) })
    vi.stubGlobal('fetch', fetch)
    await get('/api/buildings', { query: { street: '420106001', q: '', page: 2, tag: ['金融', '总部'], x: null } })
    expect(fetch.calls[0].url).toBe('/api/buildings?street=420106001&page=2&tag=%E9%87%91%E8%9E%8D&tag=%E6%80%BB%E9%83%A8')
  })

  it('returns null for 204', async () => {
    vi.stubGlobal('fetch', fakeFetch({ 'POST /api/auth/logout': () => emptyResponse(204) }))
    expect(await post('/api/auth/logout')).toBeNull()
  })
})

describe('errors', () => {
  it('turns the error body into an ApiError carrying the Chinese detail', async () => {
    vi.stubGlobal(
      'fetch',
      fakeFetch({
        'GET /api/buildings/42': () => jsonResponse(404, { error: 'BuildingNotFound', detail: '楼宇 42 不存在', request_id: 'req-1' }),
      }),
    )
    const error = await caught(get('/api/buildings/42'))
    expect(error).toBeInstanceOf(ApiError)
    expect(error.status).toBe(404)
    expect(error.type).toBe('BuildingNotFound')
    expect(error.detail).toBe('楼宇 42 不存在')
    expect(error.message).toBe('楼宇 42 不存在')
    expect(error.requestId).toBe('req-1')
  })

  it('keeps the field messages of a 422', async () => {
    vi.stubGlobal(
      'fetch',
      fakeFetch({
        'POST /api/auth/password': () =>
          jsonResponse(422, {
            error: 'PasswordPolicy',
            detail: '新密码不符合密码策略',
            request_id: 'req-2',
            fields: [{ field: 'new_password', message: '至少包含三类字符' }],
          }),
      }),
    )
    const error = await caught(post('/api/auth/password', {}))
    expect(error.status).toBe(422)
    expect(error.fields).toEqual([{ field: 'new_password', message: '至少包含三类字符' }])
    expect(error.fieldMessage('new_password')).toBe('至少包含三类字符')
  })

  it('says the server cannot be reached when the network fails', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => {
        throw new TypeError('Failed to fetch')
      }),
    )
    const error = await caught(get('/api/anything'))
    expect(error).toBeInstanceOf(ApiError)
    expect(error.status).toBe(0)
    expect(error.type).toBe('NetworkError')
    expect(error.detail).toBe(MSG_NETWORK)
  })

  it('says the service is unavailable for a 5xx that is not JSON', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => new Response('<html>502 Bad Gateway</html>', { status: 502, headers: { 'Content-Type': 'text/html' } })),
    )
    const error = await caught(get('/api/anything'))
    expect(error.status).toBe(502)
    expect(error.detail).toBe(MSG_UNAVAILABLE)
  })

  it('uses the JSON detail of a 503 from the gateway', async () => {
    vi.stubGlobal(
      'fetch',
      fakeFetch({
        'GET /api/tasks': () =>
          jsonResponse(503, { error: 'UpstreamUnavailable', detail: '任务服务暂时不可用，请稍后重试', request_id: 'r' }),
      }),
    )
    const error = await caught(get('/api/tasks'))
    expect(error.detail).toBe('任务服务暂时不可用，请稍后重试')
  })
})

describe('401: refresh once, then retry', () => {
  function session(initial = 'old') {
    const state = { token: initial, refreshes: 0, expired: 0 }
    configureSession({
      getAccessToken: () => state.token,
      refresh: async () => {
        state.refreshes++
        await new Promise((r) => setTimeout(r, 5))
        state.token = 'new'
        return true
      },
      onSessionExpired: () => {
        state.expired++
      },
    })
    return state
  }
  const needsNew = (call) =>
    call.headers.Authorization === 'Bearer new'
      ? jsonResponse(200, { ok: call.path })
      : jsonResponse(401, { error: 'TokenExpired', detail: '登录已过期', request_id: 'r' })

  it('refreshes and retries the call with the new token', async () => {
    const fetch = fakeFetch({ 'GET /api/buildings': needsNew })
    vi.stubGlobal('fetch', fetch)
    const state = session()

    expect(await get('/api/buildings')).toEqual({ ok: '/api/buildings' })
    expect(state.refreshes).toBe(1)
    expect(fetch.calls.map((c) => c.headers.Authorization)).toEqual(['Bearer old', 'Bearer new'])
  })

  it('shares one refresh between concurrent 401s', async () => {
    const fetch = fakeFetch({ 'GET /api/a': needsNew, 'GET /api/b': needsNew, 'GET /api/c': needsNew })
    vi.stubGlobal('fetch', fetch)
    const state = session()

    const results = await Promise.all([get('/api/a'), get('/api/b'), get('/api/c')])

    expect(results).toEqual([{ ok: '/api/a' }, { ok: '/api/b' }, { ok: '/api/c' }])
    expect(state.refreshes).toBe(1)
    expect(fetch).toHaveBeenCalledTimes(6)
  })

  it('retries only once: a second 401 is returned to the caller', async () => {
    const fetch = fakeFetch({
      'GET /api/x': () => jsonResponse(401, { error: 'Unauthorized', detail: '无效的令牌', request_id: 'r' }),
    })
    vi.stubGlobal('fetch', fetch)
    const state = session()

    const error = await caught(get('/api/x'))
    expect(error.status).toBe(401)
    expect(state.refreshes).toBe(1)
    expect(fetch).toHaveBeenCalledTimes(2)
  })

  it('signs out when the refresh is refused', async () => {
    const fetch = fakeFetch({ 'GET /api/x': needsNew })
    vi.stubGlobal('fetch', fetch)
    const state = { expired: 0 }
    configureSession({
      getAccessToken: () => 'old',
      refresh: async () => false,
      onSessionExpired: () => state.expired++,
    })

    const error = await caught(get('/api/x'))
    expect(error.status).toBe(401)
    expect(error.detail).toBe(MSG_SESSION_ENDED)
    expect(state.expired).toBe(1)
    expect(fetch).toHaveBeenCalledTimes(1)
  })

  it('keeps the session when the refresh could not reach the server', async () => {
    vi.stubGlobal('fetch', fakeFetch({ 'GET /api/x': needsNew }))
    const state = { expired: 0 }
    configureSession({
      getAccessToken: () => 'old',
      refresh: async () => {
        throw new ApiError({ status: 0, type: 'NetworkError', detail: MSG_NETWORK })
      },
      onSessionExpired: () => state.expired++,
    })

    const error = await caught(get('/api/x'))
    expect(error.detail).toBe(MSG_NETWORK)
    expect(state.expired).toBe(0)
  })

  it('does not refresh for calls made without a token (sign-in)', async () => {
    const fetch = fakeFetch({
      'POST /api/auth/token': () => jsonResponse(401, { error: 'InvalidCredentials', detail: '用户名或密码错误', request_id: 'r' }),
    })
    vi.stubGlobal('fetch', fetch)
    const state = session()

    const error = await caught(request('POST', '/api/auth/token', { auth: false, form: {} }))
    expect(error.detail).toBe('用户名或密码错误')
    expect(state.refreshes).toBe(0)
    expect(state.expired).toBe(0)
  })
})

describe('files and versions', () => {
  it('reads the file name of a download, Chinese names included', () => {
    expect(filenameFrom("attachment; filename*=UTF-8''%E6%A5%BC%E5%AE%87.xlsx")).toBe('楼宇.xlsx')
    expect(filenameFrom('attachment; filename="buildings.csv"')).toBe('buildings.csv')
    expect(filenameFrom('attachment; filename=plain.csv')).toBe('plain.csv')
    expect(filenameFrom(null)).toBeNull()
  })

  it('turns a refused download into an ApiError like any call', async () => {
    vi.stubGlobal(
      'fetch',
      fakeFetch({
        'GET /api/file': () => jsonResponse(403, { error: 'Forbidden', detail: '您的账号没有权限执行此操作', request_id: 'r' }),
      }),
    )
    const error = await caught(download('/api/file'))
    expect(error).toBeInstanceOf(ApiError)
    expect(error.detail).toBe('您的账号没有权限执行此操作')
  })

  it('quotes the version for If-Match, as the server writes its ETag', () => {
    expect(ifMatch(3)).toEqual({ 'If-Match': '"3"' })
  })
})
