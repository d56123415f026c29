"""Stored 特色楼宇 verdicts, kept with the rollups, so no read computes the whole district's.

``featured_verdict`` holds each building's verdict (qualifies, qualifying themes, tenants,
occupied area) per year; ``featured_year`` says which years are stored for every building and
as of which reference date. They are kept:
- incrementally by the rollups' refresh (``metrics.rollups.service.refresh``): the buildings
  whose rollups changed (their tenants, their enterprises' industries, their GFA, their
  attributed tax) are evaluated again for every stored year, in the refresh's transaction;
- whole, by the rollup worker (``ensure``): a year not yet stored, or the current year on a
  new day (its tenants are counted on the day), the current year first, one year per round;
  and every year after a rebuild (``store_all``);
- a rule set by the bureau, or a theme changed by the feed, drops the stored years
  (``invalidate``): until the worker has stored them again, reads compute as before.

Reads (``read``) use the stored verdicts of a year when it is stored as of the reference date
asked; otherwise the caller computes (``metrics.featured.service.evaluate``).

The worker stores years only for a read model the change feed keeps (a database loaded
straight into the tables, as tests do, has nothing that tells a change); ``python -m metrics
rebuild`` stores every year again whatever feeds the read model, right after its swap commits
(``store_all``; readers answer from the verdicts stored before it meanwhile).

Who commits: the caller (the refresh's, the worker's or the rebuild's transaction)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy import delete, func, select, text
from sqlalchemy.orm import Session

from louyu_kit.clock import today_in_china
from louyu_kit.db import utcnow
from metrics.featured import service
from metrics.featured.models import FeaturedVerdict, FeaturedYear, ThemeRule
from metrics.readmodel.models import RmBuilding, SyncState
from metrics.rollups.periods import MAX_YEAR, MIN_YEAR

CHUNK = 500


def _rows(verdicts: Iterable[service.Verdict]) -> list[dict[str, object]]:
    return [
        {
            "building_code": v.building_code,
            "year": v.year,
            "qualifies": v.qualifies,
            "themes": ",".join(v.themes),
            "tenants": int(v.tenants),
            "occupied_area": float(v.occupied_area),
        }
        for v in verdicts
    ]


def _write(session: Session, *, year: int, codes: list[str] | None, verdicts: list[service.Verdict]) -> None:
    """Replace the stored verdicts of ``year`` (of ``codes``, or all) by ``verdicts``."""
    if codes is None:
        session.execute(delete(FeaturedVerdict).where(FeaturedVerdict.year == year))
    else:
        for start in range(0, len(codes), CHUNK):
            chunk = codes[start : start + CHUNK]
            session.execute(
                delete(FeaturedVerdict).where(FeaturedVerdict.year == year, FeaturedVerdict.building_code.in_(chunk))
            )
    rows = _rows(verdicts)
    for start in range(0, len(rows), 5_000):
        session.execute(FeaturedVerdict.__table__.insert(), rows[start : start + 5_000])


def compute_year(session: Session, *, year: int, today: date | None = None) -> int:
    """Evaluate every building for ``year`` and store the verdicts (and the year as stored)."""
    as_of = service.reference_date(year, today=today)
    verdicts = service._evaluate(session, year=year, as_of=as_of, building_codes=None, street_codes=None, explain=False)
    _write(session, year=year, codes=None, verdicts=verdicts)
    stored = session.get(FeaturedYear, year)
    if stored is None:
        session.add(FeaturedYear(year=year, as_of=as_of, computed_at=utcnow()))
    else:
        stored.as_of, stored.computed_at = as_of, utcnow()
    session.flush()
    return len(verdicts)


def uses_tax(session: Session) -> bool:
    """Whether any theme's rule is by tax (only then do figures change verdicts)."""
    return bool(session.scalar(select(func.count()).select_from(ThemeRule).where(ThemeRule.measure == "tax")))


def update_after_refresh(session: Session, *, tenants: Iterable[str], sums: Iterable[tuple[str, str]]) -> int:
    """The rollups' refresh recomputed the occupancy of ``tenants`` (buildings: stays,
    enterprises, GFA changed: every stored year) and the sums of ``sums`` ((building, period):
    figures changed: that year only, and only when a rule is by tax)."""
    done = update_buildings(session, tenants)
    by_year: dict[int, set[str]] = {}
    for building, period in sums:
        if building:
            by_year.setdefault(int(period[:4]), set()).add(building)
    if by_year and uses_tax(session):
        for year, codes in by_year.items():
            done += update_buildings(session, codes, years={year})
    return done


