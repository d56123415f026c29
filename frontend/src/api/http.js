/**
 * The one way the frontend talks to the gateway.
 *
 * - adds `Authorization: Bearer <access token>` (unless `auth: false`);
 * - sends JSON (`json:`), form bodies (`form:`, used by the OAuth-style auth endpoints) or
 *   multipart bodies (`formData:`, file uploads) and parses JSON answers (204 and empty
 *   bodies give `null`); `as: 'blob'` returns a file instead (`download`);
 * - turns every failure into an `ApiError` whose `detail` is a Chinese sentence fit to
 *   show the user as is: the server's own `detail`, or ours for a network failure, a
 *   timeout or a gateway that answered something other than JSON;
 * - on a 401 for a call that carried a token it refreshes the session ONCE (concurrent
 *   401s share the same refresh, so a rotating refresh token is spent only once) and
 *   retries the call once; when the refresh fails the session is over: the handler
 *   registered by the auth module clears it and sends the user to the sign-in page.
 *
 * Domain modules never call `fetch` themselves: they export named functions built on
 * `get`/`post`/`put`/`patch`/`del` (see src/auth/api.js).
 */

/** Dispatched on `window` after every successful write (POST, PUT, PATCH, DELETE). */
export const CHANGED_EVENT = 'louyu:changed'

export const MSG_NETWORK = '无法连接服务器，请检查网络后重试'
export const MSG_UNAVAILABLE = '服务暂时不可用，请稍后重试'
export const MSG_TIMEOUT = '服务器响应超时，请稍后重试'
export const MSG_SESSION_ENDED = '登录已失效，请重新登录'
export const MSG_INVALID_INPUT = '提交的内容有误，请检查后重试'
export const MSG_UNKNOWN = '操作失败，请稍后重试'

const DEFAULT_TIMEOUT_MS = 30_000

export class ApiError extends Error {
  /**
   * @param {object} o
   * @param {number} o.status   HTTP status; 0 when no answer came back.
   * @param {string} o.type     the server's `error` (e.g. "InvalidCredentials"), or ours:
   *                            NetworkError, Timeout, ServiceUnavailable, HttpError.
   * @param {string} o.detail   Chinese sentence for the user.
   * @param {{field: string, message: string}[]} [o.fields]  per-field messages (422).
   * @param {string|null} [o.requestId]  quote it when reporting a problem.
   */
  constructor({ status, type, detail, fields = [], requestId = null }) {
    super(detail)
    this.name = 'ApiError'
    this.status = status
    this.type = type
    this.detail = detail
    this.fields = fields
    this.requestId = requestId
  }

  /** Message for one form field, or undefined. */
  fieldMessage(field) {
    return this.fields.find((f) => f.field === field)?.message
  }
}

/** The sentence to show for any error thrown by a call (ApiError or not). */
export function errorMessage(error) {
  if (error instanceof ApiError) return error.detail
  return MSG_UNKNOWN
}

// ---------------------------------------------------------------------------
// Session hooks, registered by the auth module (src/auth/setup.js). Kept as plain
// callbacks so this file imports nothing from the auth store (no import cycle).

const defaultHandlers = {
  /** @returns {string|null} the current access token */
  getAccessToken: () => null,
  /**
   * Exchange the refresh token for new tokens. Resolve true on success, false when the
   * server refused; throw (ApiError) when it could not be reached.
   * @returns {Promise<boolean>}
   */
  refresh: async () => false,
  /** The session is over (refresh refused): clear it and go to the sign-in page. */
  onSessionExpired: () => {},
}
let handlers = { ...defaultHandlers }

export function configureSession(h) {
  handlers = { ...handlers, ...h }
}

/** For tests. */
export function resetSession() {
  handlers = { ...defaultHandlers }
  inflightRefresh = null
}

let inflightRefresh = null

/**
 * Refresh the session, sharing one attempt between all callers (the 401 retry path and
 * the auth store's timer), so a rotating refresh token is never spent twice.
 * Resolves true when new tokens are in place, false when the server refused (the
 * session is over); rejects with an ApiError when the server could not be asked
 * (network, 5xx): the session may well still be alive, so nobody is signed out for it.
 */
