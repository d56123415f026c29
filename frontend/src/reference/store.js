import { defineStore } from 'pinia'
import { ref } from 'vue'
import { fetchEnums, fetchIndustries, fetchMeta, fetchStreets, fetchThemes } from './api.js'

/**
 * Labels for the coded fields when the server has not (yet) sent its own: the server's
 * `/enums` wins. Space statuses are fixed by the contract and drive the vacancy colours.
 */
const FALLBACK_ENUMS = {
  space_status: [
    { value: 'vacant', label: '空置' },
    { value: 'leased', label: '已租' },
    { value: 'self_use', label: '自用' },
    { value: 'reserved', label: '预留' },
  ],
}

/**
 * The registry's reference data, loaded once per page load and shared by every screen:
 * district meta (demo flag), streets, themes, enum labels; industries on first need.
 */
export const useReferenceStore = defineStore('registry-reference', () => {
  const meta = ref(null)
  const streets = ref([])
  const themes = ref([])
  const enums = ref({})
  const industries = ref([])
  const loaded = ref(false)
  let pending = null
  let pendingIndustries = null

  /** Load once; a failure is forgotten so that the next call tries again. */
  function load() {
    if (!pending) {
      pending = Promise.all([fetchMeta(), fetchStreets(), fetchThemes(), fetchEnums()])
        .then(([m, s, t, e]) => {
          meta.value = m
          streets.value = s || []
          themes.value = t || []
          enums.value = e || {}
          loaded.value = true
        })
        .catch((error) => {
          pending = null
          throw error
        })
    }
    return pending
  }

  /** The 大类 (two-digit divisions) with their 门类, for industry pickers. */
  function loadIndustries() {
    if (!pendingIndustries) {
      pendingIndustries = fetchIndustries({ level: 'division' })
        .then((list) => {
          industries.value = list || []
        })
        .catch((error) => {
          pendingIndustries = null
          throw error
        })
    }
    return pendingIndustries
  }

  function options(kind) {
    return enums.value[kind]?.length ? enums.value[kind] : FALLBACK_ENUMS[kind] || []
  }

  function label(kind, value) {
    if (value === null || value === undefined || value === '') return ''
    return options(kind).find((o) => o.value === value)?.label ?? String(value)
  }

  function streetName(code) {
    return streets.value.find((s) => s.code === code)?.name ?? code ?? ''
  }

  function themeName(code) {
    return themes.value.find((t) => t.code === code)?.name ?? code
  }

  return { meta, streets, themes, enums, industries, loaded, load, loadIndustries, options, label, streetName, themeName }
})
