/**
 * 统一社会信用代码 (GB 32100-2015): 18 characters from a 31-character alphabet (no I, O,
 * S, V, Z); positions 3–8 are the registering authority's region code (digits); the 18th
 * is a check character computed from the first 17. The server has the last word (and the
 * same rules, services/registry/registry/enterprises/uscc.py); this lets the form say what
 * is wrong before anything is sent.
 */
export const USCC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY'
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]

/** As clerks paste it: full-width to half-width, spaces and hyphens dropped, upper case. */
export function normaliseUscc(value) {
  return String(value ?? '')
    .replace(/[\uFF10-\uFF19\uFF21-\uFF3A\uFF41-\uFF5A]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) - 0xfee0))
    .replace(/[\s\u3000-]/g, '')
    .toUpperCase()
}

/** The check character the first 17 characters call for, or null if one of them is not in the alphabet. */
export function usccCheckChar(first17) {
  let sum = 0
  for (let i = 0; i < 17; i++) {
    const v = USCC_ALPHABET.indexOf(first17[i])
    if (v < 0) return null
    sum += v * WEIGHTS[i]
  }
  return USCC_ALPHABET[(31 - (sum % 31)) % 31]
}

/**
 * `overridable`: the code is well formed (18 allowed characters) and fails only its
 * region digits or check character, so a user may confirm it is real anyway.
 * @returns {{ok: true, code: string} | {ok: false, code: string, reason: string, overridable: boolean}}
 */
export function checkUscc(value) {
  const code = normaliseUscc(value)
  if (code.length !== 18) {
    return { ok: false, code, overridable: false, reason: `统一社会信用代码应为18位，现为${code.length}位` }
  }
  for (let i = 0; i < 18; i++) {
    if (!USCC_ALPHABET.includes(code[i])) {
      return {
        ok: false,
        code,
        overridable: false,
        reason: `第${i + 1}位“${code[i]}”不是代码允许的字符（不使用 I、O、S、V、Z）`,
      }
    }
  }
  if (!/^\d{6}$/.test(code.slice(2, 8))) {
    return { ok: false, code, overridable: true, reason: '第3–8位应为登记管理机关的行政区划代码（6位数字）' }
  }
  const expected = usccCheckChar(code.slice(0, 17))
  if (code[17] !== expected) {
    return {
      ok: false,
      code,
      overridable: true,
      reason: `校验位不符：按前17位计算应为“${expected}”，实际为“${code[17]}”`,
    }
  }
  return { ok: true, code }
}
