import { spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { gzipSync } from 'node:zlib'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { KB, checkBudget, formatReport, gzipBytes, matchEntries, measureBundle, staticClosure } from './bundle-budget.mjs'

const SCRIPT = resolve(__dirname, 'bundle-budget.mjs')

// A small app: the entry, a shell, the cockpit (which statically imports a big chart chunk
// and lazily the other pages), two phone pages sharing an api chunk.
const MANIFEST = {
  'index.html': {
    file: 'assets/index.js',
    isEntry: true,
    imports: ['_vendor.js'],
    dynamicImports: ['src/layout/AppShell.vue', 'src/dashboard/DashboardPage.vue', 'src/buildings/BuildingsPage.vue'],
    css: ['assets/index.css'],
  },
  '_vendor.js': { file: 'assets/vendor.js' },
  'src/layout/AppShell.vue': { file: 'assets/AppShell.js', imports: ['index.html', '_vendor.js'] },
  'src/dashboard/DashboardPage.vue': {
    file: 'assets/DashboardPage.js',
    imports: ['index.html', '_chart.js'],
    dynamicImports: ['src/buildings/BuildingsPage.vue'],
    css: ['assets/DashboardPage.css'],
  },
  '_chart.js': { file: 'assets/chart.js', imports: ['_vendor.js'] },
  'src/buildings/BuildingsPage.vue': { file: 'assets/BuildingsPage.js', imports: ['index.html'] },
  'src/mobile/MobileShell.vue': { file: 'assets/MobileShell.js', imports: ['index.html', '_mapi.js'] },
  'src/mobile/HomePage.vue': { file: 'assets/HomePage.js', imports: ['index.html', '_mapi.js'] },
  'src/mobile/TasksPage.vue': { file: 'assets/TasksPage.js', imports: ['index.html', '_mapi.js'] },
  'src/mobile/photo.js': { file: 'assets/photo.js' },
  '_mapi.js': { file: 'assets/mapi.js' },
}

// Random bytes do not compress: the gzip sizes are close to these (KB = 1024 bytes).
const SIZES_KB = {
  'assets/index.js': 8,
  'assets/vendor.js': 10,
  'assets/AppShell.js': 2,
  'assets/DashboardPage.js': 3,
  'assets/chart.js': 20,
  'assets/BuildingsPage.js': 40,
  'assets/MobileShell.js': 1,
  'assets/HomePage.js': 1,
  'assets/TasksPage.js': 1,
  'assets/photo.js': 30,
  'assets/mapi.js': 2,
  'assets/index.css': 1,
  'assets/DashboardPage.css': 1,
}

const BUDGET = {
  bundles: {
    cockpit: { entries: ['index.html', 'src/layout/AppShell.vue', 'src/dashboard/DashboardPage.vue'], maxJsKB: 60 },
    phone: { entries: ['index.html', 'src/mobile/MobileShell.vue', 'src/mobile/*Page.vue'], maxJsKB: 30 },
  },
}

let dist
let files

beforeEach(() => {
  dist = mkdtempSync(join(tmpdir(), 'bundle-budget-'))
  mkdirSync(join(dist, '.vite'))
  mkdirSync(join(dist, 'assets'))
  files = {}
  for (const [file, kb] of Object.entries(SIZES_KB)) {
    files[file] = randomBytes(kb * KB)
    writeFileSync(join(dist, file), files[file])
  }
  writeFileSync(join(dist, '.vite', 'manifest.json'), JSON.stringify(MANIFEST))
  writeFileSync(join(dist, 'budget.json'), JSON.stringify(BUDGET))
})

afterEach(() => rmSync(dist, { recursive: true, force: true }))

const read = (file) => files[file]
const gz = (...names) => names.reduce((sum, f) => sum + gzipSync(files[f], { level: 9 }).length, 0)

describe('staticClosure', () => {
  it('follows static imports transitively, never the lazy pages', () => {
    const keys = staticClosure(MANIFEST, ['src/dashboard/DashboardPage.vue'])
    expect([...keys].sort()).toEqual(['_chart.js', '_vendor.js', 'index.html', 'src/dashboard/DashboardPage.vue'])
    expect(keys.has('src/buildings/BuildingsPage.vue')).toBe(false)
  })

  it('refuses a static import the manifest does not hold', () => {
    expect(() => staticClosure({ a: { file: 'a.js', imports: ['gone'] } }, ['a'])).toThrow('gone')
  })
})

describe('matchEntries', () => {
  it('matches * within one path segment only', () => {
    expect(matchEntries(MANIFEST, 'src/mobile/*Page.vue')).toEqual(['src/mobile/HomePage.vue', 'src/mobile/TasksPage.vue'])
    expect(matchEntries(MANIFEST, 'src/*Page.vue')).toEqual([])
    expect(matchEntries(MANIFEST, 'index.html')).toEqual(['index.html'])
  })
})

describe('measureBundle', () => {
  it('counts each file once at its gzip level 9 size, CSS apart', () => {
    const cockpit = measureBundle(MANIFEST, BUDGET.bundles.cockpit.entries, read)
    expect(cockpit.js.map((f) => f.file).sort()).toEqual(
      ['assets/AppShell.js', 'assets/DashboardPage.js', 'assets/chart.js', 'assets/index.js', 'assets/vendor.js'].sort(),
    )
    expect(cockpit.jsGzip).toBe(
      gz('assets/index.js', 'assets/vendor.js', 'assets/AppShell.js', 'assets/DashboardPage.js', 'assets/chart.js'),
    )
    expect(cockpit.cssGzip).toBe(gz('assets/index.css', 'assets/DashboardPage.css'))
    expect(cockpit.js[0].file).toBe('assets/chart.js') // the biggest first
  })

  it('gzips compressible text to far less than its size', () => {
    expect(gzipBytes(Buffer.from('const a = 1;\n'.repeat(1000)))).toBeLessThan(500)
  })

  it('refuses an entry pattern that matches nothing (a renamed page must not shrink the count)', () => {
    expect(() => measureBundle(MANIFEST, ['src/mobile/Gone.vue'], read)).toThrow('src/mobile/Gone.vue')
  })
})

describe('checkBudget', () => {
  it('passes when every bundle is within its budget', () => {
    const report = checkBudget(MANIFEST, BUDGET, read)
    expect(report.ok).toBe(true)
    expect(report.bundles.map((b) => [b.name, b.ok, b.overBy])).toEqual([
      ['cockpit', true, 0],
      ['phone', true, 0],
    ])
    // phone: entry + vendor + shell + two pages + their api chunk; not photo.js (not a page)
    expect(report.bundles[1].jsGzip).toBe(
      gz('assets/index.js', 'assets/vendor.js', 'assets/MobileShell.js', 'assets/HomePage.js', 'assets/TasksPage.js', 'assets/mapi.js'),
    )
  })

  it('fails the bundle over its budget and says by how much', () => {
    const report = checkBudget(MANIFEST, BUDGET, read, { cockpit: 30 })
    expect(report.ok).toBe(false)
    const cockpit = report.bundles.find((b) => b.name === 'cockpit')
    expect(cockpit.ok).toBe(false)
    expect(cockpit.overBy).toBe(cockpit.jsGzip - 30 * KB)
    expect(cockpit.overBy).toBeGreaterThan(10 * KB)
    expect(report.bundles.find((b) => b.name === 'phone').ok).toBe(true)
    const text = formatReport(report)
    expect(text).toMatch(/✘ cockpit 的 JavaScript 为 \d+\.\d KB（gzip），超出预算 30 KB 共 \d+\.\d KB/)
  })

  it('refuses an override for a bundle it does not know', () => {
    expect(() => checkBudget(MANIFEST, BUDGET, read, { cockpt: 30 })).toThrow('cockpt')
  })
})

describe('the command line', () => {
  const run = (...args) =>
    spawnSync(process.execPath, [SCRIPT, '--dist', dist, '--budget', join(dist, 'budget.json'), ...args], {
      encoding: 'utf8',
    })

  it('exits 0 within budget and writes the report', () => {
    const result = run()
    expect(result.status, result.stderr).toBe(0)
    expect(result.stdout).toContain('cockpit')
    const report = JSON.parse(readFileSync(join(dist, 'bundle-report.json'), 'utf8'))
    expect(report.ok).toBe(true)
    expect(report.bundles.map((b) => b.name)).toEqual(['cockpit', 'phone'])
  })

  it('exits 1 naming the bundle and the overage when a lowered budget is exceeded', () => {
    const result = run('--max-js', 'phone=5')
    expect(result.status).toBe(1)
    expect(result.stderr).toMatch(/超出性能预算：phone 超出 \d+\.\d KB/)
    const report = JSON.parse(readFileSync(join(dist, 'bundle-report.json'), 'utf8'))
    expect(report.ok).toBe(false)
  })

  it('exits 2 with a clear message when there is no build', () => {
    rmSync(join(dist, '.vite'), { recursive: true })
    const result = run()
    expect(result.status).toBe(2)
    expect(result.stderr).toContain('npx vite build')
  })
})
