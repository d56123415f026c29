import { vi } from 'vitest'

/** A fetch Response with a JSON body. */
export function jsonResponse(status, body, headers = {}) {
  return new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json', ...headers },
  })
}

export function emptyResponse(status = 204) {
  return new Response(null, { status })
}

/**
 * A fake gateway: `routes` maps "METHOD /path" to a function (request info) → Response.
 * Records every call as {method, path, headers, body}.
 */
export function fakeFetch(routes) {
  const calls = []
  const fn = vi.fn(async (url, init = {}) => {
    const path = new URL(url, 'http://localhost').pathname
    const method = init.method || 'GET'
    const call = { method, path, url, headers: { ...(init.headers || {}) }, body: init.body }
    calls.push(call)
    const handler = routes[`${method} ${path}`]
    if (!handler) return jsonResponse(404, { error: 'NotFound', detail: '接口不存在', request_id: 'r0' })
    return handler(call)
  })
  fn.calls = calls
  return fn
}

export const tokenBody = (n) => ({
  access_token: `access-${n}`,
  token_type: 'bearer',
  expires_in: 900,
  refresh_token: `refresh-${n}`,
})

export const meBody = (overrides = {}) => ({
  username: 'zhangsan',
  display_name: '张三',
  roles: ['bureau'],
  org_unit: '区商务局',
  street_codes: [],
  must_change_password: false,
  ...overrides,
})
