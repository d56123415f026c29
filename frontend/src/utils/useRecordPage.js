import { computed, ref, watch } from 'vue'
import { useRoute, useRouter } from 'vue-router'
import { ApiError, errorMessage } from '../api/http.js'
import { confirmDelete } from './confirm.js'
import { useResource } from './useResource.js'

/**
 * A page for one record (一楼一档, 一企一档), named by `route.params[param]`.
 * - `key`; `resource` (the record: `load(key)`) and `related` (a list beside it:
 *   `loadRelated(key)`, empty at first), both asked for whenever the key changes while the
 *   page shown is `routeName`; `record` (the data), `notFound` (a 404).
 * - The browser tab reads "<name> - `titleSuffix`" once the record is in.
 * - `remove()`: asks first (`deletion.confirm(record)`, `deletion.title`), sends
 *   `deletion.request(record)`, says `deletion.done` and goes to `deletion.list` (a route name);
 *   a refusal is said, and a 412 (changed meanwhile) loads the record again. `deleting` meanwhile.
 */
export function useRecordPage({ param, routeName, load, loadRelated, titleSuffix, deletion }) {
  const route = useRoute()
  const router = useRouter()

  const key = computed(() => String(route.params[param] || ''))
  const resource = useResource(() => load(key.value), { immediate: false })
  const related = useResource(() => loadRelated(key.value), { immediate: false, initial: [] })

  watch(
    key,
    (k) => {
      if (!k || route.name !== routeName) return
      resource.reload()
      related.reload()
    },
    { immediate: true },
  )

  const record = computed(() => resource.data.value)
  const notFound = computed(() => resource.error.value instanceof ApiError && resource.error.value.status === 404)

  watch(record, (value) => {
    if (value?.name) document.title = `${value.name} - ${titleSuffix}`
  })

  const deleting = ref(false)
  async function remove() {
    if (!(await confirmDelete(deletion.confirm(record.value), deletion.title))) return
    deleting.value = true
    try {
      await deletion.request(record.value)
      ElMessage.success(deletion.done)
      router.push({ name: deletion.list })
    } catch (e) {
      ElMessage.error(errorMessage(e))
      if (e instanceof ApiError && e.status === 412) resource.reload()
    } finally {
      deleting.value = false
    }
  }

  return { key, resource, related, record, notFound, deleting, remove }
}
