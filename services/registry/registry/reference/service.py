"""Reference data: shipped files loaded once, then read from the database."""

from __future__ import annotations

import csv
import logging
import re
from functools import lru_cache
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from louyu_kit.errors import Conflict, Invalid, NotFound
from registry.reference.models import District, Industry, Street, Theme

log = logging.getLogger("louyu.registry")
DATA = Path(__file__).resolve().parent / "data"
HOME_DISTRICT = ("420106", "武昌区")


def _rows(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


@lru_cache
def industry_names() -> dict[str, str]:
    """GB/T 4754-2017 sections and divisions shipped with the product: code → name."""
    return {row["code"]: row["name"] for row in _rows("industries_gbt4754_2017.csv")}


def normalise_industry_code(raw: str) -> str | None:
    """``"I6513"`` / ``"6513"`` / ``"65"`` → ``"6513"`` / ``"65"``; None when not a valid code.

    Two to four digits whose first two are a GB/T 4754-2017 大类; a leading 门类 letter is
    accepted when it is the division's own section.
    """
    code = raw.strip().upper()
    section = None
    if code[:1].isalpha():
        section, code = code[:1], code[1:]
    if not re.fullmatch(r"\d{2,4}", code):
        return None
    names = industry_names()
    if code[:2] not in names:
        return None
    if section is not None and section_of(code) != section:
        return None
    return code


@lru_cache
def _division_sections() -> dict[str, str]:
    return {row["code"]: row["section"] for row in _rows("industries_gbt4754_2017.csv") if row["level"] == "division"}


def divisions_of(section: str) -> list[str]:
    """The 2-digit divisions of a 门类 letter."""
    return [d for d, s in _division_sections().items() if s == section]


def section_of(code: str) -> str | None:
    return _division_sections().get(code[:2])


def industry_label(code: str | None) -> str | None:
    if not code:
        return None
    name = industry_names().get(code[:2])
    return f"{section_of(code)}{code} {name}" if name else None


def seed(session: Session) -> None:
    """Load the shipped reference data that is missing (idempotent; themes only into an empty table)."""
    if session.get(District, HOME_DISTRICT[0]) is None:
        session.add(District(code=HOME_DISTRICT[0], name=HOME_DISTRICT[1]))
        session.flush()
    known_streets = set(session.scalars(select(Street.code)))
    for row in _rows("streets_420106.csv"):
        if row["code"] not in known_streets:
            session.add(Street(code=row["code"], name=row["name"], district_code=HOME_DISTRICT[0]))
    known_industries = set(session.scalars(select(Industry.code)))
    for row in _rows("industries_gbt4754_2017.csv"):
        if row["code"] not in known_industries:
            session.add(Industry(**row))
    if session.scalar(select(Theme.code).limit(1)) is None:
        for order, row in enumerate(_rows("themes.csv")):
            session.add(
                Theme(
                    code=row["code"],
                    name=row["name"],
                    industry_prefixes=row["industry_prefixes"].split(),
                    description=row["description"],
                    sort_order=order,
                )
            )
    session.flush()


def seed_database(sessions) -> None:  # type: ignore[no-untyped-def]
    """Seed at start-up; a replica starting at the same moment may win the race, which is fine."""
    try:
        with sessions.begin() as session:
            seed(session)
    except IntegrityError:
        log.info("reference data was seeded concurrently by another process")


def home_district(session: Session) -> District:
    district = session.get(District, HOME_DISTRICT[0])
    if district is None:
        district = session.scalars(select(District).order_by(District.code)).first()
    if district is None:
        raise NotFound("尚未加载行政区划数据")
    return district


def list_streets(session: Session, *, district_code: str | None = None) -> list[Street]:
    stmt = select(Street).order_by(Street.code)
    if district_code:
        stmt = stmt.where(Street.district_code == district_code)
    return list(session.scalars(stmt))


def get_street(session: Session, code: str) -> Street:
    street = session.get(Street, code)
    if street is None:
        raise Invalid(f"街道代码 {code} 不存在", fields=[{"field": "street_code", "message": "不是已登记的街道代码"}])
    return street


def load_streets(session: Session, *, district_code: str, district_name: str, streets: list[tuple[str, str]]) -> int:
    """Create or rename a district's streets; returns how many were written."""
    district = session.get(District, district_code)
    if district is None:
        session.add(District(code=district_code, name=district_name))
    else:
        district.name = district_name
    session.flush()
    for code, name in streets:
        street = session.get(Street, code)
        if street is None:
            session.add(Street(code=code, name=name, district_code=district_code))
        else:
            street.name = name
    session.flush()
    return len(streets)


def list_industries(session: Session, *, level: str | None = None, q: str | None = None) -> list[Industry]:
    stmt = select(Industry)
    if level:
        stmt = stmt.where(Industry.level == level)
    if q:
        stmt = stmt.where(Industry.name.contains(q.strip()) | Industry.code.startswith(q.strip().upper()))
    rows = list(session.scalars(stmt))
    # Section letter first, then its divisions in number order.
    return sorted(rows, key=lambda r: (r.section, r.level != "section", r.code))


def list_themes(session: Session) -> list[Theme]:
    return list(session.scalars(select(Theme).order_by(Theme.sort_order, Theme.code)))


def get_theme(session: Session, code: str) -> Theme:
    theme = session.get(Theme, code)
    if theme is None:
        raise NotFound(f"特色主题 {code} 不存在")
    return theme


def create_theme(session: Session, *, code: str, name: str, industry_prefixes: list[str], description: str) -> Theme:
    if session.get(Theme, code) is not None:
        raise Conflict(f"主题代码 {code} 已存在")
    if session.scalar(select(Theme.code).where(Theme.name == name)) is not None:
        raise Conflict(f"主题名称“{name}”已存在")
    order = len(list_themes(session))
    theme = Theme(code=code, name=name, industry_prefixes=industry_prefixes, description=description, sort_order=order)
    session.add(theme)
    session.flush()
    return theme


def update_theme(session: Session, theme: Theme, *, name: str, industry_prefixes: list[str], description: str) -> Theme:
    clash = session.scalar(select(Theme.code).where(Theme.name == name, Theme.code != theme.code))
    if clash is not None:
        raise Conflict(f"主题名称“{name}”已被主题 {clash} 使用")
    theme.name, theme.industry_prefixes, theme.description = name, industry_prefixes, description
    session.flush()
    return theme


def validate_themes(session: Session, codes: list[str]) -> list[str]:
    known = {t.code for t in list_themes(session)}
    unknown = [c for c in codes if c not in known]
    if unknown:
        raise Invalid(
            f"特色主题 {'、'.join(unknown)} 不存在",
            fields=[{"field": "themes", "message": f"未知主题：{'、'.join(unknown)}"}],
        )
    return sorted(set(codes))
