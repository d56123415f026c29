"""Accessibility checks in the browser: axe-core (frontend/node_modules/axe-core) on the WCAG 2
A and AA rules, and the keyboard checks (every control reachable by Tab, focus visible).

axe is evaluated in the page rather than added with ``page.add_script_tag``: the product's CSP
(``script-src 'self'``) refuses an inline script tag, and switching the CSP off for the tour
(``bypass_csp``) would also hide the CSP violations the tour must see as console errors.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from playwright.sync_api import Page

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "frontend" / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ("wcag2a", "wcag2aa")


@dataclass(frozen=True)
class Exclusion:
    """One axe finding we cannot fix in our code: the rule, a CSS selector the offending node
    matches or lies within, and why."""

    rule: str
    within: str
    why: str


# Keep this list short and exact: each entry is an Element Plus internal, not our markup.
EXCLUSIONS: tuple[Exclusion, ...] = (
    Exclusion(
        rule="label",
        within=".el-pagination__sizes",
        why="el-pagination renders its page-size <el-select> itself and offers no prop to name it "
        "(Element Plus 2.14); the page numbers and jumper next to it are named",
    ),
)


@cache
def _axe_source() -> str:
    return AXE.read_text(encoding="utf-8")


_RUN_JS = """([tags, exclusions]) => {
    const excluded = (rule, target) => {
        const el = target.length === 1 ? document.querySelector(target[0]) : null
        return exclusions.some(([r, within]) => r === rule && el && el.closest(within))
    }
    window.__louyuAxe = window.axe
        .run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] })
        .then((r) => r.violations.map((v) => ({
            id: v.id,
            help: v.help,
            nodes: v.nodes
                .filter((n) => !excluded(v.id, n.target))
                .map((n) => ({ target: n.target.join(' '), html: n.html.slice(0, 160) })),
        })))
}"""


def start_axe(page: Page) -> None:
    """Start axe on the page as it is now without waiting for it (pages at two sizes can then
    be checked at the same time); ``axe_violations`` collects the answer."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(_axe_source())
    page.evaluate(_RUN_JS, [list(TAGS), [[e.rule, e.within] for e in EXCLUSIONS]])


def axe_violations(page: Page) -> list[str]:
    """The WCAG 2 A/AA violations on the page (started by ``start_axe``, or now), one line per
    rule: where it first occurs and how many more nodes have it."""
    if not page.evaluate("() => window.__louyuAxe !== undefined"):
        start_axe(page)
    result = page.evaluate("() => window.__louyuAxe.finally(() => { delete window.__louyuAxe })")
    lines = []
    for violation in result:
        nodes = violation["nodes"]
        if not nodes:
            continue
        # One line per rule: the first node in full, how many more (a table repeats its rows).
        more = f" (+{len(nodes) - 1} more)" if len(nodes) > 1 else ""
        lines.append(f"{violation['id']} ({violation['help']}) at {nodes[0]['target']} {nodes[0]['html']}{more}")
    return lines


# ----- keyboard ---------------------------------------------------------------------------

# What a keyboard user must be able to reach: the visible, enabled controls. Radios count per
# group (Tab enters a group once; the arrow keys move inside it).
_INTERACTIVE_JS = """
() => {
  const SELECTOR = 'a[href], button, input, select, textarea, [tabindex], [contenteditable="true"], summary'
  const visible = (el) => {
    const r = el.getBoundingClientRect()
    if (r.width < 1 || r.height < 1) return false
    const s = getComputedStyle(el)
    return s.visibility !== 'hidden' && s.display !== 'none' && Number(s.opacity) > 0
  }
  const key = (el) => {
    if (el.type === 'radio' && el.name) return 'radio:' + el.name
    if (!el.dataset.kbId) el.dataset.kbId = String(Math.random()).slice(2)
    return el.dataset.kbId
  }
  const label = (el) => (el.getAttribute('aria-label') || el.innerText || el.value || el.placeholder || el.tagName)
    .trim().slice(0, 40)
  const out = []
  for (const el of document.querySelectorAll(SELECTOR)) {
    if (el.disabled || el.closest('[inert], [aria-hidden="true"]')) continue
    const t = el.getAttribute('tabindex')
    if (t !== null && Number(t) < 0) continue
    // Element Plus hides the native radio and checkbox; its label is what shows.
    const shown = el.matches('input[type=radio], input[type=checkbox]') ? el.closest('label') || el : el
    if (!visible(shown)) continue
    out.push({ key: key(el), what: `${el.tagName.toLowerCase()} "${label(el)}"` })
  }
  return out
}
"""

