import { ref, shallowRef } from 'vue'

/**
 * Load something for a screen and keep its three states (loading, error, data). A slow
 * answer to an earlier call never overwrites a later one (filters changed meanwhile).
 */
export function useResource(loader, { immediate = true, initial = null } = {}) {
  const data = shallowRef(initial)
  const loading = ref(false)
  const error = ref(null)
  let seq = 0

  async function reload(...args) {
    const mine = ++seq
    loading.value = true
    error.value = null
    try {
      const result = await loader(...args)
      if (mine === seq) data.value = result
      return result
    } catch (e) {
      if (mine === seq) error.value = e
      return undefined
    } finally {
      if (mine === seq) loading.value = false
    }
  }

  if (immediate) reload()
  return { data, loading, error, reload }
}
