import { download, get } from '../../api/http.js'

/** The audit trail in the gateway (安全审计员 only). */
const BASE = '/api/auth/audit'

/** GET /audit?actor=&action=&result=&since=&until=&page=&page_size= → {items, total} */
export function listAudit(query) {
  return get(BASE, { query })
}

/** GET /audit/actions → [{value, label}]: the actions (and families, ending in ".") to filter by. */
export function listAuditActions() {
  return get(`${BASE}/actions`)
}

/** GET /audit/export?format=csv|xlsx&<the same filters> → {blob, filename} (audited as audit.export). */
export function exportAudit(format, query) {
  return download(`${BASE}/export`, { query: { ...query, format } })
}
