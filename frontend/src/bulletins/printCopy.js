/**
 * The paper copy of a bulletin on the 工作简报 page. The bulletin is shown in a sandboxed
 * iframe, and a browser does not split an iframe across printed sheets; so when the page
 * itself is printed (Ctrl+P), a copy of the bulletin's body stands in for the iframe, in a
 * shadow root so that its 公文 styles (仿宋, the red masthead) apply to it alone.
 *
 * The HTML is the tasks service's own (every value escaped there); the copy is still made
 * inert: parsed by DOMParser (nothing runs), then stripped of scripts, frames, forms, styles
 * sheets from elsewhere, event handler attributes and javascript: links.
 */

const DROPPED = 'script, iframe, frame, object, embed, link, meta, base, form, noscript'

/** The bulletin's CSS made to apply to the copy's wrapper instead of the document's body. */
export function scopeBulletinCss(css) {
  return String(css || '')
    .replace(/@page\s*\{[^}]*\}/g, '')
    .replace(/(^|[\s,{}])(html|body)(?=[\s,{.:#[])/g, '$1.bulletin')
}

/**
 * @param {string} html  the bulletin document (GET /api/tasks/bulletins/{id}/html)
 * @returns {{css: string, nodes: Node[]}}  nodes belong to a detached document: import them
 */
export function bulletinPrintCopy(html) {
  const doc = new DOMParser().parseFromString(String(html || ''), 'text/html')
  const css = [...doc.querySelectorAll('style')].map((s) => s.textContent).join('\n')
  doc.querySelectorAll(`style, ${DROPPED}`).forEach((n) => n.remove())
  for (const el of doc.body.querySelectorAll('*')) {
    for (const attr of [...el.attributes]) {
      const name = attr.name.toLowerCase()
      const url = ['href', 'src', 'xlink:href', 'action', 'formaction'].includes(name)
      if (name.startsWith('on') || (url && /^\s*(javascript|data|vbscript):/i.test(attr.value))) el.removeAttribute(attr.name)
    }
  }
  return { css: scopeBulletinCss(css), nodes: [...doc.body.childNodes] }
}

/** Put the paper copy of `html` into `host` (an element shown only in print), replacing what was there. */
export function renderPrintCopy(host, html) {
  if (!host) return
  const root = host.shadowRoot || host.attachShadow({ mode: 'open' })
  if (!html) {
    root.replaceChildren()
    return
  }
  const { css, nodes } = bulletinPrintCopy(html)
  const style = document.createElement('style')
  style.textContent = css
  const wrapper = document.createElement('div')
  wrapper.className = 'bulletin'
  wrapper.append(...nodes.map((n) => document.importNode(n, true)))
  root.replaceChildren(style, wrapper)
}
