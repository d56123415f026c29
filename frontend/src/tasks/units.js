import { ref } from 'vue'
import { get } from '../api/http.js'

/**
 * The directory of responsible units (责任单位), loaded once per page load and shared: the
 * selects that assign a demand or filter tasks by unit, and the names shown for codes.
 */
const units = ref([])
let pending = null

/** GET /api/tasks/units (every unit in use, in pages of 200). */
export function loadUnits() {
  if (!pending) {
    pending = (async () => {
      const all = []
      for (let page = 1; page < 20; page += 1) {
        const answer = await get('/api/tasks/units', { query: { active: true, page, page_size: 200 } })
        all.push(...(answer?.items ?? []))
        if (all.length >= (answer?.total ?? 0) || !answer?.items?.length) break
      }
      units.value = all
      return all
    })().catch((error) => {
      pending = null
      throw error
    })
  }
  return pending
}

export function useUnits() {
  loadUnits().catch(() => {})
  return units
}

/** The unit's name for a code (the code itself while the directory loads). */
export function unitName(code) {
  if (!code) return ''
  return units.value.find((u) => u.code === code)?.name || code
}
