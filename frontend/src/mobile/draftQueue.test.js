import { describe, expect, it, vi } from 'vitest'
import { autoFlush, createDraftQueue, isRetryable } from './draftQueue.js'

/** A Storage stand-in whose contents outlive the queue objects (a reload makes a new queue on the same storage). */
function memoryStorage() {
  const data = new Map()
  return {
    getItem: (k) => (data.has(k) ? data.get(k) : null),
    setItem: (k, v) => data.set(k, String(v)),
    removeItem: (k) => data.delete(k),
    data,
  }
}

const offline = () =>
  Object.assign(new Error('无法连接服务器，请检查网络后重试'), { status: 0, detail: '无法连接服务器，请检查网络后重试' })

describe('visit draft queue', () => {
  it('keeps the form as it is filled in, and finds it again for the same building', () => {
    const storage = memoryStorage()
    const q = createDraftQueue({ storage, key: 'k', send: vi.fn() })
    const d = q.open('420106001-0001', { building_name: '武昌大厦' })
    q.saveForm(d.id, { notes: '12层空置', vacancies: { 5: true } })
    expect(q.open('420106001-0001').id).toBe(d.id)
    expect(q.editingFor('420106001-0001').payload).toEqual({ notes: '12层空置', vacancies: { 5: true } })
    expect(q.editingFor('other')).toBeNull()
  })

  it('survives a reload: a new queue on the same storage sees the draft and the queued visit', async () => {
    const storage = memoryStorage()
    const first = createDraftQueue({ storage, key: 'k', send: vi.fn() })
    const a = first.open('A', { building_name: '甲楼' })
    first.saveForm(a.id, { notes: '甲' })
    const b = first.open('B')
    first.submit(b.id, { notes: '乙' })

    const send = vi.fn().mockResolvedValue({ id: 7 })
    const second = createDraftQueue({ storage, key: 'k', send })
    expect(second.editingFor('A').payload.notes).toBe('甲')
    expect(second.pending().map((d) => d.building_code)).toEqual(['B'])
    const result = await second.flush()
    expect(result.sent).toEqual([{ id: 7 }])
    expect(send).toHaveBeenCalledTimes(1)
    expect(send.mock.calls[0][0].payload).toEqual({ notes: '乙' })
    expect(second.all().map((d) => d.building_code)).toEqual(['A'])
  })

  it('keeps a submitted visit queued while offline and sends it when the network returns', async () => {
    const storage = memoryStorage()
    const send = vi.fn().mockRejectedValueOnce(offline()).mockResolvedValueOnce({ id: 1 })
    const q = createDraftQueue({ storage, key: 'k', send })
    const d = q.open('A')
    q.submit(d.id, { notes: 'x' })

    const down = await q.flush()
    expect(down).toEqual({ sent: [], failed: [], waiting: 1 })
    expect(q.get(d.id).state).toBe('queued')
    expect(q.get(d.id).error).toContain('无法连接')

    const up = await q.flush()
    expect(up.sent).toEqual([{ id: 1 }])
    expect(q.all()).toEqual([])
  })

  it('does not send twice when flushes overlap (online event and retry timer at once)', async () => {
    let resolve
    const send = vi.fn(() => new Promise((r) => (resolve = r)))
    const q = createDraftQueue({ storage: memoryStorage(), key: 'k', send })
    q.submit(q.open('A').id, {})
    const one = q.flush()
    const two = q.flush()
    expect(one).toBe(two)
    await Promise.resolve()
    expect(q.all()[0].state).toBe('sending')
    expect(q.pending()).toEqual([])
    resolve({ id: 3 })
    await one
    expect(send).toHaveBeenCalledTimes(1)
    await q.flush()
    expect(send).toHaveBeenCalledTimes(1)
  })

  it('sends the draft id as its idempotency key on every attempt', async () => {
    const send = vi.fn().mockRejectedValueOnce(offline()).mockResolvedValueOnce({ id: 1 })
    const q = createDraftQueue({ storage: memoryStorage(), key: 'k', send })
    const d = q.open('A')
    q.submit(d.id, {})
    await q.flush()
    await q.flush()
    expect(send.mock.calls.map(([draft]) => draft.id)).toEqual([d.id, d.id])
    expect(send.mock.calls[1][0].attempts).toBe(2)
  })

  it('a draft cut off mid-send by a reload is sent again (the server recognises its key)', async () => {
    const storage = memoryStorage()
    const first = createDraftQueue({ storage, key: 'k', send: () => new Promise(() => {}) })
    const d = first.open('A')
    first.submit(d.id, {})
    first.flush() // never answers: the page is reloaded
    await Promise.resolve()
    const send = vi.fn().mockResolvedValue({ id: 9 })
    const second = createDraftQueue({ storage, key: 'k', send })
    expect(second.pending().map((x) => x.id)).toEqual([d.id])
    await second.flush()
    expect(send).toHaveBeenCalledWith(expect.objectContaining({ id: d.id }))
    expect(second.all()).toEqual([])
  })

  it('a refusal (422) goes back to the 楼长 with the reason and is not retried', async () => {
    const refusal = Object.assign(new Error('x'), {
      status: 422,
      detail: '走访日期不能晚于今天',
      fields: [{ field: 'visited_on', message: '不能晚于今天' }],
    })
    const send = vi.fn().mockRejectedValue(refusal)
    const q = createDraftQueue({ storage: memoryStorage(), key: 'k', send })
    const d = q.open('A')
    q.submit(d.id, {})
    const result = await q.flush()
    expect(result.failed).toHaveLength(1)
    expect(q.get(d.id)).toMatchObject({ state: 'failed', error: '走访日期不能晚于今天' })
    expect(q.get(d.id).fields).toEqual([{ field: 'visited_on', message: '不能晚于今天' }])
    expect(q.editingFor('A').id).toBe(d.id)
    await q.flush()
    expect(send).toHaveBeenCalledTimes(1)
  })

  it('stops at the first network failure and leaves the rest queued in order', async () => {
    const send = vi.fn().mockRejectedValue(offline())
    const q = createDraftQueue({ storage: memoryStorage(), key: 'k', send })
    q.submit(q.open('A').id, {})
    q.submit(q.open('B').id, {})
    const result = await q.flush()
    expect(send).toHaveBeenCalledTimes(1)
    expect(result.waiting).toBe(2)
    expect(q.pending().map((d) => d.building_code)).toEqual(['A', 'B'])
  })

  it('keeps each user apart (one key per user)', () => {
    const storage = memoryStorage()
    createDraftQueue({ storage, key: 'u1', send: vi.fn() }).open('A')
    expect(createDraftQueue({ storage, key: 'u2', send: vi.fn() }).all()).toEqual([])
  })

  it('tolerates a damaged storage entry', () => {
    const storage = memoryStorage()
    storage.setItem('k', '{not json')
    expect(createDraftQueue({ storage, key: 'k', send: vi.fn() }).all()).toEqual([])
  })

  it('tells subscribers about every change', () => {
    const q = createDraftQueue({ storage: memoryStorage(), key: 'k', send: vi.fn() })
    const seen = []
    const stop = q.subscribe((list) => seen.push(list.length))
    const d = q.open('A')
    q.discard(d.id)
    stop()
    q.open('B')
    expect(seen).toEqual([1, 0])
  })
})

