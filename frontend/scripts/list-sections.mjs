#!/usr/bin/env node
/**
 * Print every page of the app as JSON, from the router's own sources: SECTIONS (the app
 * shell's pages, src/router/sections.js) and the 楼长's phone pages (src/mobile/routes.js).
 * The browser tour (tests/browser/test_tour.py) opens each of them for each role, so a page
 * added to SECTIONS is toured without touching the test. The lazy `load` functions are never
 * called: nothing but the plain route data is imported.
 *
 *   node scripts/list-sections.mjs
 *   → [{"name", "path", "title", "roles", "parent", "menu", "mobile"}, …]
 *   roles: null = every signed-in user.
 */
import { SECTIONS } from '../src/router/sections.js'
import { mobileRoutes } from '../src/mobile/routes.js'

export function listPages() {
  const pages = SECTIONS.map((s) => ({
    name: s.name,
    path: s.path,
    title: s.title,
    roles: s.roles ? [...s.roles] : null,
    parent: s.parent || null,
    menu: s.menu !== false,
    mobile: false,
  }))
  for (const shell of mobileRoutes) {
    for (const child of shell.children || []) {
      const path = child.path ? `${shell.path}/${child.path}` : shell.path
      const roles = child.meta?.roles || shell.meta?.roles
      pages.push({
        name: child.name,
        path,
        title: child.meta?.title || '',
        roles: roles ? [...roles] : null,
        parent: null,
        menu: false,
        mobile: true,
      })
    }
  }
  return pages
}

console.log(JSON.stringify(listPages(), null, 2))
