import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { UNDO_MS, createUndoBar } from './undoBar.js'
import { setFloor } from './visitForm.js'

const floor = [
  { id: 1, status: 'leased' },
  { id: 2, status: 'leased' },
  { id: 3, status: 'vacant' },
]

describe('整层 undo bar', () => {
  beforeEach(() => vi.useFakeTimers())
  afterEach(() => vi.useRealTimers())

  function wholeFloor(state, bar, to) {
    const before = state.changes
    state.changes = setFloor(state.changes, floor, to)
    bar.offerUndo('已将 3 层整层标为空置', () => (state.changes = before))
  }

  it('applies the whole floor at once and puts it back on 撤销', () => {
    const state = { changes: { 3: 'leased' } }
    const bar = createUndoBar()
    wholeFloor(state, bar, 'vacant')
    expect(state.changes).toEqual({ 1: 'vacant', 2: 'vacant' })
    expect(bar.offer.value.message).toContain('整层')
    bar.undo()
    expect(state.changes).toEqual({ 3: 'leased' })
    expect(bar.offer.value).toBeNull()
  })

  it('keeps the change once the 5 seconds are over: 撤销 then does nothing', () => {
    const state = { changes: {} }
    const bar = createUndoBar()
    wholeFloor(state, bar, 'vacant')
    vi.advanceTimersByTime(UNDO_MS - 1)
    expect(bar.offer.value).not.toBeNull()
    vi.advanceTimersByTime(1)
    expect(bar.offer.value).toBeNull()
    bar.undo()
    expect(state.changes).toEqual({ 1: 'vacant', 2: 'vacant' })
  })

  it('a second whole-floor change replaces the offer; 撤销 undoes only the last one', () => {
    const state = { changes: {} }
    const bar = createUndoBar()
    wholeFloor(state, bar, 'vacant')
    vi.advanceTimersByTime(3000)
    wholeFloor(state, bar, 'in_use')
    vi.advanceTimersByTime(3000)
    expect(bar.offer.value).not.toBeNull() // a fresh 5 s for the second change
    bar.undo()
    expect(state.changes).toEqual({ 1: 'vacant', 2: 'vacant' })
  })
})
