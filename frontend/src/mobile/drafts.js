import { shallowRef } from 'vue'
import { autoFlush, createDraftQueue } from './draftQueue.js'
import { submitVisit } from './api.js'

/**
 * The one draft queue of the signed-in 楼长 (kept in localStorage under their username),
 * sending on its own whenever the phone is back online. `drafts` is the list, reactive.
 */
let current = null

export function useDrafts(username) {
  if (current && current.username === username) return current
  current?.stop()
  const queue = createDraftQueue({
    storage: window.localStorage,
    key: `louyu.visitDrafts.${username || 'anonymous'}`,
    send: (draft) =>
      submitVisit(draft, {
        onPhotoSent: (photoId) => {
          const latest = queue.get(draft.id)
          if (!latest) return
          const photos = (latest.payload.photos || []).map((p) => (p.id === photoId ? { ...p, sent: true } : p))
          queue.saveForm(draft.id, { ...latest.payload, photos })
        },
      }),
  })
  const drafts = shallowRef(queue.all())
  const lastResult = shallowRef(null)
  queue.subscribe((list) => {
    drafts.value = list
  })
  const stop = autoFlush(queue, {
    intervalMs: 20_000,
    onResult: (r) => {
      lastResult.value = r
    },
  })
  current = { username, queue, drafts, lastResult, stop }
  return current
}
