import { describe, expect, it } from 'vitest'
import { checkAlias, checkThemeRule, checkUnit, checkWarningRule, themeRuleBody, warningChanges, warningDrafts } from './rules.js'

describe('checkUnit', () => {
  const good = { code: 'wlj', name: '区文旅局', short_name: '文旅局', kind: 'department', expands_kind: '', sort_order: 100, note: '' }

  it('accepts a well-formed unit', () => {
    expect(checkUnit(good, { creating: true })).toEqual({})
    expect(checkUnit({ ...good, code: '420106001', kind: 'street' }, { creating: true })).toEqual({})
  })

  it('names the field that is wrong', () => {
    expect(checkUnit({ ...good, code: 'WLJ' }, { creating: true })).toHaveProperty('code')
    expect(checkUnit({ ...good, code: '' }, { creating: true }).code).toBe('请填写单位编码')
    expect(checkUnit({ ...good, name: ' 局 ' }, { creating: true }).name).toBe('单位全称至少2个字')
    expect(checkUnit({ ...good, kind: '' }, { creating: true }).kind).toBe('请选择单位类别')
    expect(checkUnit({ ...good, kind: 'collective' }, { creating: true }).expands_kind).toBe('统称必须选择包含哪类单位')
    expect(checkUnit({ ...good, sort_order: -1 }, { creating: true }).sort_order).toBe('排序号应为0至100000的整数')
    expect(checkUnit({ ...good, sort_order: null }, { creating: false }).sort_order).toBeDefined()
  })

  it('does not check the code and kind of a unit being edited (they cannot change)', () => {
    expect(checkUnit({ ...good, code: '', kind: '' }, { creating: false })).toEqual({})
  })
})

describe('checkAlias', () => {
  it('trims the alias and refuses one too short or already there', () => {
    expect(checkAlias('  商务局 ', [])).toEqual({ alias: '商务局' })
    expect(checkAlias('局')).toEqual({ error: '别名至少2个字' })
    expect(checkAlias('商务局', [{ id: 1, alias: '商务局' }])).toEqual({ error: '“商务局”已是本单位的别名' })
  })
})

describe('checkThemeRule', () => {
  const good = { measure: 'area', threshold: '50', min_gfa: '10000', tax_basis: 'tax_total' }

  it('accepts a rule within the API limits', () => {
    expect(checkThemeRule(good)).toEqual({})
    expect(checkThemeRule({ ...good, threshold: '100', min_gfa: '0' })).toEqual({})
    expect(checkThemeRule({ ...good, threshold: '33.33', min_gfa: '12,000.5' })).toEqual({})
  })

  it('refuses a threshold of 0, above 100, with 3 decimals or not a number', () => {
    expect(checkThemeRule({ ...good, threshold: '0' }).threshold).toBe('占比阈值应大于0且不超过100（%）')
    expect(checkThemeRule({ ...good, threshold: '100.5' }).threshold).toBe('占比阈值应大于0且不超过100（%）')
    expect(checkThemeRule({ ...good, threshold: '12.345' }).threshold).toBe('占比阈值最多保留两位小数')
    expect(checkThemeRule({ ...good, threshold: '五十' }).threshold).toBe('请填写占比阈值（数字，单位 %）')
    expect(checkThemeRule({ ...good, threshold: '' }).threshold).toBe('请填写占比阈值（数字，单位 %）')
  })

  it('refuses a negative or empty GFA floor and a tax rule without its basis', () => {
    expect(checkThemeRule({ ...good, min_gfa: '-1' }).min_gfa).toBe('建筑面积下限不能为负数')
    expect(checkThemeRule({ ...good, min_gfa: '' }).min_gfa).toContain('请填写建筑面积下限')
    expect(checkThemeRule({ ...good, measure: 'tax', tax_basis: '' }).tax_basis).toBe('请选择税收口径')
    expect(checkThemeRule({ ...good, measure: 'people' }).measure).toBe('请选择认定口径')
  })

  it('sends the numbers as decimal strings', () => {
    expect(themeRuleBody({ ...good, threshold: ' 40.5 ', min_gfa: '20,000' })).toEqual({
      measure: 'area',
      threshold: '40.5',
      min_gfa: '20000',
      tax_basis: 'tax_total',
    })
  })
})

describe('warning rules', () => {
  const rules = [
    { code: 'tax_drop', name: '税收同比下降', enabled: true, threshold: '20.00', top_n: null, window_days: null, min_base: 1000000 },
    { code: 'top_taxpayer_left', name: '纳税大户迁出', enabled: true, threshold: null, top_n: 50, window_days: 90, min_base: null },
    { code: 'vacancy_high', name: '空置率过高', enabled: true, threshold: '30', top_n: null, window_days: null, min_base: null },
  ]

  it('drafts only the settings each rule has', () => {
    const [tax, top] = warningDrafts(rules)
    expect(tax).toEqual({
      code: 'tax_drop',
      name: '税收同比下降',
      enabled: true,
      threshold: '20',
      top_n: null,
      window_days: null,
      min_base: '1000000',
    })
    expect(top).toMatchObject({ threshold: null, top_n: '50', window_days: '90' })
  })

  it('sends only the rules and fields that changed', () => {
    const drafts = warningDrafts(rules)
    expect(warningChanges(rules, drafts)).toEqual([])
    drafts[0].threshold = '25'
    drafts[1].top_n = '30'
    drafts[2].enabled = false
    expect(warningChanges(rules, drafts)).toEqual([
      { code: 'tax_drop', threshold: '25' },
      { code: 'top_taxpayer_left', top_n: 30 },
      { code: 'vacancy_high', enabled: false },
    ])
    drafts[0].min_base = '2000000.50'
    expect(warningChanges(rules, drafts)[0]).toEqual({ code: 'tax_drop', threshold: '25', min_base: 2000000.5 })
  })

  it('names the setting out of range', () => {
    const [tax, top] = warningDrafts(rules)
    expect(checkWarningRule(tax)).toEqual({})
    expect(checkWarningRule({ ...tax, threshold: '0' }).threshold).toBe('阈值应大于0且不超过100')
    expect(checkWarningRule({ ...tax, min_base: '-5' }).min_base).toMatch(/^起评税额（元）应0至/)
    expect(checkWarningRule({ ...top, top_n: '2.5' }).top_n).toBe('纳税排名前 N 名应为整数')
    expect(checkWarningRule({ ...top, window_days: '' }).window_days).toBe('迁出天数应为数字')
  })
})
