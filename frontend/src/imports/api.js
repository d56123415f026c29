import { download, get, upload } from '../api/http.js'

/** Spreadsheet import (and the templates for it). Kinds: buildings, spaces, enterprises, occupancies. */
const BASE = '/api/registry/imports'

export const IMPORT_KINDS = Object.freeze([
  { value: 'buildings', label: '楼宇' },
  { value: 'spaces', label: '房源' },
  { value: 'enterprises', label: '企业' },
  { value: 'occupancies', label: '入驻' },
])

/** GET /imports/{kind}/template?format=xlsx|csv → {blob, filename}: the sheet with its Chinese headers. */
export function downloadTemplate(kind, format) {
  return download(`${BASE}/${encodeURIComponent(kind)}/template`, { query: { format } })
}

/**
 * POST /imports/{kind}?dry_run=true|false, multipart `file` →
 * {id, kind, file_name, dry_run, applied, rows_total, created, updated, unchanged, rejected: [{row, column, message}], created_at, actor}.
 * A file with a rejected row is never applied (200, applied=false).
 */
export function runImport(kind, file, { dryRun }) {
  const form = new FormData()
  form.append('file', file, file.name)
  // A large workbook takes a while to check: give it longer than an ordinary call.
  return upload(`${BASE}/${encodeURIComponent(kind)}`, form, { query: { dry_run: dryRun }, timeout: 120_000 })
}

/** GET /imports?kind= → the import history, newest first. */
export function listImports(kind) {
  return get(BASE, { query: { kind } })
}
