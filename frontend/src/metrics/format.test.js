import { describe, expect, it } from 'vitest'
import {
  changeTone,
  formatAxisNumber,
  formatChange,
  formatCount,
  formatFigure,
  formatPointChange,
  goalProgress,
  moneyAxisUnit,
  scaleMoney,
} from './format.js'

describe('formatChange (同比)', () => {
  it('signs the change', () => {
    expect(formatChange(0.123)).toBe('+12.3%')
    expect(formatChange(-0.05)).toBe('-5.0%')
    expect(formatChange(0)).toBe('0.0%')
    expect(formatChange(-0.00001)).toBe('0.0%')
    expect(formatChange('0.2')).toBe('+20.0%')
  })
  it('shows a missing comparison as a dash, not as zero', () => {
    expect(formatChange(null)).toBe('—')
    expect(formatChange(undefined)).toBe('—')
  })
  it('gives the tone for colouring', () => {
    expect(changeTone(0.2)).toBe('up')
    expect(changeTone(-0.2)).toBe('down')
    expect(changeTone(0)).toBe('flat')
    expect(changeTone(null)).toBeNull()
  })
})

describe('points and counts', () => {
  it('writes occupancy changes in percentage points', () => {
    expect(formatPointChange(0.034)).toBe('+3.4个百分点')
    expect(formatPointChange(-0.12)).toBe('-12.0个百分点')
    expect(formatPointChange(0)).toBe('0.0个百分点')
    expect(formatPointChange(null)).toBe('—')
  })
  it('puts the measure word after a count', () => {
    expect(formatCount(27, '栋')).toBe('27栋')
    expect(formatCount(12000, '家')).toBe('12,000家')
    expect(formatCount(null, '栋')).toBe('—')
  })
})

describe('chart axis units', () => {
  it('chooses one unit for the whole axis from its largest value', () => {
    expect(moneyAxisUnit([5e7, 2.3e8, null])).toEqual({ unit: '亿元', divisor: 1e8 })
    expect(moneyAxisUnit([5e5, 9e6])).toEqual({ unit: '万元', divisor: 1e4 })
    expect(moneyAxisUnit([800, -300])).toEqual({ unit: '元', divisor: 1 })
    expect(moneyAxisUnit([])).toEqual({ unit: '元', divisor: 1 })
  })
  it('scales values and keeps gaps', () => {
    expect(scaleMoney(123456789, 1e8)).toBe(1.23)
    expect(scaleMoney('25000000', 1e4)).toBe(2500)
    expect(scaleMoney(null, 1e4)).toBeNull()
    expect(formatAxisNumber(12000)).toBe('12,000')
    expect(formatAxisNumber(1.5)).toBe('1.5')
  })
})

describe('goalProgress', () => {
  it('counts an increment goal from its baseline (+2 亿元楼宇)', () => {
    const g = goalProgress({ baseline: 27, target: 2, current: 28, unit: '栋', increment: true })
    expect(g.done).toBe(1)
    expect(g.ratio).toBe(0.5)
    expect(g.reached).toBe(false)
    expect(g.text).toBe('已新增1栋 / 目标+2栋')
  })
  it('counts an absolute goal as is (3 centres), capped at 100%', () => {
    const g = goalProgress({ target: 3, current: 4, unit: '个' })
    expect(g.ratio).toBe(1)
    expect(g.reached).toBe(true)
    expect(g.text).toBe('4个 / 目标3个')
  })
  it('never goes below zero (buildings lost since the baseline)', () => {
    expect(goalProgress({ baseline: 27, target: 2, current: 25, increment: true }).ratio).toBe(0)
  })
  it('says when the current value has not been entered yet', () => {
    expect(goalProgress({ target: 3, unit: '个' }).text).toBe('目标3个（当前值尚未填报）')
    expect(goalProgress({ target: 2, unit: '栋', increment: true }).text).toBe('目标+2栋（当前值尚未填报）')
    expect(goalProgress({ target: 2 }).ratio).toBeNull()
    expect(goalProgress({ current: 2 }).text).toBe('—')
  })
})

describe('formatFigure (KPI cards)', () => {
  it('writes each kind of figure with its unit', () => {
    expect(formatFigure('money', 2.5e9)).toBe('25.00亿元')
    expect(formatFigure('money', 3456789)).toBe('345.68万元')
    expect(formatFigure('count', 27, '栋')).toBe('27栋')
    expect(formatFigure('percent', 0.853)).toBe('85.3%')
    expect(formatFigure('per_m2', 4373.2)).toBe('4,373元/㎡')
    expect(formatFigure('area', 123456)).toBe('12.35万㎡')
    expect(formatFigure('area', 8500)).toBe('8,500㎡')
    expect(formatFigure('money', null)).toBe('—')
  })
})
