"""The calendar day as the district sees it.

Servers run on UTC; a date typed by a clerk in Wuhan between 00:00 and 08:00 is "today" in China
and "tomorrow" on the server. Every domain rule about days (due dates, lights, future dates,
the current year) asks this module, never ``date.today()``."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

CHINA = ZoneInfo("Asia/Shanghai")


def today_in_china() -> date:
    """Today's date in China Standard Time (UTC+8, no daylight saving)."""
    return datetime.now(CHINA).date()
