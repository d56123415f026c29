"""Attribution: which building an enterprise's figure belongs to (set-based SQL).

The rule (documented for the users in README and the API):

1. **One figure per enterprise, period and kind.** When several sources sent one, the first
   of 税务局 (tax_bureau) > 统计局 (statistics_bureau) > 手工录入 (manual) > 走访 (visit) counts.
2. **Finer figures win.** A quarter total of an enterprise is not counted when the same
   enterprise has any monthly figure of that kind inside the quarter; a year total is not
   counted when it has any monthly or quarterly figure of that kind inside the year. So a
   range never counts the same tax twice.
3. **Where it belongs.** A figure of a period belongs to the buildings the enterprise
   occupied during that period (its stays in the read model, ``rm_occupancy``; the end date
   is the last day in the building). Each stay weighs *occupied area × days of the period it
   covers*; a building's share is its weight ÷ the sum of the enterprise's weights in the
   period. So a move on 15 June splits June by days (14 : 16), two buildings at once split
   by area, and a quarter or year total is split by the stays over that quarter or year.
   Stays without an area (0) count by days alone, and only when no stay of that enterprise
   in the period has an area.
4. **No building.** Figures of an enterprise that occupied no building during the period
   are counted for the district but for no building (``building_code = ''``) and no street.
5. **Rounding.** Each attributed amount is rounded to the fen (0.01 元); the district total
   is the sum of the same rounded amounts, so a split may differ from the raw figure by at
   most 0.01 元 per building.
"""

from __future__ import annotations

from sqlalchemy import bindparam, text
from sqlalchemy.orm import Session

from metrics.rollups.periods import stored_periods_of_year
from metrics.rollups.sections import section_case_sql

KINDS = ("tax_total", "tax_district", "revenue", "employees")
SOURCE_PRIORITY = ("tax_bureau", "statistics_bureau", "manual", "visit")


def _priority_sql() -> str:
    whens = " ".join(f"WHEN '{s}' THEN {i}" for i, s in enumerate(SOURCE_PRIORITY, start=1))
    return f"CASE f.source {whens} ELSE {len(SOURCE_PRIORITY) + 1} END"


def _days_sql(dialect: str, end: str, start: str) -> str:
    """Days from ``start`` to ``end`` inclusive (both dates)."""
    if dialect == "postgresql":
        return f"(({end}) - ({start}) + 1)"
    return f"(CAST(julianday({end}) - julianday({start}) AS INTEGER) + 1)"


def _least(dialect: str, a: str, b: str) -> str:
    return f"LEAST({a}, {b})" if dialect == "postgresql" else f"MIN({a}, {b})"


def _greatest(dialect: str, a: str, b: str) -> str:
    return f"GREATEST({a}, {b})" if dialect == "postgresql" else f"MAX({a}, {b})"


