import { describe, expect, it } from 'vitest'
import { cardsFor, historySourcesFor } from './centre.js'

describe('import centre cards', () => {
  it('offers the 区商务局 every kind, with the three histories', () => {
    expect(cardsFor(['bureau']).map((c) => c.key)).toEqual(['buildings', 'spaces', 'enterprises', 'occupancies', 'facts', 'plans'])
    expect(historySourcesFor(['bureau'])).toEqual(['registry', 'facts', 'plans'])
  })

  it('offers streets and 楼长 the registry kinds only', () => {
    for (const role of ['street', 'chief']) {
      expect(cardsFor([role]).map((c) => c.key)).toEqual(['buildings', 'spaces', 'enterprises', 'occupancies'])
      expect(historySourcesFor([role])).toEqual(['registry'])
    }
  })

  it('offers nothing to roles that import nothing', () => {
    expect(cardsFor(['leader'])).toEqual([])
    expect(cardsFor([])).toEqual([])
  })

  it('names a template for every kind but the plan (pasted as text)', () => {
    const cards = cardsFor(['bureau'])
    expect(cards.filter((c) => !c.template).map((c) => c.key)).toEqual(['plans'])
    expect(cards.find((c) => c.key === 'enterprises').to).toEqual({ name: 'imports-registry', query: { kind: 'enterprises' } })
  })
})
