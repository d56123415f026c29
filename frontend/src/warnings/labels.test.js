import { describe, expect, it } from 'vitest'
import { activeParam, levelOf, mayNote } from './labels.js'

describe('warning labels', () => {
  it('names levels in Chinese', () => {
    expect(levelOf('severe').label).toBe('严重')
    expect(levelOf('major').label).toBe('较重')
    expect(levelOf('whatever').label).toBe('一般')
  })
  it('maps the state filter', () => {
    expect(activeParam('active')).toBe(true)
    expect(activeParam('resolved')).toBe(false)
    expect(activeParam('all')).toBeUndefined()
  })
  it('lets the bureau and streets note, not the leader', () => {
    expect(mayNote(['bureau'])).toBe(true)
    expect(mayNote(['street'])).toBe(true)
    expect(mayNote(['leader'])).toBe(false)
  })
})
