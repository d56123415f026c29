import { describe, expect, it } from 'vitest'
import { MAX_BYTES, checkAttachments } from './attachments.js'

const file = (name, type, size = 1000) => ({ name, type, size })

describe('task update attachments', () => {
  it('keeps images and PDF, refuses the rest with a reason', () => {
    const { ok, problems } = checkAttachments([
      file('现场.jpg', 'image/jpeg'),
      file('汇报.pdf', 'application/pdf'),
      file('表格.xlsx', 'application/vnd.ms-excel'),
      file('大图.png', 'image/png', MAX_BYTES + 1),
    ])
    expect(ok.map((f) => f.name)).toEqual(['现场.jpg', '汇报.pdf'])
    expect(problems).toEqual(['“表格.xlsx”不是图片或 PDF', '“大图.png”超过 10 MB'])
  })

  it('caps the number of files', () => {
    const { ok, problems } = checkAttachments(Array.from({ length: 7 }, (_, i) => file(`${i}.png`, 'image/png')))
    expect(ok).toHaveLength(5)
    expect(problems).toEqual(['每次最多 5 个附件'])
  })
})
