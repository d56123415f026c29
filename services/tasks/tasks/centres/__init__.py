"""招商共享中心: centres, the enterprises they host for a transition period, 入驻率 and 转化率."""
