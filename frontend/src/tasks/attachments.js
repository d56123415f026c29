/**
 * Attachments to a task update: images and PDF, each at most MAX_BYTES, at most MAX_FILES at
 * once. The server checks the content again; this only spares a clerk a refused upload.
 */
export const MAX_BYTES = 10 * 1024 * 1024
export const MAX_FILES = 5
export const ATTACHMENT_ACCEPT = 'image/jpeg,image/png,image/webp,application/pdf,.pdf,.jpg,.jpeg,.png,.webp'
const TYPES = ['image/jpeg', 'image/png', 'image/webp', 'application/pdf']
const EXT = /\.(jpe?g|png|webp|pdf)$/i

export function checkAttachments(files) {
  const ok = []
  const problems = []
  for (const f of files) {
    if (!(TYPES.includes(f.type) || EXT.test(f.name || ''))) {
      problems.push(`“${f.name}”不是图片或 PDF`)
    } else if (f.size > MAX_BYTES) {
      problems.push(`“${f.name}”超过 10 MB`)
    } else if (ok.length >= MAX_FILES) {
      problems.push(`每次最多 ${MAX_FILES} 个附件`)
      break
    } else {
      ok.push(f)
    }
  }
  return { ok, problems }
}
