import { reactive } from 'vue'
import { ApiError, errorMessage } from '../api/http.js'

/**
 * What an edit form shows after the server refused a save:
 * - `fields`: the 422 messages keyed by form field, shown inline (el-form-item `error`);
 *   a nested path such as "spaces.0.area" lands on "spaces" when that is the form's field;
 * - `others`: field messages the form has no place for (listed under the message);
 * - `message`: the server's sentence (e.g. "…已被他人修改…" for a 412);
 * - `conflict`: someone else saved first (412): offer to reload the record.
 *
 * @param {unknown} error
 * @param {string[]} [known]  the form's field names; messages for others go to `others`
 */
export function formErrorState(error, known) {
  const state = { message: errorMessage(error), fields: {}, others: [], conflict: false, status: 0 }
  if (!(error instanceof ApiError)) return state
  state.status = error.status
  state.conflict = error.status === 412
  for (const { field, message } of error.fields || []) {
    const key = placeField(field, known)
    if (key === null) {
      state.others.push({ field, message })
    } else {
      state.fields[key] = state.fields[key] ? `${state.fields[key]}；${message}` : message
    }
  }
  return state
}

function placeField(field, known) {
  const path = String(field || '').replace(/^body\./, '')
  if (!known) return path || null
  if (known.includes(path)) return path
  const head = path.split('.')[0]
  return known.includes(head) ? head : null
}

/** Reactive error state for one form: `set(error)` after a failed save, `clear()` before the next. */
export function useFormErrors(known) {
  const state = reactive({ message: '', fields: {}, others: [], conflict: false, status: 0 })
  function clear() {
    Object.assign(state, { message: '', fields: {}, others: [], conflict: false, status: 0 })
  }
  function set(error) {
    Object.assign(state, formErrorState(error, known))
  }
  return { errors: state, set, clear }
}

/** '' and undefined become null: an emptied input clears the field on the server. */
export function blankToNull(value) {
  if (value === undefined || value === '') return null
  if (typeof value === 'string' && value.trim() === '') return null
  return value
}

function same(a, b) {
  return JSON.stringify(blankToNull(a) ?? null) === JSON.stringify(blankToNull(b) ?? null)
}

/**
 * The fields of `current` that differ from `original` (for a PATCH: only what the user
 * changed, so that history shows exactly that). Empty strings are sent as null.
 * Numbers from the API may be decimal strings: "12345.60" and 12345.6 are the same.
 */
export function changedFields(original, current, keys = Object.keys(current)) {
  const out = {}
  for (const key of keys) {
    const before = numeric(original?.[key])
    const after = numeric(current[key])
    if (!same(before, after)) out[key] = blankToNull(current[key])
  }
  return out
}

function numeric(v) {
  if (typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v.trim())) return Number(v)
  return v
}

/** A whole body for a create: blanks as null, keys with nothing left out. */
export function compactBody(values) {
  const out = {}
  for (const [key, value] of Object.entries(values)) {
    const v = blankToNull(value)
    if (v === null) continue
    if (Array.isArray(v) && v.length === 0) continue
    out[key] = v
  }
  return out
}
