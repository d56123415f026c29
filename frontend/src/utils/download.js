import { ref } from 'vue'
import { errorMessage } from '../api/http.js'

/** Save a downloaded file ({blob, filename} from http.js `download`) as the browser does for a link. */
export function saveFile({ blob, filename }, fallbackName = 'download') {
  const url = URL.createObjectURL(blob)
  const a = document.createElement('a')
  a.href = url
  a.download = filename || fallbackName
  a.rel = 'noopener'
  document.body.appendChild(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}

/**
 * A list's export (ExportMenu): `onExport(format)` downloads `download(format)` and saves it
 * (as "<name>.<format>" when the server gives no file name); a refusal is said in a message.
 * `exporting` meanwhile.
 */
export function useExport(download, name) {
  const exporting = ref(false)
  async function onExport(format) {
    exporting.value = true
    try {
      saveFile(await download(format), `${name}.${format}`)
    } catch (e) {
      ElMessage.error(errorMessage(e))
    } finally {
      exporting.value = false
    }
  }
  return { exporting, onExport }
}
