import { onBeforeUnmount, ref } from 'vue'

export const PHONE_QUERY = '(max-width: 768px)'

/** True while the window is phone-sized (the width at which the shell hides its side menu). */
export function useIsPhone() {
  const media = typeof window !== 'undefined' && window.matchMedia ? window.matchMedia(PHONE_QUERY) : null
  const isPhone = ref(media ? media.matches : false)
  if (media) {
    const update = (e) => {
      isPhone.value = e.matches
    }
    media.addEventListener('change', update)
    onBeforeUnmount(() => media.removeEventListener('change', update))
  }
  return isPhone
}
