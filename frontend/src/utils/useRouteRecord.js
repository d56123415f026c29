import { computed, watch } from 'vue'
import { useRoute } from 'vue-router'
import { ApiError } from '../api/http.js'
import { useResource } from './useResource.js'

/**
 * The one record a detail page shows, named by the route's `:id` (招商线索, 企业诉求, 走访记录):
 * asked for (`load(id)`) whenever the id changes while the page shown is `routeName`;
 * `record` (the data: a ref the page may set, e.g. to the answer of a step), `notFound` (a 404), `error`, `loading`, `reload`; the browser tab
 * reads `title(record)` once the record is in.
 *
 * (一楼一档 and 一企一档, with a list beside the record and deletion, use useRecordPage.js.)
 */
export function useRouteRecord({ routeName, load, title }) {
  const route = useRoute()
  const id = computed(() => String(route.params.id))
  const { data, error, loading, reload } = useResource(() => load(id.value), { immediate: false })
  watch(
    id,
    (v) => {
      if (v && route.name === routeName) reload()
    },
    { immediate: true },
  )
  const record = data
  const notFound = computed(() => error.value instanceof ApiError && error.value.status === 404)
  watch(record, (value) => {
    const text = value && title ? title(value) : ''
    if (text) document.title = text
  })
  return { id, record, error, loading, reload, notFound }
}
