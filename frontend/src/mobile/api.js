import { get, post, upload } from '../api/http.js'
import { toVisitBody } from './visitForm.js'

/** What the phone pages ask of the registry and the tasks service. */
const REGISTRY = '/api/registry'
const TASKS = '/api/tasks'

/** GET /api/registry/buildings: the buildings the server lets this user see (a 楼长: their own). */
export function myBuildings() {
  return get(`${REGISTRY}/buildings`, { query: { page_size: 100 } })
}

export function getBuilding(code) {
  return get(`${REGISTRY}/buildings/${encodeURIComponent(code)}`)
}

/** GET /api/registry/buildings/{code}/spaces → the floors and units (房源). */
export function buildingSpaces(code) {
  return get(`${REGISTRY}/buildings/${encodeURIComponent(code)}/spaces`)
}

/** GET /api/registry/buildings/{code}/tenants → the enterprises in the building today. */
export function buildingTenants(code) {
  return get(`${REGISTRY}/buildings/${encodeURIComponent(code)}/tenants`)
}

/**
 * Send one queued visit draft: POST /api/tasks/visits with the draft id as Idempotency-Key
 * and client_ref (a repeat after a lost answer returns the same visit), then its photos one
 * by one (POST /visits/{id}/photos). Each photo sent is reported through `onPhotoSent`, so
 * that a retry after a dropped connection sends only the photos still missing.
 */
export async function submitVisit(draft, { onPhotoSent = () => {} } = {}) {
  const visit = await post(`${TASKS}/visits`, toVisitBody(draft), {
    headers: { 'Idempotency-Key': draft.id },
    timeout: 20_000,
  })
  for (const photo of draft.payload?.photos || []) {
    if (photo.sent) continue
    const form = new FormData()
    form.append('file', dataUrlToBlob(photo.data), photo.name || 'photo.jpg')
    await upload(`${TASKS}/visits/${visit.id}/photos`, form, { timeout: 60_000 })
    onPhotoSent(photo.id)
  }
  return visit
}

export function dataUrlToBlob(dataUrl) {
  const [head, body] = String(dataUrl).split(',')
  const type = /data:([^;]+)/.exec(head)?.[1] || 'application/octet-stream'
  const bytes = atob(body || '')
  const out = new Uint8Array(bytes.length)
  for (let i = 0; i < bytes.length; i += 1) out[i] = bytes.charCodeAt(i)
  return new Blob([out], { type })
}

/** GET /api/tasks/tasks/mine → the tasks of the user's unit(s), by due date. */
export function myTasks() {
  return get(`${TASKS}/tasks/mine`, { query: { page_size: 100 } })
}

/** POST /api/tasks/tasks/{id}/updates {progress, text} → 201 (the new timeline entry). */
export function postTaskUpdate(taskId, body) {
  return post(`${TASKS}/tasks/${encodeURIComponent(taskId)}/updates`, body)
}

/** GET /api/tasks/policy-pushes?building&pending=true → policies pushed to this building not yet delivered. */
export function pendingPolicyPushes(code) {
  return get(`${TASKS}/policy-pushes`, { query: { building: code, pending: true, page_size: 50 } })
}
