import { ref } from 'vue'

/**
 * A dialog whose code loads the first time it is asked for (an async component): mount it
 * once `asked`, bind its model to `open`; `show()` does both.
 */
export function useLazyDialog() {
  const open = ref(false)
  const asked = ref(false)
  function show() {
    asked.value = true
    open.value = true
  }
  return { open, asked, show }
}
