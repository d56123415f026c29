import { describe, expect, it } from 'vitest'
import { checkUscc, normaliseUscc, usccCheckChar } from './uscc.js'

// Real-world shape; check characters computed by GB 32100-2015.
const VALID = ['91420106MA4K00014W', '91110000100006485K', '11420106MB1E45678L'].map((c) => c.slice(0, 17) + usccCheckChar(c.slice(0, 17)))

describe('USCC check (GB 32100-2015)', () => {
  it('accepts valid codes', () => {
    for (const code of VALID) expect(checkUscc(code)).toEqual({ ok: true, code })
    expect(usccCheckChar('91420106MA4K00014')).toBe('W') // as the demo data has it
  })

  it('normalises lower case, spaces, hyphens and full-width characters', () => {
    expect(normaliseUscc(' 91420106-ma4k 00014w ')).toBe('91420106MA4K00014W')
    expect(normaliseUscc('９１４２０１０６ＭＡ４Ｋ００014w')).toBe('91420106MA4K00014W')
    expect(checkUscc('91420106ma4k00014w').ok).toBe(true)
  })

  it('rejects any single changed character, saying why', () => {
    const code = VALID[0]
    const alphabet = '0123456789ABCDEFGHJKLMNPQRTUWXY'
    for (let i = 0; i < 18; i++) {
      const other = alphabet[(alphabet.indexOf(code[i]) + 1) % alphabet.length]
      const changed = code.slice(0, i) + other + code.slice(i + 1)
      const result = checkUscc(changed)
      expect(result.ok, `position ${i + 1}`).toBe(false)
      expect(result.reason).toBeTruthy()
    }
  })

  it('explains length, forbidden letters and a wrong check character', () => {
    expect(checkUscc('9142010').reason).toBe('统一社会信用代码应为18位，现为7位')
    const withO = checkUscc('91420106MA4K0O014W')
    expect(withO.reason).toContain('第14位“O”')
    expect(withO.overridable).toBe(false)
    const wrong = checkUscc('91420106MA4K00014X')
    expect(wrong.reason).toBe('校验位不符：按前17位计算应为“W”，实际为“X”')
    expect(wrong.overridable).toBe(true)
  })
})
