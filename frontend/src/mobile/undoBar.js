import { shallowRef } from 'vue'

/** How long 撤销 is offered after a whole-floor change. */
export const UNDO_MS = 5000

/**
 * An undo bar for a change applied at once (整层空置 / 整层在用): the change is made when
 * tapped, the bar offers 撤销 for UNDO_MS; 撤销 puts back what was there before. A new
 * change replaces the offer (the earlier one stays applied).
 *
 * @param {{ms?: number}} [options]
 */
export function createUndoBar({ ms = UNDO_MS } = {}) {
  /** {message: string} while 撤销 is offered, else null. */
  const offer = shallowRef(null)
  let restore = null
  let timer = 0

  function close() {
    clearTimeout(timer)
    timer = 0
    restore = null
    offer.value = null
  }

  /** Offer to undo a change just made; `undoIt` puts the previous state back. */
  function offerUndo(message, undoIt) {
    close()
    restore = undoIt
    offer.value = { message }
    timer = setTimeout(close, ms)
  }

  /** 撤销: put back the state before the change. */
  function undo() {
    const fn = restore
    close()
    if (fn) fn()
  }

  return { offer, offerUndo, undo, close }
}
