import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createMemoryHistory } from 'vue-router'
import { emptyResponse, fakeFetch, jsonResponse, meBody, tokenBody } from '../../tests/helpers.js'
import { MSG_SESSION_ENDED, get, resetSession } from '../api/http.js'
import { createAppRouter } from '../router/index.js'
import { connectSession } from './setup.js'
import { REFRESH_MARGIN_MS, useAuthStore } from './store.js'
import { loadTokens } from './tokens.js'

let router

function freshStore() {
  setActivePinia(createPinia())
  const auth = useAuthStore()
  router = createAppRouter(createMemoryHistory())
  connectSession(auth, router)
  return auth
}

beforeEach(() => {
  window.sessionStorage.clear()
  resetSession()
})
afterEach(() => resetSession())

const invalid = () => jsonResponse(401, { error: 'InvalidCredentials', detail: '用户名或密码错误', request_id: 'r' })

describe('sign in', () => {
  it('stores the tokens in sessionStorage and loads the user', async () => {
    const fetch = fakeFetch({
      'POST /api/auth/token': () => jsonResponse(200, tokenBody(1)),
      'GET /api/auth/me': (call) => (call.headers.Authorization === 'Bearer access-1' ? jsonResponse(200, meBody()) : invalid()),
    })
    vi.stubGlobal('fetch', fetch)
    const auth = freshStore()

    await auth.signIn({ username: 'zhangsan', password: 'Secret-123' })

    expect(auth.isAuthenticated).toBe(true)
    expect(auth.displayName).toBe('张三')
    expect(auth.roleText).toBe('区商务局')
    const stored = loadTokens()
    expect(stored.accessToken).toBe('access-1')
    expect(stored.refreshToken).toBe('refresh-1')
    expect(stored.expiresAt).toBeGreaterThan(Date.now() + 800_000)
    const body = new URLSearchParams(fetch.calls[0].body)
    expect(body.get('grant_type')).toBe('password')
    expect(body.get('username')).toBe('zhangsan')
    // a new store (page reload) picks the session up from sessionStorage
    setActivePinia(createPinia())
    expect(useAuthStore().refreshToken).toBe('refresh-1')
  })

  it('throws the server detail and stores nothing on wrong credentials', async () => {
    vi.stubGlobal('fetch', fakeFetch({ 'POST /api/auth/token': invalid }))
    const auth = freshStore()

    await expect(auth.signIn({ username: 'x', password: 'y' })).rejects.toMatchObject({
      status: 401,
      detail: '用户名或密码错误',
    })
    expect(auth.isAuthenticated).toBe(false)
    expect(loadTokens()).toBeNull()
  })
})

describe('sign out', () => {
  it('revokes the session on the server and clears everything', async () => {
    const fetch = fakeFetch({
      'POST /api/auth/token': () => jsonResponse(200, tokenBody(1)),
      'GET /api/auth/me': () => jsonResponse(200, meBody()),
      'POST /api/auth/logout': () => emptyResponse(204),
    })
    vi.stubGlobal('fetch', fetch)
    const auth = freshStore()
    await auth.signIn({ username: 'zhangsan', password: 'Secret-123' })

    await auth.signOut()

    const logout = fetch.calls.find((c) => c.path === '/api/auth/logout')
    expect(logout.headers.Authorization).toBe('Bearer access-1')
    expect(auth.isAuthenticated).toBe(false)
    expect(auth.user).toBeNull()
    expect(auth.accessToken).toBeNull()
    expect(loadTokens()).toBeNull()
  })

  it('clears locally even when the server cannot be reached', async () => {
    const fetch = fakeFetch({
      'POST /api/auth/token': () => jsonResponse(200, tokenBody(1)),
      'GET /api/auth/me': () => jsonResponse(200, meBody()),
    })
    vi.stubGlobal('fetch', fetch)
    const auth = freshStore()
    await auth.signIn({ username: 'zhangsan', password: 'Secret-123' })
    fetch.mockImplementation(async () => {
      throw new TypeError('Failed to fetch')
    })

    await auth.signOut()

    expect(auth.isAuthenticated).toBe(false)
    expect(loadTokens()).toBeNull()
  })
})

