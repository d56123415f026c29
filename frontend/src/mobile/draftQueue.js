/**
 * 扫楼 visit drafts kept in the browser, so a 楼长 who loses the signal in a stairwell loses
 * nothing: every change is written to storage as it is made (it survives a reload or a
 * closed tab), a submitted visit waits in the queue while the network is down, and is sent
 * when it comes back (the `online` event, or a retry timer).
 *
 * One draft per building being visited: `{id, building_code, building_name, state,
 * payload, created_at, updated_at, error, attempts}`. States:
 *   editing  → still being filled in on the phone;
 *   queued   → submitted, waiting to be sent (offline, or the server was unreachable);
 *   sending  → a send is in flight (a reload during it leaves it `sending`: treated as queued);
 *   failed   → the server refused it (e.g. 422): it goes back to the 楼长 with the reason.
 * A visit the server accepted leaves the store.
 *
 * Never sent twice: one flush at a time, each draft is marked `sending` before the call, and
 * the call carries the draft's id as `Idempotency-Key` (and `client_ref`), so a send whose
 * answer was lost (reload mid-flight) and is repeated is recognised by the server.
 *
 * Pure JavaScript (no Vue): the storage, the sender and the clock are passed in.
 */

export const DRAFT_STATES = Object.freeze({
  editing: '填写中',
  queued: '待发送',
  sending: '发送中',
  failed: '被退回',
})

/** Whether an error means "try again later" (no answer, or the service is down) rather than "the server refused it". */
export function isRetryable(error) {
  const status = error?.status
  if (status === undefined || status === null || status === 0) return true
  // The password was reset: the visit waits until the 楼长 has set a new one (on the phone).
  if (status === 403 && error?.type === 'PasswordChangeRequired') return true
  // 401: the session ran out while the visit waited; it is sent once the 楼长 signs in again.
  return status === 401 || status === 408 || status === 429 || status >= 500
}

function newId() {
  const c = globalThis.crypto
  if (c?.randomUUID) return c.randomUUID()
  return 'd-' + Date.now().toString(36) + '-' + Math.random().toString(36).slice(2, 10)
}

/**
 * @param {object} options
 * @param {Storage} options.storage  localStorage (or anything with getItem/setItem/removeItem)
 * @param {string} options.key  the storage key (one per user: a shared phone keeps each 楼长's drafts apart)
 * @param {(draft: object) => Promise<object>} options.send  sends one queued draft; resolves with the saved visit
 * @param {() => number} [options.now]
 */
