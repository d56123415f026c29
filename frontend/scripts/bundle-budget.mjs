#!/usr/bin/env node
/**
 * The performance budget (issue #7 item 5): how much gzipped JavaScript a first visit needs,
 * read from the build's manifest (dist/.vite/manifest.json, `build.manifest` in vite.config.js).
 *
 * A bundle (frontend/bundle-budget.json) names manifest keys — the index.html entry, a layout,
 * the pages — and counts each of them plus everything they import STATICALLY, transitively
 * (the manifest's `imports`). `dynamicImports` are the other sections' lazy chunks: a visit
 * loads them only when the user goes there, so they are not counted. Each file counts once,
 * at its gzip (level 9) size; KB = 1024 bytes. CSS is reported, not budgeted.
 *
 *   node scripts/bundle-budget.mjs [--dist dist] [--budget bundle-budget.json]
 *                                  [--report dist/bundle-report.json] [--max-js cockpit=300 …]
 *
 * Exit 0 when every bundle is within its budget, 1 when one is over (the message names the
 * bundle and by how much), 2 when the manifest or the budget file cannot be used.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'

export const KB = 1024

/** A usage problem (missing manifest, unknown entry, bad option): exit code 2. */
export class BudgetError extends Error {}

/** Manifest keys matching `pattern`, where `*` matches within one path segment. */
export function matchEntries(manifest, pattern) {
  if (!pattern.includes('*')) return pattern in manifest ? [pattern] : []
  const escaped = pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
  const re = new RegExp(`^${escaped.join('[^/]*')}$`)
  return Object.keys(manifest)
    .filter((key) => re.test(key))
    .sort()
}

/** The manifest keys `roots` reach through static `imports`, transitively (roots included). */
export function staticClosure(manifest, roots) {
  const seen = new Set()
  const stack = [...roots]
  while (stack.length) {
    const key = stack.pop()
    if (seen.has(key)) continue
    const chunk = manifest[key]
    if (!chunk) throw new BudgetError(`manifest.json 中没有 ${key}（被静态引用却不存在）`)
    seen.add(key)
    for (const dep of chunk.imports || []) stack.push(dep)
  }
  return seen
}

/** Bytes of `buffer` gzipped at level 9 (what a server compressing once, hard, would send). */
export function gzipBytes(buffer) {
  return gzipSync(buffer, { level: 9 }).length
}

/**
 * Measure one bundle: `entries` (patterns) → its chunks, and the gzipped JS and CSS of their
 * files, each file once. `readFile(relPath)` returns the file's bytes (from dist/).
 */
export function measureBundle(manifest, entries, readFile) {
  const roots = []
  for (const pattern of entries) {
    const keys = matchEntries(manifest, pattern)
    if (keys.length === 0) throw new BudgetError(`manifest.json 中没有与 ${pattern} 对应的入口`)
    roots.push(...keys)
  }
  const chunks = staticClosure(manifest, roots)
  const jsFiles = new Set()
  const cssFiles = new Set()
  for (const key of chunks) {
    const chunk = manifest[key]
    if (chunk.file?.endsWith('.js')) jsFiles.add(chunk.file)
    for (const css of chunk.css || []) cssFiles.add(css)
  }
  const sizes = (files) => [...files].map((file) => ({ file, gzip: gzipBytes(readFile(file)) })).sort((a, b) => b.gzip - a.gzip)
  const js = sizes(jsFiles)
  const css = sizes(cssFiles)
  const sum = (list) => list.reduce((total, f) => total + f.gzip, 0)
  return { roots, chunks: chunks.size, js, css, jsGzip: sum(js), cssGzip: sum(css) }
}

/** Check every bundle of `budget` against the manifest; `overrides` = { name: maxJsKB }. */
export function checkBudget(manifest, budget, readFile, overrides = {}) {
  const bundles = budget?.bundles
  if (!bundles || typeof bundles !== 'object' || Object.keys(bundles).length === 0) {
    throw new BudgetError('预算文件中没有 bundles')
  }
  for (const name of Object.keys(overrides)) {
    if (!(name in bundles)) throw new BudgetError(`--max-js 指定的 ${name} 不在预算文件中`)
  }
  const results = []
  for (const [name, spec] of Object.entries(bundles)) {
    const maxJsKB = overrides[name] ?? spec.maxJsKB
    if (!Number.isFinite(maxJsKB) || maxJsKB <= 0) throw new BudgetError(`${name} 的 maxJsKB 必须是正数`)
    if (!Array.isArray(spec.entries) || spec.entries.length === 0) throw new BudgetError(`${name} 没有 entries`)
    const measured = measureBundle(manifest, spec.entries, readFile)
    const limit = maxJsKB * KB
    results.push({
      name,
      description: spec.description || '',
      maxJsKB,
      ...measured,
      overBy: Math.max(0, measured.jsGzip - limit),
      ok: measured.jsGzip <= limit,
    })
  }
  return { unit: 'KB = 1024 bytes, gzip level 9', ok: results.every((r) => r.ok), bundles: results }
}