describe('refresh', () => {
  it('rotates the refresh token and retries the failed call', async () => {
    let current = 1
    const fetch = fakeFetch({
      'POST /api/auth/token': () => jsonResponse(200, tokenBody(1)),
      'GET /api/auth/me': () => jsonResponse(200, meBody()),
      'POST /api/auth/refresh': (call) => {
        const sent = new URLSearchParams(call.body).get('refresh_token')
        if (sent !== `refresh-${current}`) return jsonResponse(401, { error: 'SessionEnded', detail: '会话已结束', request_id: 'r' })
        current++
        return jsonResponse(200, tokenBody(current))
      },
      'GET /api/data': (call) =>
        call.headers.Authorization === `Bearer access-${current}` && current > 1
          ? jsonResponse(200, { ok: true })
          : jsonResponse(401, { error: 'TokenExpired', detail: '登录已过期', request_id: 'r' }),
    })
    vi.stubGlobal('fetch', fetch)
    const auth = freshStore()
    await auth.signIn({ username: 'zhangsan', password: 'Secret-123' })

    expect(await get('/api/data')).toEqual({ ok: true })
    expect(auth.refreshToken).toBe('refresh-2')
    expect(loadTokens().refreshToken).toBe('refresh-2')
  })

  it('ends the session and goes to the sign-in page when the refresh is refused', async () => {
    const fetch = fakeFetch({
      'POST /api/auth/token': () => jsonResponse(200, tokenBody(1)),
      'GET /api/auth/me': () => jsonResponse(200, meBody()),
      'POST /api/auth/refresh': () => jsonResponse(401, { error: 'SessionEnded', detail: '会话已结束', request_id: 'r' }),
      'GET /api/data': () => jsonResponse(401, { error: 'TokenExpired', detail: '登录已过期', request_id: 'r' }),
    })
    vi.stubGlobal('fetch', fetch)
    const auth = freshStore()
    await auth.signIn({ username: 'zhangsan', password: 'Secret-123' })
    await router.push('/buildings?street=420106001')

    await expect(get('/api/data')).rejects.toMatchObject({ status: 401 })
    await vi.waitFor(() => expect(router.currentRoute.value.name).toBe('login'))

    expect(auth.isAuthenticated).toBe(false)
    expect(loadTokens()).toBeNull()
    expect(auth.notice).toBe(MSG_SESSION_ENDED)
    expect(router.currentRoute.value.query.redirect).toBe('/buildings?street=420106001')
  })

  it('refreshes ahead of expiry only if the user was active since the last token', async () => {
    const fetch = fakeFetch({
      'POST /api/auth/refresh': () => jsonResponse(200, tokenBody(2)),
    })
    vi.stubGlobal('fetch', fetch)
    const auth = freshStore()
    const t0 = Date.now() + 1_000
    auth.setTokens(tokenBody(1), t0) // expires at t0 + 900 s
    const nearExpiry = t0 + 900_000 - REFRESH_MARGIN_MS + 1

    expect(await auth.maybeRefresh(t0 + 60_000)).toBe(false) // far from expiry
    expect(await auth.maybeRefresh(nearExpiry)).toBe(false) // idle since sign-in
    expect(fetch).not.toHaveBeenCalled()

    expect(await auth.noteActivity(nearExpiry)).toBe(true)
    expect(fetch).toHaveBeenCalledTimes(1)
    expect(auth.accessToken).toBe('access-2')
  })
})

describe('password change', () => {
  it('lifts must_change_password after a successful change', async () => {
    const fetch = fakeFetch({
      'POST /api/auth/token': () => jsonResponse(200, tokenBody(1)),
      'GET /api/auth/me': () => jsonResponse(200, meBody({ must_change_password: !fetch.changed })),
      'POST /api/auth/password': (call) => {
        fetch.changed = true
        expect(JSON.parse(call.body)).toEqual({ current_password: 'Init-1234', new_password: 'Better-Pass-9' })
        return emptyResponse(204)
      },
    })
    vi.stubGlobal('fetch', fetch)
    const auth = freshStore()
    await auth.signIn({ username: 'zhangsan', password: 'Init-1234' })
    expect(auth.mustChangePassword).toBe(true)

    await auth.changePassword({ currentPassword: 'Init-1234', newPassword: 'Better-Pass-9' })

    expect(auth.mustChangePassword).toBe(false)
  })
})