def update_buildings(session: Session, codes: Iterable[str], *, years: set[int] | None = None) -> int:
    """Evaluate ``codes`` again for every stored year (or those of ``years``)."""
    wanted = sorted({c for c in codes if c})
    if not wanted:
        return 0
    stored = select(FeaturedYear.year, FeaturedYear.as_of)
    if years is not None:
        stored = stored.where(FeaturedYear.year.in_(sorted(years)))
    years_as_of = list(session.execute(stored))
    for year, as_of in years_as_of:
        verdicts = service._evaluate(
            session, year=year, as_of=as_of, building_codes=wanted, street_codes=None, explain=False
        )
        _write(session, year=year, codes=wanted, verdicts=verdicts)
    session.flush()
    return len(wanted) * len(years_as_of)


def invalidate(session: Session) -> None:
    """Rules or themes changed: no stored year is current any more (reads compute until the
    worker has stored them again)."""
    session.execute(delete(FeaturedYear))
    session.flush()


def _fed(session: Session) -> bool:
    return bool(session.scalar(select(func.count()).select_from(SyncState).where(SyncState.cursor > 0)))


def due_years(session: Session, *, today: date | None = None) -> list[int]:
    """Years to keep stored but not stored as of their reference date: the current year first,
    then every year with figures, newest first."""
    today = today or today_in_china()
    first, last = session.execute(
        text("SELECT MIN(period), MAX(period) FROM rollup_building_period WHERE period_kind = 'month'")
    ).one()
    years = {today.year}
    if first and last:
        years.update(range(max(int(first[:4]), MIN_YEAR), min(int(last[:4]), MAX_YEAR) + 1))
    stored = dict(session.execute(select(FeaturedYear.year, FeaturedYear.as_of)).all())
    return [y for y in sorted(years, reverse=True) if stored.get(y) != service.reference_date(y, today=today)]


def is_due(session: Session, *, today: date | None = None) -> bool:
    """Whether the worker has a year of verdicts to store (a read model the feed keeps only)."""
    return _fed(session) and bool(due_years(session, today=today))


def ensure(session: Session, *, limit: int | None = 1, fed_only: bool = True, today: date | None = None) -> list[int]:
    """Store the due years (at most ``limit``; None: all). ``fed_only``: only for a read model
    the change feed keeps (the worker); the rebuild stores them whatever feeds it."""
    if fed_only and not _fed(session):
        return []
    due = due_years(session, today=today)
    done = due if limit is None else due[:limit]
    for year in done:
        compute_year(session, year=year, today=today)
    return done


def store_all(session: Session, *, today: date | None = None) -> list[int]:
    """Evaluate and store every year kept or due, whatever feeds the read model (after a
    rebuild: until then readers keep the verdicts stored before it)."""
    stored = set(session.scalars(select(FeaturedYear.year)))
    years = sorted(stored | set(due_years(session, today=today)), reverse=True)
    for year in years:
        compute_year(session, year=year, today=today)
    return years


def read(
    session: Session,
    *,
    year: int,
    as_of: date,
    building_codes: Iterable[str] | None = None,
    street_codes: Iterable[str] | None = None,
) -> list[service.Verdict] | None:
    """The stored verdicts (numbers only, no reasons) of the buildings in scope, ordered by
    code; None when ``year`` is not stored as of ``as_of``."""
    stored = session.get(FeaturedYear, year)
    if stored is None or stored.as_of != as_of:
        return None
    stmt = (
        select(RmBuilding, FeaturedVerdict)
        .join(
            FeaturedVerdict,
            (FeaturedVerdict.building_code == RmBuilding.code) & (FeaturedVerdict.year == year),
            isouter=True,
        )
        .where(RmBuilding.deleted.is_(False))
        .order_by(RmBuilding.code)
    )
    if building_codes is not None:
        stmt = stmt.where(RmBuilding.code.in_(sorted(set(building_codes))))
    if street_codes is not None:
        stmt = stmt.where(RmBuilding.street_code.in_(list(street_codes)))
    names = {code: theme.name for code, theme in service.themes(session).items()}
    out = []
    for building, verdict in session.execute(stmt):
        codes = [c for c in (verdict.themes.split(",") if verdict is not None and verdict.themes else [])]
        out.append(
            service.Verdict(
                building_code=building.code,
                building_name=building.name,
                street_code=building.street_code,
                gfa=building.gfa,
                year=year,
                as_of=as_of,
                qualifies=bool(verdict is not None and verdict.qualifies),
                themes=codes,
                theme_names=[names.get(c, c) for c in codes],
                declared_themes=[t for t in (building.themes or []) if isinstance(t, str)],
                tenants=verdict.tenants if verdict is not None else 0,
                occupied_area=verdict.occupied_area if verdict is not None else 0.0,
                summary="",
            )
        )
    return out