export function refreshOnce() {
  if (!inflightRefresh) {
    inflightRefresh = Promise.resolve()
      .then(() => handlers.refresh())
      .then((ok) => ok !== false)
      .finally(() => {
        inflightRefresh = null
      })
  }
  return inflightRefresh
}

// ---------------------------------------------------------------------------

function buildUrl(path, query) {
  if (!query) return path
  const params = new URLSearchParams()
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue
    if (Array.isArray(value)) value.forEach((v) => params.append(key, String(v)))
    else params.append(key, String(value))
  }
  const qs = params.toString()
  if (!qs) return path
  return path + (path.includes('?') ? '&' : '?') + qs
}

function isJson(response) {
  return (response.headers.get('content-type') || '').toLowerCase().includes('json')
}

async function readJson(response) {
  const text = await response.text()
  if (!text) return null
  return JSON.parse(text)
}

/** Map the error body (or its absence) to an ApiError. */
async function toApiError(response) {
  const status = response.status
  const headerRequestId = response.headers.get('x-request-id')
  let body = null
  if (isJson(response)) {
    try {
      body = await readJson(response)
    } catch {
      body = null
    }
  }

  if (body && typeof body === 'object') {
    let { detail, fields } = body
    // A validation error that did not pass through the gateway's handler (FastAPI's
    // default shape: detail is a list) still gets a readable message.
    if (Array.isArray(detail)) {
      fields = detail.map((d) => ({
        field: Array.isArray(d.loc) ? d.loc.filter((p) => p !== 'body').join('.') : '',
        message: d.msg || '',
      }))
      detail = MSG_INVALID_INPUT
    }
    if (typeof detail === 'string' && detail) {
      return new ApiError({
        status,
        type: typeof body.error === 'string' ? body.error : 'HttpError',
        detail,
        fields: Array.isArray(fields) ? fields : [],
        requestId: body.request_id || headerRequestId,
      })
    }
  }

  // No usable body: a proxy page, a crash before the error handler, a dropped upstream.
  if (status >= 500) {
    return new ApiError({ status, type: 'ServiceUnavailable', detail: MSG_UNAVAILABLE, requestId: headerRequestId })
  }
  if (status === 401) {
    return new ApiError({ status, type: 'Unauthorized', detail: MSG_SESSION_ENDED, requestId: headerRequestId })
  }
  return new ApiError({
    status,
    type: 'HttpError',
    detail: `请求未能完成（状态码 ${status}），请稍后重试`,
    requestId: headerRequestId,
  })
}

async function send(method, url, { json, form, formData, headers, auth, timeout, signal }) {
  const init = { method, headers: { Accept: 'application/json', ...headers }, credentials: 'same-origin' }
  if (json !== undefined) {
    init.headers['Content-Type'] = 'application/json'
    init.body = JSON.stringify(json)
  } else if (form !== undefined) {
    init.headers['Content-Type'] = 'application/x-www-form-urlencoded'
    init.body = new URLSearchParams(form).toString()
  } else if (formData !== undefined) {
    // multipart: the browser writes the Content-Type with its boundary
    init.body = formData
  }
  const token = auth ? handlers.getAccessToken() : null
  if (token) init.headers.Authorization = `Bearer ${token}`

  // Our own timeout, chained to the caller's signal if there is one.
  const controller = new AbortController()
  let timedOut = false
  const timer = setTimeout(() => {
    timedOut = true
    controller.abort()
  }, timeout)
  const onCallerAbort = () => controller.abort()
  if (signal) {
    if (signal.aborted) controller.abort()
    else signal.addEventListener('abort', onCallerAbort, { once: true })
  }
  init.signal = controller.signal

  try {
    const response = await fetch(url, init)
    return { response, sentToken: Boolean(token) }
  } catch (error) {
    if (timedOut) throw new ApiError({ status: 0, type: 'Timeout', detail: MSG_TIMEOUT })
    if (signal?.aborted) throw error // the caller cancelled: let it see its AbortError
    throw new ApiError({ status: 0, type: 'NetworkError', detail: MSG_NETWORK })
  } finally {
    clearTimeout(timer)
    signal?.removeEventListener('abort', onCallerAbort)
  }
}

