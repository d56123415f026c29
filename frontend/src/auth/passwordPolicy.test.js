import { describe, expect, it } from 'vitest'
import { policyChecklist } from './passwordPolicy.js'
import { isRetryable, pendingOnDevice } from '../mobile/draftQueue.js'

const ok = (list) => Object.fromEntries(list.map((c) => [c.key, c.ok]))

describe('the password policy as typed (the gateway rules)', () => {
  it('ticks each rule as the password grows', () => {
    expect(ok(policyChecklist('abc', { username: 'chief9', confirm: '' }))).toEqual({
      length: false,
      classes: false,
      username: true,
      confirm: false,
    })
    expect(ok(policyChecklist('Louyu-2026', { username: 'chief9', confirm: 'Louyu-2026' }))).toEqual({
      length: true,
      classes: true,
      username: true,
      confirm: true,
    })
  })

  it('refuses a password containing the user name, whatever the case', () => {
    expect(ok(policyChecklist('XChief9-abc', { username: 'chief9' })).username).toBe(false)
  })
})

describe('visits waiting while the account must change its password', () => {
  it('are kept to send later, not marked refused', () => {
    expect(isRetryable({ status: 403, type: 'PasswordChangeRequired' })).toBe(true)
    expect(isRetryable({ status: 403, type: 'Forbidden' })).toBe(false)
  })

  it('are counted on the sign-in page after a session ended', () => {
    const data = { 'louyu.visitDrafts.chief9': JSON.stringify([{ id: 'a' }, { id: 'b' }]), other: '1' }
    const storage = { length: 2, key: (i) => Object.keys(data)[i], getItem: (k) => data[k] }
    expect(pendingOnDevice(storage)).toBe(2)
  })
})
