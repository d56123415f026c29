"""Reference data: streets, industries, themes, enum labels, and what this registry holds."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, status
from sqlalchemy import exists, select

from louyu_kit.auth import Principal, allow
from louyu_kit.db import SessionDep
from registry.access import READ_ROLES
from registry.buildings.models import OWNERSHIPS, STAGES, Building
from registry.enterprises.models import HQ_LEVELS
from registry.history import service as history
from registry.reference import service
from registry.reference.schemas import (
    EnumOption,
    Enums,
    IndustryRead,
    Meta,
    StreetRead,
    StreetsLoad,
    StreetsLoaded,
    ThemeCreate,
    ThemeRead,
    ThemeWrite,
)
from registry.spaces.models import SPACE_STATUSES

router = APIRouter(tags=["基础数据"])
Reader = Annotated[Principal, allow(*READ_ROLES, "admin")]
# Reference data is business data: the commerce bureau writes it, never the administrator (三员分立).
Bureau = Annotated[Principal, allow("bureau")]


@router.get("/meta", response_model=Meta)
def meta(session: SessionDep, _: Reader) -> Meta:
    """本库概况：是否含演示数据、所属行政区。"""
    district = service.home_district(session)
    demo = bool(session.scalar(select(exists().where(Building.is_demo.is_(True)))))
    return Meta(demo_data=demo, district_code=district.code, district_name=district.name)


@router.get("/streets", response_model=list[StreetRead])
def list_streets(
    session: SessionDep,
    _: Reader,
    district: Annotated[str | None, Query(pattern=r"^\d{6}$", description="区代码（默认全部）")] = None,
) -> list[Any]:
    """街道（统计用区划代码）。"""
    return service.list_streets(session, district_code=district)


@router.post("/streets", response_model=StreetsLoaded, status_code=status.HTTP_200_OK)
def load_streets(data: StreetsLoad, session: SessionDep, _: Bureau) -> StreetsLoaded:
    """加载或更新某个区的街道（其他区部署时使用）。"""
    count = service.load_streets(
        session,
        district_code=data.district_code,
        district_name=data.district_name,
        streets=[(s.code, s.name) for s in data.streets],
    )
    return StreetsLoaded(written=count)


@router.get("/industries", response_model=list[IndustryRead])
def list_industries(
    session: SessionDep,
    _: Reader,
    level: Annotated[
        str | None, Query(pattern="^(section|division)$", description="section 门类 / division 大类")
    ] = None,
    q: Annotated[str | None, Query(max_length=50, description="名称包含或代码前缀")] = None,
) -> list[Any]:
    """国民经济行业分类（GB/T 4754-2017）门类与大类。"""
    return service.list_industries(session, level=level, q=q)


@router.get("/themes", response_model=list[ThemeRead])
def list_themes(session: SessionDep, _: Reader) -> list[Any]:
    """特色主题及其对应的行业代码前缀。"""
    return service.list_themes(session)


def _theme_snapshot(theme: Any) -> dict[str, Any]:
    return {"code": theme.code, "name": theme.name, "industry_prefixes": list(theme.industry_prefixes)}


@router.post("/themes", response_model=ThemeRead, status_code=status.HTTP_201_CREATED)
def create_theme(data: ThemeCreate, session: SessionDep, principal: Bureau) -> Any:
    """新增特色主题（区商务局）。"""
    theme = service.create_theme(session, **data.model_dump())
    history.record(
        session,
        entity="theme",
        entity_id=theme.code,
        op="create",
        before=None,
        after=_theme_snapshot(theme),
        actor=principal.sub,
    )
    return theme


@router.put("/themes/{code}", response_model=ThemeRead)
def update_theme(code: str, data: ThemeWrite, session: SessionDep, principal: Bureau) -> Any:
    """修改特色主题的名称和行业代码前缀（区商务局）。"""
    theme = service.get_theme(session, code)
    before = _theme_snapshot(theme)
    service.update_theme(session, theme, **data.model_dump())
    history.record(
        session,
        entity="theme",
        entity_id=code,
        op="update",
        before=before,
        after=_theme_snapshot(theme),
        actor=principal.sub,
    )
    return theme


@router.get("/enums", response_model=Enums)
def enums(_: Reader) -> Enums:
    """代码值的中文名称（建设阶段、产权类型、房源状态、总部层级）。"""

    def options(mapping: dict[str, str]) -> list[EnumOption]:
        return [EnumOption(value=k, label=v) for k, v in mapping.items()]

    return Enums(
        stage=options(STAGES),
        ownership=options(OWNERSHIPS),
        space_status=options(SPACE_STATUSES),
        hq_level=options(HQ_LEVELS),
    )