def attribution_select(
    dialect: str, *, dirty_only: bool, year: int | None = None, dirty_table: str = "rollup_dirty"
) -> str:
    """SELECT producing ``rollup_enterprise`` rows.

    ``dirty_only``: only the (credit_code, period) pairs listed in ``dirty_table``;
    ``year``: only that year's periods (a full rebuild goes year by year)."""
    restrict = ""
    if dirty_only:
        restrict = f"JOIN {dirty_table} d ON d.credit_code = f.credit_code AND d.period = f.period"
    # The year as a list of its period keys (not a join on the calendar): the planner then
    # estimates the figures of a year from the statistics of ``fact.period``.
    year_filter = "AND f.period IN :periods" if year is not None else ""
    # Days of the period a stay covers (``c`` is the period's figure with its bounds).
    overlap_end = _least(dialect, "COALESCE(o.end_date, c.end_date)", "c.end_date")
    overlap_start = _greatest(dialect, "o.start_date", "c.start_date")
    days = _days_sql(dialect, overlap_end, overlap_start)
    kind_sums = ",\n      ".join(f"SUM(CASE WHEN r.kind = '{k}' THEN r.value END) AS {k}" for k in KINDS)
    kind_max = ", ".join(f"MAX(s.{k}) AS {k}" for k in KINDS)
    splits = ",\n  ".join(
        f"CASE WHEN x.building_code IS NULL THEN x.{k} "
        f"ELSE ROUND(CAST(x.{k} AS NUMERIC) * CAST(x.w AS NUMERIC) / CAST(x.total AS NUMERIC), 2) END AS {k}"
        for k in KINDS
    )
    # No CTE is joined to another CTE (only to tables, through their indexes) and the weights
    # are window sums: a planner that misjudges a CTE's size cannot fall into a quadratic join.
    return f"""
WITH ranked AS (
  SELECT f.credit_code, f.period, f.kind, f.value,
         ROW_NUMBER() OVER (PARTITION BY f.credit_code, f.period, f.kind ORDER BY {_priority_sql()}) AS rn
  FROM fact f
  {restrict}
  WHERE f.kind IN ('tax_total', 'tax_district', 'revenue', 'employees') {year_filter}
),
chosen AS (
  SELECT r.credit_code, r.period, p.period_kind, p.start_date, p.end_date,
      {kind_sums}
  FROM ranked r
  JOIN rollup_period p ON p.period = r.period
  WHERE r.rn = 1 AND (p.period_kind = 'month' OR NOT EXISTS (
      SELECT 1 FROM fact m JOIN rollup_period pm ON pm.period = m.period
      WHERE m.credit_code = r.credit_code AND m.kind = r.kind AND pm.months < p.months
        AND pm.start_date >= p.start_date AND pm.end_date <= p.end_date))
  GROUP BY r.credit_code, r.period, p.period_kind, p.start_date, p.end_date
),
stays AS (
  SELECT c.credit_code, c.period, c.period_kind, {", ".join(f"c.{k}" for k in KINDS)}, o.building_code,
         CASE WHEN o.area > 0 THEN o.area ELSE 0 END * {days} AS area_w,
         {days} AS day_w
  FROM chosen c
  LEFT JOIN rm_occupancy o ON o.credit_code = c.credit_code AND NOT o.deleted
       AND o.start_date <= c.end_date AND (o.end_date IS NULL OR o.end_date >= c.start_date)
),
per_building AS (
  SELECT s.credit_code, s.period, MIN(s.period_kind) AS period_kind, s.building_code, {kind_max},
         SUM(s.area_w) AS area_w, SUM(s.day_w) AS day_w
  FROM stays s
  GROUP BY s.credit_code, s.period, s.building_code
),
weighted AS (
  SELECT b.*,
         CASE WHEN SUM(b.area_w) OVER (PARTITION BY b.credit_code, b.period) > 0 THEN b.area_w ELSE b.day_w END AS w
  FROM per_building b
),
totalled AS (
  SELECT w.*, SUM(w.w) OVER (PARTITION BY w.credit_code, w.period) AS total
  FROM weighted w
)
SELECT x.credit_code, x.period, COALESCE(x.building_code, '') AS building_code, x.period_kind,
  {section_case_sql("e.industry_code")} AS section,
  CASE WHEN x.building_code IS NULL THEN 1.0 ELSE CAST(x.w AS FLOAT) / CAST(x.total AS FLOAT) END AS share,
  {splits}
FROM totalled x
LEFT JOIN rm_enterprise e ON e.credit_code = x.credit_code
WHERE x.building_code IS NULL OR x.w > 0
"""


INSERT_COLUMNS = "credit_code, period, building_code, period_kind, section, share, " + ", ".join(KINDS)


def insert_attribution(
    session: Session,
    *,
    dirty_only: bool,
    year: int | None = None,
    dirty_table: str = "rollup_dirty",
    target: str = "rollup_enterprise",
) -> None:
    """Insert the attributed rows into ``target`` (the rebuild's shadow table, or the live one)."""
    dialect = session.get_bind().dialect.name
    sql = text(
        f"INSERT INTO {target} ({INSERT_COLUMNS})\n"
        + attribution_select(dialect, dirty_only=dirty_only, year=year, dirty_table=dirty_table)
    )
    params: dict[str, object] = {}
    if year is not None:
        sql = sql.bindparams(bindparam("periods", expanding=True))
        params["periods"] = [key for key, *_rest in stored_periods_of_year(year)]
    session.execute(sql, params)
