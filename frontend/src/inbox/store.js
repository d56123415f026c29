import { defineStore } from 'pinia'
import { ref } from 'vue'
import { CHANGED_EVENT } from '../api/http.js'
import { useAuthStore } from '../auth/store.js'
import { loadCount } from './api.js'

/**
 * The 待办 badge's count, shared by the desktop header and the phone's tab bar. Refreshed on
 * every page change (the shells call `refresh`) and after every successful write anywhere in
 * the app (http.js dispatches CHANGED_EVENT), so answering a 督办 takes it down at once.
 */
export const useInboxStore = defineStore('inbox', () => {
  const total = ref(0)
  const overdue = ref(0)
  const ready = ref(false)
  let seq = 0
  let listening = false

  async function refresh() {
    const auth = useAuthStore()
    if (!auth.isAuthenticated || !auth.user || auth.mustChangePassword) return
    const mine = ++seq
    try {
      const c = await loadCount(auth.roles)
      if (mine !== seq) return
      total.value = c.total
      overdue.value = c.overdue
      ready.value = true
    } catch {
      // The badge stays as it was; the 待办 page shows what failed.
    }
  }

  function listen() {
    if (listening || typeof window === 'undefined') return
    listening = true
    window.addEventListener(CHANGED_EVENT, () => setTimeout(refresh, 0))
  }

  return { total, overdue, ready, refresh, listen }
})
