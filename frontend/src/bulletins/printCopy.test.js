import { describe, expect, it } from 'vitest'
import { bulletinPrintCopy, renderPrintCopy, scopeBulletinCss } from './printCopy.js'

const HTML = `<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>2025年3月工作简报</title>
<style>@page { size: A4; margin: 3.7cm 2.6cm; }
body { font-family: "FangSong", serif; max-width: 16cm; }
.masthead { color: #c00000; }
@media print { body { margin: 0; max-width: none; } }</style></head><body>
<p class="masthead">楼宇经济工作简报</p><h1>2025年3月工作简报</h1>
<script>window.evil = 1</script>
<img src="x.png" onerror="window.evil = 2"><a href="javascript:alert(1)">链接</a><a href="/ok">正常链接</a>
<table><thead><tr><th>单位</th></tr></thead><tbody><tr><td>区发改局</td></tr></tbody></table>
</body></html>`

describe('scopeBulletinCss', () => {
  it('points body rules at the copy and drops @page', () => {
    const css = scopeBulletinCss('@page { size: A4; }\nbody { color: #000; }\n@media print { body { margin: 0; } }\nh1, body.x { a: b }')
    expect(css).not.toContain('@page')
    expect(css).not.toMatch(/\bbody\b/)
    expect(css).toContain('.bulletin { color: #000; }')
    expect(css).toContain('@media print { .bulletin { margin: 0; } }')
    expect(css).toContain('h1, .bulletin.x')
  })
  it('leaves class names that merely contain the word alone', () => {
    expect(scopeBulletinCss('.tbody-like { a: b }')).toBe('.tbody-like { a: b }')
  })
})

describe('bulletinPrintCopy', () => {
  it('keeps the text and tables, and nothing that could run', () => {
    const { css, nodes } = bulletinPrintCopy(HTML)
    const box = document.createElement('div')
    box.append(...nodes.map((n) => document.importNode(n, true)))
    expect(box.textContent).toContain('楼宇经济工作简报')
    expect(box.querySelector('h1').textContent).toBe('2025年3月工作简报')
    expect(box.querySelector('thead th').textContent).toBe('单位')
    expect(box.querySelector('script')).toBeNull()
    expect(box.querySelector('img').hasAttribute('onerror')).toBe(false)
    const links = [...box.querySelectorAll('a')]
    expect(links[0].hasAttribute('href')).toBe(false)
    expect(links[1].getAttribute('href')).toBe('/ok')
    expect(css).toContain('.masthead { color: #c00000; }')
    expect(window.evil).toBeUndefined()
  })
})

describe('renderPrintCopy', () => {
  it('fills a shadow root of the host with the scoped styles and the bulletin, and empties it again', () => {
    const host = document.createElement('div')
    document.body.append(host)
    renderPrintCopy(host, HTML)
    const root = host.shadowRoot
    expect(root.querySelector('style').textContent).toContain('.bulletin {')
    expect(root.querySelector('.bulletin h1').textContent).toBe('2025年3月工作简报')
    renderPrintCopy(host, HTML)
    expect(root.querySelectorAll('.bulletin').length).toBe(1)
    renderPrintCopy(host, '')
    expect(root.childNodes.length).toBe(0)
    host.remove()
  })
})
