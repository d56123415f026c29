/**
 * 统一社会信用代码 (GB 32100-2015): 18 characters from a 31-character alphabet (no I, O,
 * Z, S, V); the 18th is a check character computed from the first 17. The server has the
 * last word; this lets the form say what is wrong before anything is sent.
 */
export const USCC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY'
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]

/** As people type it: spaces dropped, upper case ("91420106 ma4k…" → "91420106MA4K…"). */
export function normaliseUscc(value) {
  return String(value ?? '')
    .replace(/[\s\u3000]/g, '')
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
 * @returns {{ok: true, code: string} | {ok: false, code: string, reason: string}}
 */
export function checkUscc(value) {
  const code = normaliseUscc(value)
  if (code.length !== 18) return { ok: false, code, reason: `统一社会信用代码应为18位，现为${code.length}位` }
  for (let i = 0; i < 18; i++) {
    if (!USCC_ALPHABET.includes(code[i])) {
      return { ok: false, code, reason: `第${i + 1}位“${code[i]}”不是代码允许的字符（不使用 I、O、Z、S、V）` }
    }
  }
  const expected = usccCheckChar(code.slice(0, 17))
  if (code[17] !== expected) {
    return { ok: false, code, reason: `校验位不符：按前17位计算应为“${expected}”，实际为“${code[17]}”` }
  }
  return { ok: true, code }
}
