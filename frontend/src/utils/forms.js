import { reactive, ref } from 'vue'
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

/**
 * The workings of an edit dialog, for components/FormDialog.vue (`<FormDialog :dialog="…">`):
 * - `onOpen()`, each time it opens: errors cleared, `original` = `record()` (null: nothing to
 *   edit), `fill(original)`, then `open()` for the rest; validation messages cleared.
 * - `save()`, on submit: `prepare()`, validation, then with an original
 *   `update(original, changes(original))` (nothing changed: it only closes), else `submit()`;
 *   then it closes and emits `saved` with the answer. A refusal stays in the dialog:
 *   `errors`, then `refineErrors(errors)`.
 * - `onReload()`, the alert's button after a 412: `reload()` if given; else `latest(original)`
 *   becomes the original and fills the form (null: the record is gone, the dialog closes
 *   and emits `saved` with null).
 *
 * @param {object} options
 * @param {import('vue').Ref<boolean>} options.visible  the dialog's model (defineModel)
 * @param {Function} options.emit  the dialog's emit (for `saved`)
 * @param {object} options.form  the form's values (reactive), validated by `rules`
 * @param {string[]} [options.fields]  the form's fields (see useFormErrors): by default, those of `form`
 */
export function useFormDialog({
  visible,
  emit,
  form,
  rules = {},
  fields = Object.keys(form),
  record = () => null,
  fill = () => {},
  open = () => {},
  prepare = () => {},
  changes,
  update,
  submit,
  latest,
  reload,
  refineErrors = () => {},
}) {
  const { errors, set, clear: clearErrors } = useFormErrors(fields)
  const formRef = ref(null)
  const original = ref(null)
  const saving = ref(false)
  const reloading = ref(false)

  function setErrors(error) {
    set(error)
    refineErrors(errors)
  }

  function onOpen() {
    clearErrors()
    original.value = record()
    fill(original.value)
    open()
    formRef.value?.clearValidate()
  }

  async function save() {
    clearErrors()
    prepare()
    try {
      await formRef.value.validate()
    } catch {
      return
    }
    saving.value = true
    try {
      let saved
      if (original.value) {
        const changed = changes(original.value)
        if (!Object.keys(changed).length) {
          visible.value = false
          return
        }
        saved = await update(original.value, changed)
      } else {
        saved = await submit()
      }
      visible.value = false
      emit('saved', saved)
    } catch (e) {
      setErrors(e)
    } finally {
      saving.value = false
    }
  }

  async function reloadLatest() {
    reloading.value = true
    try {
      const fresh = await latest(original.value)
      if (!fresh) {
        visible.value = false
        emit('saved', null)
        return
      }
      original.value = fresh
      fill(fresh)
      clearErrors()
    } catch (e) {
      setErrors(e)
    } finally {
      reloading.value = false
    }
  }

  function onReload() {
    if (reload) reload()
    else if (latest) reloadLatest()
  }

  return {
    visible,
    form,
    rules,
    formRef,
    errors,
    setErrors,
    clearErrors,
    original,
    saving,
    reloading,
    onOpen,
    save,
    onReload,
  }
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
