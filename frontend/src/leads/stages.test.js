import { describe, expect, it } from 'vitest'
import { nextStages } from './stages.js'

describe('lead pipeline', () => {
  it('moves forward or to lost, never back', () => {
    expect(nextStages('new').map((s) => s.value)).toEqual(['contacted', 'negotiating', 'signed', 'lost'])
    expect(nextStages('negotiating').map((s) => s.value)).toEqual(['signed', 'lost'])
  })

  it('stops at signed or lost', () => {
    expect(nextStages('signed')).toEqual([])
    expect(nextStages('lost')).toEqual([])
  })
})