/**
 * @param {string} method
 * @param {string} path     e.g. "/api/registry/buildings"
 * @param {object} [options]
 * @param {object} [options.query]    query parameters; null/undefined/'' are left out
 * @param {*}      [options.json]     JSON body
 * @param {object} [options.form]     form body (application/x-www-form-urlencoded)
 * @param {FormData} [options.formData] multipart body (file upload)
 * @param {'json'|'blob'} [options.as='json'] 'blob': answer `{blob, filename}` (a download)
 * @param {object} [options.headers]
 * @param {boolean}[options.auth=true]        send the access token
 * @param {boolean}[options.refreshOn401=true] on 401, refresh once and retry
 * @param {number} [options.timeout=30000]    ms
 * @param {AbortSignal} [options.signal]
 * @returns {Promise<*>} parsed JSON, or null for an empty answer
 */
export async function request(method, path, options = {}) {
  const opts = { auth: true, refreshOn401: true, timeout: DEFAULT_TIMEOUT_MS, ...options }
  const url = buildUrl(path, opts.query)

  let { response, sentToken } = await send(method, url, opts)

  if (response.status === 401 && opts.auth && opts.refreshOn401 && sentToken) {
    let refreshed
    try {
      refreshed = await refreshOnce()
    } catch (error) {
      throw error instanceof ApiError ? error : new ApiError({ status: 0, type: 'NetworkError', detail: MSG_NETWORK })
    }
    if (!refreshed) {
      handlers.onSessionExpired()
      throw new ApiError({ status: 401, type: 'SessionExpired', detail: MSG_SESSION_ENDED })
    }
    ;({ response } = await send(method, url, opts))
  }

  if (!response.ok) throw await toApiError(response)
  // A write went through: what the user must do may have changed (the 待办 badge listens).
  if (method !== 'GET' && typeof window !== 'undefined') window.dispatchEvent(new Event(CHANGED_EVENT))

  if (opts.as === 'blob') {
    const blob = await response.blob()
    return { blob, filename: filenameFrom(response.headers.get('content-disposition')) }
  }

  if (response.status === 204 || !isJson(response)) {
    // Nothing, or not JSON: callers of this API only ever expect JSON or nothing.
    return null
  }
  try {
    return await readJson(response)
  } catch {
    throw new ApiError({ status: response.status, type: 'BadResponse', detail: MSG_UNAVAILABLE })
  }
}

/**
 * The file name in a Content-Disposition header: RFC 6266 `filename*=UTF-8''…` (Chinese
 * names) first, then the plain `filename="…"`; null when there is none.
 */
export function filenameFrom(disposition) {
  if (!disposition) return null
  const star = /filename\*\s*=\s*([^']*)'[^']*'([^;]+)/i.exec(disposition)
  if (star) {
    try {
      return decodeURIComponent(star[2].trim().replace(/^"|"$/g, ''))
    } catch {
      // malformed escapes: fall back to the plain name
    }
  }
  const plain = /filename\s*=\s*("([^"]*)"|[^;]+)/i.exec(disposition)
  if (plain) return (plain[2] ?? plain[1]).trim() || null
  return null
}

/**
 * The `If-Match` header for a write on an object read at `version` (the server's ETag is
 * the version in double quotes): a stale version answers 412, a missing one 428.
 */
export function ifMatch(version) {
  return { 'If-Match': `"${version}"` }
}

export const get = (path, options) => request('GET', path, options)
export const post = (path, json, options) => request('POST', path, { ...options, json })
export const put = (path, json, options) => request('PUT', path, { ...options, json })
export const patch = (path, json, options) => request('PATCH', path, { ...options, json })
export const del = (path, options) => request('DELETE', path, options)
/** POST a multipart body (`formData` holds the file). */
export const upload = (path, formData, options) => request('POST', path, { ...options, formData })
/** GET a file: resolves `{blob, filename}`; errors arrive as ApiError like any call. */
export const download = (path, options) => request('GET', path, { ...options, as: 'blob', headers: { Accept: '*/*', ...options?.headers } })