describe('isRetryable', () => {
  it.each([
    [0, true],
    [undefined, true],
    [503, true],
    [502, true],
    [429, true],
    [422, false],
    [403, false],
    [409, false],
  ])('status %s → %s', (status, expected) => {
    expect(isRetryable({ status })).toBe(expected)
  })
})

describe('autoFlush', () => {
  function fakeWindow(onLine) {
    const target = new EventTarget()
    return {
      navigator: { onLine },
      addEventListener: target.addEventListener.bind(target),
      removeEventListener: target.removeEventListener.bind(target),
      dispatchEvent: target.dispatchEvent.bind(target),
      setInterval: () => 1,
      clearInterval: () => {},
    }
  }

  it('sends when the browser comes back online, not while it is offline', async () => {
    const win = fakeWindow(false)
    const send = vi.fn().mockResolvedValue({ id: 1 })
    const q = createDraftQueue({ storage: memoryStorage(), key: 'k', send })
    q.submit(q.open('A').id, {})
    const results = []
    const stop = autoFlush(q, { win, onResult: (r) => results.push(r) })
    await Promise.resolve()
    expect(send).not.toHaveBeenCalled()

    win.navigator.onLine = true
    win.dispatchEvent(new Event('online'))
    await vi.waitFor(() => expect(results).toHaveLength(1))
    expect(results[0].sent).toEqual([{ id: 1 }])
    expect(q.all()).toEqual([])

    win.dispatchEvent(new Event('online'))
    await Promise.resolve()
    expect(send).toHaveBeenCalledTimes(1)
    stop()
  })
})
