"""Louyu metrics service: tax and revenue facts, KPIs, goals and early warnings."""
