import { describe, expect, it } from 'vitest'
import {
  NONE_COLOUR,
  TIER_STYLES,
  boundsOf,
  categoryOf,
  escapeHtml,
  figureOf,
  legendFor,
  markerStyle,
  primaryTheme,
  themeStyles,
  vacancyBand,
} from './colouring.js'

const THEMES = themeStyles([
  { code: 'finance', name: '金融' },
  { code: 'digital', name: '数字经济' },
])

const building = (over = {}) => ({
  code: 'B1',
  name: '长江金融大厦',
  tier: null,
  tax_total: null,
  themes: [],
  featured_themes: [],
  vacancy_rate: null,
  lng: 114.3,
  lat: 30.55,
  ...over,
})

describe('tiers', () => {
  it('uses the tier the API computed and grows the marker with it', () => {
    expect(categoryOf(building({ tier: 'yiyuan' }), 'tier')).toMatchObject({ key: 'yiyuan', label: '1亿–10亿元' })
    expect(categoryOf(building(), 'tier')).toMatchObject({ key: 'none', label: '未达1000万元', colour: NONE_COLOUR })
    const radii = TIER_STYLES.map((t) => categoryOf(building({ tier: t.key === 'none' ? null : t.key }), 'tier').radius)
    expect(radii).toEqual([...radii].sort((a, b) => a - b))
    expect(new Set(radii).size).toBe(TIER_STYLES.length)
  })

  it('lists every band in the legend, highest first, with counts (zero included), each labelled as a band', () => {
    const legend = legendFor([building({ tier: 'yiyuan' }), building({ tier: 'yiyuan' }), building()], 'tier')
    expect(legend.map((e) => [e.label, e.count])).toEqual([
      ['10亿元及以上', 0],
      ['1亿–10亿元', 2],
      ['5000万–1亿元', 0],
      ['1000万–5000万元', 0],
      ['未达1000万元', 1],
    ])
    // Never a tier's name ("5000万元楼宇" means ≥ 5000万 everywhere, 亿元 ones included).
    expect(legend.some((e) => e.label.endsWith('楼宇'))).toBe(false)
  })

  it('says the tax and its band in the tooltip', () => {
    expect(figureOf(building({ tier: 'yiyuan', tax_total: 123456789 }), 'tier')).toBe('税收1.23亿元（1亿–10亿元区间）')
    expect(figureOf(building(), 'tier')).toBe('税收—（未达1000万元区间）')
  })
})

describe('vacancy bands', () => {
  it('puts each boundary in the upper band', () => {
    expect(vacancyBand(building({ vacancy_rate: 0 })).key).toBe('low')
    expect(vacancyBand(building({ vacancy_rate: 0.0999 })).key).toBe('low')
    expect(vacancyBand(building({ vacancy_rate: 0.1 })).key).toBe('mid')
    expect(vacancyBand(building({ vacancy_rate: 0.2 })).key).toBe('high')
    expect(vacancyBand(building({ vacancy_rate: 0.3 })).key).toBe('very-high')
    expect(vacancyBand(building({ vacancy_rate: 1 })).key).toBe('very-high')
  })

  it('keeps a missing rate apart from a nil one', () => {
    expect(vacancyBand(building({ vacancy_rate: null })).key).toBe('unknown')
    expect(figureOf(building({ vacancy_rate: null }), 'vacancy')).toBe('空置率：暂无数据')
    expect(figureOf(building({ vacancy_rate: null, figures_status_label: '未填报' }), 'vacancy')).toBe('空置率：未填报')
    expect(figureOf(building({ vacancy_rate: 0.253 }), 'vacancy')).toBe('空置率：25.3%')
  })

  it('lists every band with its count', () => {
    const legend = legendFor([building({ vacancy_rate: 0.05 }), building({ vacancy_rate: 0.5 }), building()], 'vacancy')
    expect(legend.map((e) => e.count)).toEqual([1, 0, 0, 1, 1])
    expect(legend.map((e) => e.label)).toEqual(['低于10%', '10%–20%', '20%–30%', '30%及以上', '未填报或在建'])
  })
})

describe('themes', () => {
  it('prefers the 特色 verdict, then the first declared theme', () => {
    expect(primaryTheme(building({ themes: ['finance'], featured_themes: ['digital'] }))).toEqual({ code: 'digital', featured: true })
    expect(primaryTheme(building({ themes: ['finance'] }))).toEqual({ code: 'finance', featured: false })
    expect(primaryTheme(building())).toBeNull()
  })

  it('draws a declared-only theme hollow and a 特色 one filled', () => {
    const declared = markerStyle(building({ themes: ['finance'] }), 'theme', THEMES)
    const featured = markerStyle(building({ featured_themes: ['finance'] }), 'theme', THEMES)
    expect(declared.fillColor).toBe('#ffffff')
    expect(declared.color).toBe(THEMES.get('finance').colour)
    expect(featured.fillColor).toBe(THEMES.get('finance').colour)
    expect(figureOf(building({ themes: ['finance'] }), 'theme', THEMES)).toBe('申报主题：金融（未达特色标准）')
    expect(figureOf(building({ featured_themes: ['digital'] }), 'theme', THEMES)).toBe('特色：数字经济')
  })

  it('gives each theme its own colour and lists only the themes present, most first, then none', () => {
    expect(THEMES.get('finance').colour).not.toBe(THEMES.get('digital').colour)
    const legend = legendFor(
      [building({ featured_themes: ['digital'] }), building({ themes: ['digital'] }), building({ themes: ['finance'] }), building()],
      'theme',
      THEMES,
    )
    expect(legend.map((e) => [e.label, e.count])).toEqual([
      ['数字经济', 2],
      ['金融', 1],
      ['无特色主题', 1],
    ])
  })
})

describe('bounds and escaping', () => {
  it('spans the outline and the buildings', () => {
    const outline = {
      type: 'FeatureCollection',
      features: [
        {
          type: 'Feature',
          geometry: {
            type: 'Polygon',
            coordinates: [
              [
                [114.28, 30.47],
                [114.39, 30.47],
                [114.39, 30.63],
                [114.28, 30.47],
              ],
            ],
          },
        },
      ],
    }
    expect(boundsOf(outline, [building({ lng: 114.45, lat: 30.5 })])).toEqual([
      [30.47, 114.28],
      [30.63, 114.45],
    ])
    expect(boundsOf(null, [])).toBeNull()
    expect(boundsOf({ features: [] }, [building({ lng: null, lat: null })])).toBeNull()
  })

  it('escapes what Leaflet renders as HTML', () => {
    expect(escapeHtml('<img src=x onerror="a">&\'')).toBe('&lt;img src=x onerror=&quot;a&quot;&gt;&amp;&#39;')
    expect(escapeHtml(null)).toBe('')
  })
})