# Where a focus indicator may be drawn: the control and its wrappers (Element Plus draws an
# input's ring on .el-input__wrapper), and for a hidden native radio or checkbox the element
# right after it (Element Plus outlines .el-radio-button__inner).
_RINGS_JS = """(el) => {
  const nodes = []
  for (let node = el, depth = 0; node && node !== document.body && depth < 4; depth++) {
    nodes.push(node)
    node = node.parentElement
  }
  if (el.matches('input[type=radio], input[type=checkbox]') && el.nextElementSibling) nodes.push(el.nextElementSibling)
  return nodes.map((node) => {
    const c = getComputedStyle(node)
    const drawn = c.outlineStyle !== 'none' && parseFloat(c.outlineWidth) > 0
    const outline = drawn ? `${c.outlineStyle} ${c.outlineWidth} ${c.outlineColor}` : ''
    return { outline, shadow: c.boxShadow !== 'none' ? c.boxShadow : '' }
  })
}"""

_FOCUSED_JS = (
    """
() => {
  const RINGS = """
    + _RINGS_JS
    + """
  const el = document.activeElement
  if (!el || el === document.body) return null
  const key = el.type === 'radio' && el.name ? 'radio:' + el.name : (el.dataset.kbId ||= String(Math.random()).slice(2))
  const shown = el.matches('input[type=radio], input[type=checkbox]') ? el.closest('label') || el : el
  const r = shown.getBoundingClientRect()
  const s = getComputedStyle(shown)
  const visible = r.width >= 1 && r.height >= 1 && s.visibility !== 'hidden' && s.display !== 'none'
  const rings = RINGS(el)
  const label = (el.getAttribute('aria-label') || el.innerText || el.value || el.placeholder || el.tagName)
  return { key, visible, rings, what: `${el.tagName.toLowerCase()} "${label.trim().slice(0, 40)}"` }
}
"""
)


def positive_tabindex(page: Page) -> list[str]:
    return page.evaluate(
        """() => [...document.querySelectorAll('[tabindex]')]
            .filter((el) => Number(el.getAttribute('tabindex')) > 0)
            .map((el) => el.outerHTML.slice(0, 120))"""
    )


def keyboard_problems(page: Page, *, within: str | None = None, max_tabs: int = 400) -> list[str]:
    """Tab through the page (or a dialog: ``within``) and report controls Tab never reaches,
    focus landing on something hidden, and focus without a visible indicator (no outline or
    box-shadow that differs from the same element's unfocused one)."""
    problems = [f"positive tabindex: {html}" for html in positive_tabindex(page)]
    wanted = page.evaluate(_INTERACTIVE_JS)
    if within:
        inside = set(
            page.locator(within).first.evaluate(
                """(root) => [...root.querySelectorAll('[data-kb-id], input[type=radio]')]
                    .map((el) => el.type === 'radio' && el.name ? 'radio:' + el.name : el.dataset.kbId)"""
            )
        )
        wanted = [w for w in wanted if w["key"] in inside]
    reached: dict[str, dict] = {}
    first_key = None
    for _ in range(max_tabs):
        page.keyboard.press("Tab")
        focused = page.evaluate(_FOCUSED_JS)
        if focused is None:
            continue
        if focused["key"] == first_key:
            break  # back where we started: a full round
        first_key = first_key or focused["key"]
        if focused["key"] in reached:
            continue
        reached[focused["key"]] = focused
        if not focused["visible"]:
            problems.append(f"focus on something hidden: {focused['what']}")
            continue
        unfocused = page.evaluate(
            """async () => {
                const RINGS = """
            + _RINGS_JS
            + """
                const el = document.activeElement
                el.blur()
                // Element Plus marks focus with a class (is-focus) that Vue removes on its next tick.
                await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve)))
                return RINGS(el)
            }"""
        )
        # Put focus back the way the keyboard had it (Shift+Tab then Tab would do the same).
        page.evaluate(
            """async (key) => {
                const el = key.startsWith('radio:')
                    ? document.querySelector(`input[type=radio][name="${key.slice(6)}"]:checked`)
                      || document.querySelector(`input[type=radio][name="${key.slice(6)}"]`)
                    : document.querySelector(`[data-kb-id="${key}"]`)
                el?.focus({ focusVisible: true })
                await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve)))
            }""",
            focused["key"],
        )
        shows = any(
            (ring["outline"] and ring["outline"] != before["outline"])
            or (ring["shadow"] and ring["shadow"] != before["shadow"])
            for ring, before in zip(focused["rings"], unfocused, strict=False)
        )
        if not shows:
            problems.append(f"no visible focus indicator: {focused['what']}")
    if not wanted or not reached:
        problems.append(f"nothing to check: {len(wanted)} visible controls, {len(reached)} reached by Tab")
    missing = [w["what"] for w in wanted if w["key"] not in reached]
    problems += [f"not reachable by Tab: {what}" for what in dict.fromkeys(missing)]
    return problems
