/** The 大屏's dark palette: text ≥ 7:1 on the panels, muted text ≥ 4.5:1 (axe, WCAG AA). */
export const SCREEN_TEXT = {
  fontFamily: "'PingFang SC', 'Microsoft YaHei', 'Noto Sans CJK SC', sans-serif",
  color: '#e6edf7',
}
