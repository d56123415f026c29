import { computed, reactive, watch } from 'vue'
import { useRoute, useRouter } from 'vue-router'
import { countActive, readListState, toApiQuery, toRouteQuery, withFilters } from './listQuery.js'
import { useResource } from './useResource.js'

/**
 * A list page whose filters, sort and page live in the address bar (see listQuery.js).
 * - `state`: the list as the address says; `draft`: the filters as being edited, set back
 *   to `state` whenever the address changes.
 * - The list is asked for (`load(apiQuery)`) each time the address changes while the page
 *   shown is `routeName` and `enabled()`: `data`, `items`, `total`, `loading`, `error`, `reload`.
 * - `go(state)` puts a state in the address; `apply()` the draft (every key but the page,
 *   back to page 1); `reset()` clears all. `activeFilters`: how many of `filters` are set.
 *
 * @param {object} options
 * @param {object} options.spec  the list's keys and types (listQuery.js)
 * @param {string[]} options.filters  the keys folded behind "筛选" (counted on its button)
 * @param {string} options.routeName  the page's route (the watch outlives a navigation away)
 * @param {(query: object) => Promise<{items: object[], total: number}>} options.load
 * @param {() => boolean} [options.enabled]  false: nothing is asked for (no right to read)
 */
export function useListPage({ spec, filters, routeName, load, enabled = () => true }) {
  const route = useRoute()
  const router = useRouter()
  const drafted = Object.keys(spec).filter((k) => k !== 'page' && k !== 'page_size')

  const state = computed(() => readListState(spec, route.query))
  const draft = reactive({ ...state.value })
  const { data, loading, error, reload } = useResource(() => load(toApiQuery(spec, state.value)), { immediate: false })

  watch(
    () => route.query,
    () => {
      if (route.name !== routeName || !enabled()) return
      Object.assign(draft, state.value)
      reload()
    },
    { immediate: true },
  )

  const items = computed(() => data.value?.items ?? [])
  const total = computed(() => data.value?.total ?? 0)
  const activeFilters = computed(() => countActive(state.value, filters))

  function go(next) {
    router.push({ query: toRouteQuery(spec, next) })
  }
  function apply() {
    go(withFilters(state.value, Object.fromEntries(drafted.map((k) => [k, draft[k]]))))
  }
  function reset() {
    go(readListState(spec, {}))
  }

  return { state, draft, data, items, total, loading, error, reload, activeFilters, go, apply, reset }
}
