import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { LIGHTS, lightOf } from '../tasks/lights.js'
import { SPACE_STATUSES, spaceStatus } from '../spaces/status.js'
import { TONES, TONE_NAMES, contrastRatio, luminance, severityOf, tone, toneOfChange, toneOfElType, toneVar } from './tones.js'

const css = readFileSync(resolve(__dirname, '../styles/main.css'), 'utf8')
function cssVar(name) {
  const m = new RegExp(`--${name}:\\s*(#[0-9a-fA-F]{3,6})\\s*;`).exec(css)
  return m ? m[1].toLowerCase() : null
}

describe('contrastRatio', () => {
  it('is 21 for black on white and 1 for a colour on itself', () => {
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 5)
    expect(contrastRatio('#fff', '#000')).toBeCloseTo(21, 5)
    expect(contrastRatio('#1f4e8c', '#1f4e8c')).toBeCloseTo(1, 5)
  })
  it('matches known WCAG values', () => {
    // Element Plus' default primary on white, the reason main.css replaces it.
    expect(contrastRatio('#409eff', '#ffffff')).toBeLessThan(4.5)
    expect(contrastRatio('#767676', '#ffffff')).toBeCloseTo(4.54, 2)
  })
  it('refuses what is not a colour', () => {
    expect(() => luminance('red')).toThrow('不是颜色值')
  })
})

describe('the status palette', () => {
  it.each(TONE_NAMES)('%s: text is ≥ 4.5:1 on its background and on white', (name) => {
    const t = TONES[name]
    expect(contrastRatio(t.text, t.background)).toBeGreaterThanOrEqual(4.5)
    expect(contrastRatio(t.text, '#ffffff')).toBeGreaterThanOrEqual(4.5)
  })
  it.each(TONE_NAMES)('%s: the fill of bars and dots is ≥ 3:1 on white', (name) => {
    expect(contrastRatio(TONES[name].fill, '#ffffff')).toBeGreaterThanOrEqual(3)
  })
  it.each(TONE_NAMES)('%s: main.css has the same colours as tones.js', (name) => {
    const t = TONES[name]
    expect(cssVar(`louyu-tone-${name}-text`)).toBe(t.text)
    expect(cssVar(`louyu-tone-${name}-bg`)).toBe(t.background)
    expect(cssVar(`louyu-tone-${name}-border`)).toBe(t.border)
    expect(cssVar(`louyu-tone-${name}-fill`)).toBe(t.fill)
  })
  it('bad news is the product danger colour', () => {
    expect(cssVar('louyu-danger')).toBe(TONES.bad.text)
  })
  it('main.css paints each Element Plus tag type in its tone', () => {
    for (const [type, name] of [
      ['success', 'good'],
      ['warning', 'warn'],
      ['danger', 'bad'],
      ['info', 'neutral'],
    ]) {
      const rule = new RegExp(`\\.el-tag\\.el-tag--${type}\\s*\\{[^}]*--el-tag-text-color:\\s*var\\(--louyu-tone-${name}-text\\)`)
      expect(css).toMatch(rule)
      expect(toneOfElType(type)).toBe(name)
    }
  })
  it('falls back to neutral for anything unknown', () => {
    expect(tone('purple')).toBe(TONES.neutral)
    expect(toneOfElType('')).toBe('neutral')
    expect(toneVar('purple', 'bg')).toBe('var(--louyu-tone-neutral-bg)')
    expect(toneVar('bad', 'fill')).toBe('var(--louyu-tone-bad-fill)')
  })
})

describe('the same meaning looks the same everywhere', () => {
  it('task lights: 正常 good, 预警 warn, 逾期 bad, each with its label', () => {
    expect(LIGHTS.green).toMatchObject({ label: '正常', tone: 'good', color: TONES.good.text, background: TONES.good.background })
    expect(LIGHTS.yellow).toMatchObject({ label: '预警', tone: 'warn', color: TONES.warn.text })
    expect(LIGHTS.red).toMatchObject({ label: '逾期', tone: 'bad', color: TONES.bad.text })
    expect(LIGHTS.done).toMatchObject({ label: '已完成', tone: 'neutral' })
    expect(lightOf('purple')).toMatchObject({ label: 'purple', tone: 'neutral' })
    expect(lightOf(null).label).toBe('—')
  })
  it('a warning on the cockpit has the same tones as a task light', () => {
    expect(severityOf('warning')).toEqual({ tone: 'warn', label: '预警' })
    expect(severityOf(undefined)).toEqual({ tone: 'warn', label: '预警' })
    expect(severityOf('critical')).toEqual({ tone: 'bad', label: '严重' })
    expect(severityOf('low')).toEqual({ tone: 'info', label: '提醒' })
    expect(severityOf('high').tone).toBe(LIGHTS.red.tone)
  })
  it('a rise in tax is good news, a fall bad news', () => {
    expect(toneOfChange('up')).toBe('good')
    expect(toneOfChange('down')).toBe('bad')
    expect(toneOfChange('flat')).toBe('neutral')
    expect(toneOfChange(null)).toBe('neutral')
  })
  it('space statuses: 空置 warn, 已租 good, and every one says its label', () => {
    expect(spaceStatus('vacant')).toMatchObject({ label: '空置', tone: 'warn', color: TONES.warn.text })
    expect(spaceStatus('leased')).toMatchObject({ label: '已租', tone: 'good', border: TONES.good.fill })
    expect(spaceStatus('gone')).toMatchObject({ label: 'gone', tone: 'neutral' })
    for (const s of SPACE_STATUSES) {
      expect(s.label).toBeTruthy()
      expect(contrastRatio(s.color, s.background)).toBeGreaterThanOrEqual(4.5)
    }
  })
})