const kb = (bytes) => (bytes / KB).toFixed(1)

/** The small table the CLI prints. */
export function formatReport(report) {
  const rows = [['bundle', 'JS gzip', '预算', 'CSS gzip', '文件', '最大的 JS 文件', '结果']]
  for (const b of report.bundles) {
    const top = b.js[0] ? `${b.js[0].file} ${kb(b.js[0].gzip)} KB` : '—'
    rows.push([b.name, `${kb(b.jsGzip)} KB`, `${b.maxJsKB} KB`, `${kb(b.cssGzip)} KB`, String(b.js.length), top, b.ok ? '通过' : '超出'])
  }
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => displayWidth(r[i]))))
  const line = (r) =>
    r
      .map((cell, i) => cell + ' '.repeat(widths[i] - displayWidth(cell)))
      .join('  ')
      .trimEnd()
  const out = [line(rows[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)]
  out.push(`（KB = 1024 字节；JS 按 gzip 第 9 级压缩计，含静态 import，不含按需加载的其他页面；CSS 仅供参考）`)
  for (const b of report.bundles.filter((x) => !x.ok)) {
    out.push(`✘ ${b.name} 的 JavaScript 为 ${kb(b.jsGzip)} KB（gzip），超出预算 ${b.maxJsKB} KB 共 ${kb(b.overBy)} KB`)
  }
  return out.join('\n')
}

/** Full-width characters take two columns in a terminal. */
function displayWidth(text) {
  let width = 0
  for (const ch of text) width += /[\u1100-\uffef]/.test(ch) ? 2 : 1
  return width
}

/**
 * `--max-js name=KB` (repeatable), `--dist`, `--budget`, `--report`. Defaults are inside
 * `root` (frontend/); paths given are relative to `cwd`.
 */
export function parseArgs(argv, { root = process.cwd(), cwd = process.cwd() } = {}) {
  const options = { dist: resolve(root, 'dist'), budget: resolve(root, 'bundle-budget.json'), report: null, maxJs: {} }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]
    const value = () => {
      const v = argv[++i]
      if (v === undefined) throw new BudgetError(`${arg} 后缺少取值`)
      return v
    }
    if (arg === '--dist') options.dist = resolve(cwd, value())
    else if (arg === '--budget') options.budget = resolve(cwd, value())
    else if (arg === '--report') options.report = resolve(cwd, value())
    else if (arg === '--max-js') {
      const m = /^([\w-]+)=(\d+(?:\.\d+)?)$/.exec(value())
      if (!m) throw new BudgetError('--max-js 的格式是 名称=KB，例如 --max-js cockpit=300')
      options.maxJs[m[1]] = Number(m[2])
    } else throw new BudgetError(`不认识的参数 ${arg}`)
  }
  options.report ??= join(options.dist, 'bundle-report.json')
  return options
}

function readJson(path, what) {
  let text
  try {
    text = readFileSync(path, 'utf8')
  } catch {
    throw new BudgetError(`读不到${what} ${path}${what === '构建清单' ? '：请先运行 npx vite build' : ''}`)
  }
  try {
    return JSON.parse(text)
  } catch {
    throw new BudgetError(`${what} ${path} 不是有效的 JSON`)
  }
}

/** The CLI; returns the exit code. */
export function main(argv, { root = process.cwd(), cwd = process.cwd(), log = console.log, error = console.error } = {}) {
  try {
    const options = parseArgs(argv, { root, cwd })
    const manifest = readJson(join(options.dist, '.vite', 'manifest.json'), '构建清单')
    const budget = readJson(options.budget, '预算文件')
    const report = checkBudget(manifest, budget, (file) => readFileSync(join(options.dist, file)), options.maxJs)
    writeFileSync(options.report, JSON.stringify(report, null, 2) + '\n')
    log(formatReport(report))
    if (!report.ok) {
      error(
        `✘ 超出性能预算：${report.bundles
          .filter((b) => !b.ok)
          .map((b) => `${b.name} 超出 ${kb(b.overBy)} KB`)
          .join('；')}`,
      )
      return 1
    }
    return 0
  } catch (err) {
    if (err instanceof BudgetError) {
      error(`✘ ${err.message}`)
      return 2
    }
    throw err
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = main(process.argv.slice(2), { root: resolve(dirname(fileURLToPath(import.meta.url)), '..') })
}
