"""Louyu tasks service: the work plan, tasks, supervision, 扫楼 visits, leads, demands."""