export function createDraftQueue({ storage, key, send, now = () => Date.now() }) {
  const listeners = new Set()
  let flushing = null

  function read() {
    try {
      const raw = storage.getItem(key)
      const list = raw ? JSON.parse(raw) : []
      return Array.isArray(list) ? list : []
    } catch {
      return []
    }
  }

  /** Throws a QuotaExceededError when the browser's storage is full (photos): the caller tells the user. */
  function write(list) {
    if (list.length) storage.setItem(key, JSON.stringify(list))
    else storage.removeItem(key)
    for (const fn of listeners) fn(list)
  }

  function update(id, changes) {
    const list = read()
    const i = list.findIndex((d) => d.id === id)
    if (i < 0) return null
    list[i] = { ...list[i], ...changes, updated_at: now() }
    write(list)
    return list[i]
  }

  /** All drafts, oldest first. */
  function all() {
    return read()
  }

  function get(id) {
    return read().find((d) => d.id === id) || null
  }

  /** The draft being filled in for a building (not yet submitted), or null. */
  function editingFor(buildingCode) {
    return read().find((d) => d.building_code === buildingCode && (d.state === 'editing' || d.state === 'failed')) || null
  }

  /** Start (or continue) the draft for a building. */
  function open(buildingCode, { building_name = '', payload = {} } = {}) {
    const existing = editingFor(buildingCode)
    if (existing) return existing
    const draft = {
      id: newId(),
      building_code: buildingCode,
      building_name,
      state: 'editing',
      payload,
      created_at: now(),
      updated_at: now(),
      error: null,
      attempts: 0,
    }
    write([...read(), draft])
    return draft
  }

  /** Keep the form as it is now (called on every change). */
  function saveForm(id, payload) {
    return update(id, { payload })
  }

  /** The 楼长 pressed 提交: queue it (sending happens in `flush`). */
  function submit(id, payload) {
    const changes = { state: 'queued', error: null }
    if (payload !== undefined) changes.payload = payload
    return update(id, changes)
  }

  /** A refused draft goes back to editing (the 楼长 corrects it). */
  function reopen(id) {
    return update(id, { state: 'editing' })
  }

  function discard(id) {
    write(read().filter((d) => d.id !== id))
  }

  /** Drafts waiting to be sent (a `sending` one found here was cut off by a reload). */
  function pending() {
    return read().filter((d) => d.state === 'queued' || (d.state === 'sending' && !flushing))
  }

  /**
   * Send every queued draft, one at a time. Resolves `{sent: [visit…], failed: [draft…],
   * waiting: n}`. A second call while one runs gets the same promise (nothing sent twice).
   */
  function flush() {
    if (!flushing) {
      flushing = run().finally(() => {
        flushing = null
      })
    }
    return flushing
  }

  async function run() {
    const result = { sent: [], failed: [], waiting: 0 }
    const queue = read().filter((d) => d.state === 'queued' || d.state === 'sending')
    for (const draft of queue) {
      const current = get(draft.id)
      if (!current || (current.state !== 'queued' && current.state !== 'sending')) continue
      const sending = update(draft.id, { state: 'sending', attempts: (current.attempts || 0) + 1 })
      try {
        const saved = await send(sending)
        discard(draft.id)
        result.sent.push(saved)
      } catch (error) {
        if (isRetryable(error)) {
          update(draft.id, { state: 'queued', error: error?.detail || error?.message || null })
          result.waiting += 1
          // The network is down: the next drafts would fail the same way.
          result.waiting += queue.length - queue.indexOf(draft) - 1
          break
        }
        const failed = update(draft.id, {
          state: 'failed',
          error: error?.detail || error?.message || '提交被退回',
          fields: Array.isArray(error?.fields) ? error.fields : [],
        })
        result.failed.push(failed)
      }
    }
    return result
  }

  /** Called with the whole list after every change. Returns the unsubscribe function. */
  function subscribe(fn) {
    listeners.add(fn)
    return () => listeners.delete(fn)
  }

  return { all, get, editingFor, open, saveForm, submit, reopen, discard, pending, flush, subscribe }
}

/**
 * Send queued drafts whenever the browser comes back online, now (if online) and every
 * `intervalMs` while something waits. Returns a stop function.
 *
 * @param {ReturnType<typeof createDraftQueue>} queue
 * @param {object} [options]
 * @param {Window} [options.win]
 * @param {number} [options.intervalMs]
 * @param {(result: object) => void} [options.onResult]
 */
export function autoFlush(queue, { win = window, intervalMs = 30_000, onResult = () => {} } = {}) {
  let stopped = false
  async function tryNow() {
    if (stopped) return
    if (win.navigator && win.navigator.onLine === false) return
    if (!queue.pending().length) return
    const result = await queue.flush()
    if (!stopped) onResult(result)
  }
  const onOnline = () => tryNow()
  win.addEventListener('online', onOnline)
  const timer = win.setInterval(tryNow, intervalMs)
  tryNow()
  return () => {
    stopped = true
    win.removeEventListener('online', onOnline)
    win.clearInterval(timer)
  }
}

/**
 * How many visits wait on this phone (any 楼长), for the sign-in page after a session ended:
 * they are kept, and sent once the 楼长 signs in again.
 * @param {Storage} storage
 */
export function pendingOnDevice(storage) {
  let n = 0
  try {
    for (let i = 0; i < storage.length; i++) {
      const key = storage.key(i)
      if (!key || !key.startsWith('louyu.visitDrafts.')) continue
      const list = JSON.parse(storage.getItem(key) || '[]')
      if (Array.isArray(list)) n += list.length
    }
  } catch {
    return n
  }
  return n
}
