import { spawnSync } from 'node:child_process'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { SECTIONS } from '../src/router/sections.js'
import { mobileRoutes } from '../src/mobile/routes.js'

// The browser tour opens what this prints: it must be every page the router has.
describe('list-sections.mjs', () => {
  const run = spawnSync(process.execPath, [resolve(__dirname, 'list-sections.mjs')], { encoding: 'utf8' })
  const pages = JSON.parse(run.stdout)

  it('prints every section and every phone page, with its title and roles', () => {
    expect(run.status, run.stderr).toBe(0)
    const phone = mobileRoutes.flatMap((shell) => shell.children.map((child) => child.name))
    expect(pages.map((p) => p.name)).toEqual([...SECTIONS.map((s) => s.name), ...phone])
    for (const page of pages) {
      expect(page.title, page.name).toBeTruthy()
      expect(page.path.startsWith('/'), page.name).toBe(true)
    }
    const admin = pages.find((p) => p.name === 'admin')
    expect(admin.roles).toEqual(SECTIONS.find((s) => s.name === 'admin').roles)
    expect(pages.find((p) => p.name === 'dashboard').roles).toEqual([...SECTIONS.find((s) => s.name === 'dashboard').roles])
    // A section open to every signed-in user would print null (none today: each names its readers).
    for (const s of SECTIONS) expect(pages.find((p) => p.name === s.name).roles, s.name).toEqual(s.roles ? [...s.roles] : null)
  })

  it('gives the phone pages their full path and the roles of the phone shell', () => {
    const visit = pages.find((p) => p.name === 'm-visit')
    expect(visit).toMatchObject({ path: '/m/visit/:code', mobile: true })
    expect(visit.roles).toContain('chief')
    expect(pages.find((p) => p.name === 'm-home').path).toBe('/m')
  })
})
