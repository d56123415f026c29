import { describe, expect, it } from 'vitest'
import { ApiError } from '../api/http.js'
import { changedFields, compactBody, formErrorState } from './forms.js'

const invalid = (fields, detail = '提交的内容有误') => new ApiError({ status: 422, type: 'ValidationError', detail, fields })

describe('formErrorState', () => {
  it('puts 422 field messages under their inputs', () => {
    const state = formErrorState(
      invalid([
        { field: 'name', message: '名称至少2个字' },
        { field: 'gfa', message: '应大于0' },
      ]),
      ['name', 'gfa'],
    )
    expect(state.fields).toEqual({ name: '名称至少2个字', gfa: '应大于0' })
    expect(state.others).toEqual([])
    expect(state.conflict).toBe(false)
    expect(state.message).toBe('提交的内容有误')
  })

  it('lands nested paths on their form field and lists the rest', () => {
    const state = formErrorState(
      invalid([
        { field: 'spaces.0.area', message: '超过房源面积' },
        { field: 'spaces.1.area', message: '超过房源面积' },
        { field: '', message: '可出租面积不能大于建筑面积' },
        { field: 'body.start_date', message: '日期格式不对' },
      ]),
      ['spaces', 'start_date'],
    )
    expect(state.fields).toEqual({ spaces: '超过房源面积；超过房源面积', start_date: '日期格式不对' })
    expect(state.others).toEqual([{ field: '', message: '可出租面积不能大于建筑面积' }])
  })

  it('says someone else saved first on 412 and offers a reload', () => {
    const state = formErrorState(
      new ApiError({
        status: 412,
        type: 'PreconditionFailed',
        detail: '楼宇“中交大厦”已被他人修改（当前为第 4 版），请刷新后查看最新内容再修改',
      }),
      ['name'],
    )
    expect(state.conflict).toBe(true)
    expect(state.message).toContain('已被他人修改')
    expect(state.fields).toEqual({})
  })

  it('shows a plain sentence for anything that is not an ApiError', () => {
    const state = formErrorState(new Error('boom'), ['name'])
    expect(state.message).toBe('操作失败，请稍后重试')
    expect(state.conflict).toBe(false)
  })
})

describe('changedFields', () => {
  it('keeps only what the user changed; blanks become null; decimal strings equal numbers', () => {
    const original = { name: '中交大厦', gfa: '44800.00', note: '', aliases: ['A'], zone: '滨江商务区', star: 4 }
    const current = { name: '中交大厦', gfa: 44800, note: '  ', aliases: ['A', 'B'], zone: '', star: 4 }
    expect(changedFields(original, current)).toEqual({ aliases: ['A', 'B'], zone: null })
  })

  it('limits itself to the keys asked for', () => {
    expect(changedFields({ a: 1, b: 1 }, { a: 2, b: 2 }, ['a'])).toEqual({ a: 2 })
  })
})

describe('compactBody', () => {
  it('leaves out blanks and empty lists for a create', () => {
    expect(compactBody({ name: '新楼', address: '', aliases: [], gfa: 0, lng: null, flag: false })).toEqual({
      name: '新楼',
      gfa: 0,
      flag: false,
    })
  })
})
