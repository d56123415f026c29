/**
 * A photo from the phone's camera, made small enough to keep in the browser while offline:
 * the long side at most `maxSide` pixels, JPEG. Returns `{id, name, data}` (data: a data URL).
 */
export async function shrinkPhoto(file, { maxSide = 1280, quality = 0.72 } = {}) {
  const id = Math.random().toString(36).slice(2, 10)
  const name = (file.name || 'photo').replace(/\.[^.]+$/, '') + '.jpg'
  const url = URL.createObjectURL(file)
  try {
    const img = await new Promise((resolve, reject) => {
      const el = new Image()
      el.onload = () => resolve(el)
      el.onerror = () => reject(new Error('这张图片无法打开，请换一张'))
      el.src = url
    })
    const scale = Math.min(1, maxSide / Math.max(img.naturalWidth, img.naturalHeight))
    const canvas = document.createElement('canvas')
    canvas.width = Math.max(1, Math.round(img.naturalWidth * scale))
    canvas.height = Math.max(1, Math.round(img.naturalHeight * scale))
    canvas.getContext('2d').drawImage(img, 0, 0, canvas.width, canvas.height)
    return { id, name, data: canvas.toDataURL('image/jpeg', quality) }
  } finally {
    URL.revokeObjectURL(url)
  }
}
