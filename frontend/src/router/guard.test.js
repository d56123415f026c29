import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createMemoryHistory } from 'vue-router'
import { fakeFetch, jsonResponse, meBody, tokenBody } from '../../tests/helpers.js'
import { resetSession } from '../api/http.js'
import { setupAuth } from '../auth/setup.js'
import { createAppRouter } from './index.js'
import { safeRedirect } from './guard.js'

beforeEach(() => {
  window.sessionStorage.clear()
  resetSession()
})
afterEach(() => resetSession())

async function appAs(roles) {
  vi.stubGlobal(
    'fetch',
    fakeFetch({
      'POST /api/auth/token': () => jsonResponse(200, tokenBody(1)),
      'GET /api/auth/me': () => jsonResponse(200, meBody({ roles })),
    }),
  )
  const pinia = createPinia()
  setActivePinia(pinia)
  const router = createAppRouter(createMemoryHistory())
  const auth = setupAuth({ router, pinia })
  if (roles) await auth.signIn({ username: 'u', password: 'p' })
  return { router, auth }
}

describe('signed out', () => {
  it('is sent to /login with a redirect back', async () => {
    const { router } = await appAs(null)
    await router.push('/buildings?street=420106001')
    expect(router.currentRoute.value.name).toBe('login')
    expect(router.currentRoute.value.query.redirect).toBe('/buildings?street=420106001')
  })

  it('can see the 404 page', async () => {
    const { router } = await appAs(null)
    await router.push('/no/such/page')
    expect(router.currentRoute.value.name).toBe('not-found')
  })
})

describe('signed in', () => {
  it('opens the sections', async () => {
    const { router } = await appAs(['street'])
    await router.push('/visits')
    expect(router.currentRoute.value.name).toBe('visits')
  })

  it('refuses /admin to a role without administration with the 无权访问 page', async () => {
    const { router } = await appAs(['leader', 'street'])
    await router.push('/admin')
    expect(router.currentRoute.value.name).toBe('forbidden')
    expect(router.currentRoute.value.query.from).toBe('/admin')
  })

  it('starts the administrator and the auditor at 管理, the home page holding figures', async () => {
    for (const role of ['admin', 'auditor']) {
      const { router } = await appAs([role])
      await router.push('/')
      expect(router.currentRoute.value.path).toBe('/admin')
      await router.push('/dashboard')
      expect(router.currentRoute.value.name).toBe('forbidden')
    }
  })

  it('lets an admin into /admin', async () => {
    const { router } = await appAs(['admin'])
    await router.push('/admin')
    expect(router.currentRoute.value.name).toBe('admin')
  })

  it('is taken from /login to where the redirect points', async () => {
    const { router } = await appAs(['bureau'])
    await router.push('/login?redirect=/tasks')
    expect(router.currentRoute.value.name).toBe('tasks')
  })

  it('reloads the user from a stored session (page reload)', async () => {
    await appAs(['chief']) // signs in, leaving tokens in sessionStorage
    const pinia = createPinia()
    setActivePinia(pinia)
    const router = createAppRouter(createMemoryHistory())
    const auth = setupAuth({ router, pinia })
    expect(auth.user).toBeNull()

    await router.push('/enterprises')

    expect(router.currentRoute.value.name).toBe('enterprises')
    expect(auth.displayName).toBe('张三')
  })
})

describe('safeRedirect', () => {
  it('keeps paths inside the app', () => {
    expect(safeRedirect('/tasks?status=overdue')).toBe('/tasks?status=overdue')
  })
  it('refuses anything that leaves the site or loops', () => {
    for (const bad of ['//evil.example/x', 'https://evil.example', '/\\evil.example', 'tasks', '/login?redirect=/', undefined, ['/a']]) {
      expect(safeRedirect(bad)).toBe('/')
    }
  })
})
