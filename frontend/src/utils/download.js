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
