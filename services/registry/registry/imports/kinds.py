"""What each import kind's columns are, how a row becomes a create or an update, and how a
record becomes an export row. The Chinese headers are the template's and the export's.

A blank cell leaves the current value unchanged on update (so an export can be edited and
re-imported); phone numbers are exported masked and a masked number on import means "unchanged".
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from pydantic import BaseModel, ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from louyu_kit.changes import savepoint
from louyu_kit.errors import Invalid, LouyuError, field_errors
from louyu_kit.privacy import mask_phone
from registry.access import ASSIGNEE_FIELDS, Access
from registry.buildings import service as buildings
from registry.buildings.models import OWNERSHIPS, STAGES, Building
from registry.buildings.schemas import BuildingCreate, BuildingUpdate
from registry.clients.gateway import Account
from registry.enterprises import service as enterprises
from registry.enterprises import uscc
from registry.enterprises.models import HQ_LEVELS, Enterprise
from registry.enterprises.schemas import EnterpriseCreate, EnterpriseUpdate
from registry.occupancy import service as occupancy
from registry.occupancy.models import Occupancy
from registry.occupancy.schemas import OccupancyCreate, OccupancyUpdate, SpacePart
from registry.reference import service as reference
from registry.spaces import service as spaces
from registry.spaces.models import SPACE_STATUSES, Space
from registry.spaces.schemas import SpaceCreate, SpaceUpdate

TRUE = {"是", "y", "yes", "true", "1", "√", "✓", "有"}
FALSE = {"否", "n", "no", "false", "0", "×", "✗", "无"}
LIST_SPLIT = re.compile(r"[、;；,，|]")


class RowError(Exception):
    """A cell that cannot be read: the column header and a Chinese reason."""

    def __init__(self, column: str, message: str, *, more: list[tuple[str, str]] | None = None) -> None:
        super().__init__(message)
        self.column = column
        self.message = message
        self.more = more or []

    @property
    def problems(self) -> list[tuple[str, str]]:
        """Every problem of the row: (column, reason), the first one first."""
        return [(self.column, self.message), *self.more]

    @classmethod
    def of(cls, problems: list[tuple[str, str]]) -> RowError:
        return cls(problems[0][0], problems[0][1], more=problems[1:])


# ----- cell parsers (text → value; raise ValueError with a Chinese reason) ----------------


def text(value: str) -> str:
    return value.strip()


def number(value: str) -> float:
    try:
        return float(value.replace(",", "").replace("，", ""))
    except ValueError:
        raise ValueError(f"“{value}”不是数字") from None


def integer(value: str) -> int:
    result = number(value)
    if result != int(result):
        raise ValueError(f"“{value}”应为整数")
    return int(result)


def boolean(value: str) -> bool:
    lowered = value.strip().lower()
    if lowered in TRUE:
        return True
    if lowered in FALSE:
        return False
    raise ValueError(f"“{value}”应填“是”或“否”")


def day(value: str) -> date:
    cleaned = re.sub(r"[年月/.]", "-", value.strip()).replace("日", "")
    match = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", cleaned)
    if not match:
        raise ValueError(f"“{value}”不是日期（应为 2025-03-01 或 2025年3月1日）")
    try:
        return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        raise ValueError(f"“{value}”不是有效日期") from None


def choice(labels: dict[str, str]) -> Callable[[str], str]:
    by_label = {label: code for code, label in labels.items()}

    def parse(value: str) -> str:
        cleaned = value.strip()
        if cleaned in labels:
            return cleaned
        if cleaned in by_label:
            return by_label[cleaned]
        raise ValueError(f"“{value}”应为以下之一：{'、'.join(labels.values())}")

    return parse


def listing(value: str) -> list[str]:
    return [item.strip() for item in LIST_SPLIT.split(value) if item.strip()]


def industry_code(value: str) -> str:
    """ "65 软件和信息技术服务业" (the template's drop-down) → "65"; a bare code stays as typed."""
    match = re.match(r"^\s*([A-Za-z]?\d{2,4})\s+\S", value)
    return match[1] if match else value.strip()


def phone(value: str) -> str | None:
    """A masked number (as exported) means: keep the stored one."""
    return None if "*" in value else value.strip()


# ----- exports of values ---------------------------------------------------------------------


def yes_no(value: bool | None) -> str:
    return "是" if value else "否"


def iso(value: date | None) -> date | str:
    """A date as a date cell (xlsx shows 年月日; CSV writes it ISO, as the import reads it); empty when none."""
    return value if value else ""


def plain(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


@dataclass(frozen=True)
class Column:
    header: str
    field: str
    parse: Callable[[str], Any] = text
    required: bool = False
    note: str = ""


@dataclass
class Outcome:
    action: str  # create / update / unchanged
    key: str


@dataclass
class Context:
    """Per-file state: the caller, and names resolved once."""

    session: Session
    access: Access
    actor: str
    dry_run: bool = False
    streets: dict[str, str] = field(default_factory=dict)  # name or code → code
    themes: dict[str, str] = field(default_factory=dict)  # name or code → code
    # Who an account is (the gateway): 楼长 / 联络员 columns are checked like the API does.
    lookup: Callable[[str], Account | None] | None = None

    @classmethod
    def build(
        cls,
        session: Session,
        access: Access,
        actor: str,
        *,
        dry_run: bool = False,
        lookup: Callable[[str], Account | None] | None = None,
    ) -> Context:
        ctx = cls(session=session, access=access, actor=actor, dry_run=dry_run, lookup=lookup)
        for street in reference.list_streets(session):
            ctx.streets[street.code] = street.code
            ctx.streets[street.name] = street.code
            ctx.streets[street.name.removesuffix("街道")] = street.code
        for theme in reference.list_themes(session):
            ctx.themes[theme.code] = theme.code
            ctx.themes[theme.name] = theme.code
        return ctx


class Kind:
    """One importable and exportable kind of record."""

    name: str
    label: str
    columns: list[Column]

    def key_of(self, values: dict[str, Any]) -> str:
        raise NotImplementedError

    def apply(self, ctx: Context, values: dict[str, Any]) -> Outcome:
        raise NotImplementedError

    def apply_rows(
        self, ctx: Context, rows: list[tuple[int, dict[str, Any]]]
    ) -> Iterator[tuple[int, Outcome | RowError]]:
        """Each row through ``apply`` in its own savepoint, so a refused row leaves nothing behind."""
        for row_number, values in rows:
            try:
                with savepoint(ctx.session):
                    yield row_number, self.apply(ctx, values)
            except RowError as err:
                yield row_number, err
            except LouyuError as exc:
                yield row_number, error_of(exc, self)

    def export_rows(self, session: Session, access: Access) -> Iterator[list[Any]]:
        raise NotImplementedError

    def export_table(
        self, session: Session, access: Access, *, on: date | None = None
    ) -> tuple[list[str], Iterator[list[Any]]]:
        """Headers and rows of the export (the template's columns; a kind may add read-only ones)."""
        return self.headers, self.export_rows(session, access)

    @property
    def headers(self) -> list[str]:
        return [c.header for c in self.columns]

    def header(self, field_name: str) -> str:
        base = field_name.split(".")[0].split("[")[0]
        for column in self.columns:
            if column.field == base:
                return column.header
        return field_name

    def parse(self, row: dict[str, str]) -> dict[str, Any]:
        """Cells → values by field name (blank cells left out); RowError naming every bad cell."""
        values, problems = self.parse_all(row)
        if problems:
            raise RowError.of(problems)
        return values

    def parse_all(self, row: dict[str, str]) -> tuple[dict[str, Any], list[tuple[str, str]]]:
        """Cells → values (the readable ones) and every unreadable cell: (column, reason)."""
        values: dict[str, Any] = {}
        problems: list[tuple[str, str]] = []
        for column in self.columns:
            raw = (row.get(column.header) or "").strip()
            if not raw:
                if column.required:
                    problems.append((column.header, "必须填写"))
                continue
            try:
                parsed = column.parse(raw)
            except ValueError as exc:
                problems.append((column.header, str(exc)))
                continue
            if parsed is not None:
                values[column.field] = parsed
        return values, problems

    def precheck(self, ctx: Context, values: dict[str, Any]) -> list[tuple[str, str]]:
        """Problems found without writing anything (names that do not resolve), so a row with a
        bad cell still reports them too; the kind's ``apply`` checks the same again."""
        return []


def _schema(kind: Kind, schema: type[BaseModel], values: dict[str, Any]) -> Any:
    try:
        return schema.model_validate(values)
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            loc = ".".join(str(p) for p in error["loc"])
            message = field_errors([error])[0]["message"] if error["loc"] else str(error.get("msg", ""))
            problems.append((kind.header(loc) if loc else "（整行）", message.removeprefix("Value error, ")))
        raise RowError.of(problems) from None


def _changed(before: dict[str, Any], after: dict[str, Any]) -> bool:
    return before != after


# ----- buildings -----------------------------------------------------------------------------


class Buildings(Kind):
    name, label = "buildings", "楼宇"
    columns = [
        Column("楼宇编码", "code", note="新楼宇可留空，系统自动编码"),
        Column("楼宇名称", "name", required=True),
        Column("别名", "aliases", listing, note="多个用顿号分隔"),
        Column("所属街道", "street_code", required=True, note="街道名称或9位代码"),
        Column("地址", "address"),
        Column("经度", "lng", number),
        Column("纬度", "lat", number),
        Column("建筑面积(㎡)", "gfa", number),
        Column("可出租面积(㎡)", "leasable_area", number),
        Column("地上层数", "floors_above", integer),
        Column("地下层数", "floors_below", integer),
        Column("建设阶段", "stage", choice(STAGES), note="在建 / 新建成 / 存量"),
        Column("产权类型", "ownership", choice(OWNERSHIPS), note="自持 / 散售 / 混合"),
        Column("产权单位", "owner"),
        Column("运营商", "operator"),
        Column("物业公司", "property_manager"),
        Column("物业星级", "property_star", integer),
        Column("功能区", "zone"),
        Column("特色主题", "themes", listing, note="主题名称，多个用顿号分隔"),
        Column("竣工年份", "completion_year", integer),
        Column("楼长账号", "chief_username"),
        Column("楼长姓名", "chief_name"),
        Column("楼长电话", "chief_phone", phone),
        Column("联络员账号", "liaison_username"),
        Column("联络员姓名", "liaison_name"),
        Column("联络员电话", "liaison_phone", phone),
        Column("备注", "note"),
    ]

    def key_of(self, values: dict[str, Any]) -> str:
        return values.get("code") or f"{values.get('street_code')}/{values.get('name')}"

    def _resolve(self, ctx: Context, values: dict[str, Any]) -> dict[str, Any]:
        if "street_code" in values:
            street = ctx.streets.get(values["street_code"])
            if street is None:
                raise RowError("所属街道", f"“{values['street_code']}”不是已登记的街道")
            values["street_code"] = street
        if "themes" in values:
            codes = []
            for name in values["themes"]:
                if name not in ctx.themes:
                    raise RowError("特色主题", f"“{name}”不是已有的特色主题")
                codes.append(ctx.themes[name])
            values["themes"] = codes
        return values

    def precheck(self, ctx: Context, values: dict[str, Any]) -> list[tuple[str, str]]:
        problems = []
        street = values.get("street_code")
        if street is not None and street not in ctx.streets:
            problems.append(("所属街道", f"“{street}”不是已登记的街道"))
        for name in values.get("themes", []):
            if name not in ctx.themes:
                problems.append(("特色主题", f"“{name}”不是已有的特色主题"))
        return problems

    def _check_assignees(self, ctx: Context, values: dict[str, Any], existing: Building | None) -> None:
        """楼长 / 联络员 columns: the same rule as the API (registry.access.Access.check_assignees)."""
        named = {f: (values[f] or "").strip().lower() or None for f in ASSIGNEE_FIELDS if f in values}
        values.update(named)
        if not named:
            return
        if ctx.lookup is None:
            raise RowError("楼长账号", "暂时无法核对楼长、联络员账号，请稍后重试")
        street = values.get("street_code") or (existing.street_code if existing is not None else "")
        ctx.access.check_assignees(street_code=street, values=named, current=existing, lookup=ctx.lookup)

    def apply(self, ctx: Context, values: dict[str, Any]) -> Outcome:
        values = self._resolve(ctx, dict(values))
        code = values.pop("code", None)
        existing = buildings.get_by_code(ctx.session, code) if code else None
        if existing is None and not code:
            existing = ctx.session.scalar(
                select(Building).where(Building.name == values["name"], Building.street_code == values["street_code"])
            )
        if existing is not None and not ctx.access.can_read(existing):
            raise RowError("楼宇编码", f"楼宇 {code or values['name']} 不存在")
        self._check_assignees(ctx, values, existing)
        if existing is not None:
            before = buildings.snapshot(existing)
            data = _schema(self, BuildingUpdate, values)
            buildings.update(ctx.session, existing, data=data, access=ctx.access, actor=ctx.actor)
            changed = _changed(before, buildings.snapshot(existing))
            return Outcome("update" if changed else "unchanged", existing.code)
        if code is not None and not re.fullmatch(r"\d{6}-\d{4,}", code):
            raise RowError("楼宇编码", f"“{code}”不是楼宇编码（区代码-序号，如 420106-0001）；新楼宇请留空")
        data = _schema(self, BuildingCreate, values)
        building = buildings.create(ctx.session, data=data, access=ctx.access, actor=ctx.actor, code=code)
        return Outcome("create", building.code)

    # Read-only columns after the template's (ignored on import): the building's occupancy
    # figures on the export's date, the one definition (registry.buildings.service.figures_on).
    FIGURE_HEADERS = ["统计日期", "数据状态", "入驻率(%)", "入驻面积(㎡)", "空置面积(㎡)", "在楼企业数"]

    def export_table(
        self, session: Session, access: Access, *, on: date | None = None
    ) -> tuple[list[str], Iterator[list[Any]]]:
        return self.headers + self.FIGURE_HEADERS, self.export_rows(session, access, on=on)

    def export_rows(self, session: Session, access: Access, *, on: date | None = None) -> Iterator[list[Any]]:
        names = buildings.street_names(session)
        themes = {t.code: t.name for t in reference.list_themes(session)}
        stmt = select(Building).where(access.building_filter()).order_by(Building.code)
        listed = list(session.scalars(stmt))
        figures = buildings.figures_on(session, listed, on=on)
        for b in listed:
            f = figures[b.id]
            yield [
                b.code,
                b.name,
                "、".join(b.aliases or []),
                names.get(b.street_code, b.street_code),
                b.address,
                plain(b.lng),
                plain(b.lat),
                plain(b.gfa),
                plain(b.leasable_area),
                plain(b.floors_above),
                plain(b.floors_below),
                STAGES.get(b.stage, b.stage),
                OWNERSHIPS.get(b.ownership, "") if b.ownership else "",
                b.owner,
                b.operator,
                b.property_manager,
                plain(b.property_star),
                b.zone,
                "、".join(themes.get(t, t) for t in b.themes),
                plain(b.completion_year),
                b.chief_username or "",
                b.chief_name,
                mask_phone(b.chief_phone) or "",
                b.liaison_username or "",
                b.liaison_name,
                mask_phone(b.liaison_phone) or "",
                b.note,
                f.on,
                f.status_label,
                "" if f.occupancy_rate is None else round(f.occupancy_rate * 100, 2),
                plain(f.occupied_area),
                "" if f.vacant_area is None else plain(f.vacant_area),
                f.tenants,
            ]


# ----- spaces --------------------------------------------------------------------------------


class Spaces(Kind):
    name, label = "spaces", "房源"
    columns = [
        Column("楼宇编码", "building_code", required=True),
        Column("楼层", "floor", integer, required=True, note="地下层为负数"),
        Column("房号", "unit", required=True),
        Column("面积(㎡)", "area", number, required=True),
        Column("状态", "status", choice(SPACE_STATUSES), note="空置 / 已租 / 自用 / 预留"),
        Column("可用日期", "available_from", day),
        Column("报价租金(元/㎡·月)", "asking_rent", number),
        Column("备注", "note"),
    ]

    def key_of(self, values: dict[str, Any]) -> str:
        return f"{values.get('building_code')}/{values.get('floor')}/{values.get('unit')}"

    def apply(self, ctx: Context, values: dict[str, Any]) -> Outcome:
        values = dict(values)
        code = values.pop("building_code")
        building = buildings.get_by_code(ctx.session, code)
        if building is None or not ctx.access.can_read(building):
            raise RowError("楼宇编码", f"楼宇 {code} 不存在")
        existing = ctx.session.scalar(
            select(Space).where(
                Space.building_id == building.id, Space.floor == values["floor"], Space.unit == values["unit"]
            )
        )
        key = f"{code}/{values['floor']}/{values['unit']}"
        if existing is not None:
            before = spaces.snapshot(existing, building)
            data = _schema(self, SpaceUpdate, values)
            spaces.update(ctx.session, existing, building, data=data, access=ctx.access, actor=ctx.actor)
            return Outcome("update" if _changed(before, spaces.snapshot(existing, building)) else "unchanged", key)
        data = _schema(self, SpaceCreate, values)
        spaces.create(ctx.session, building, data=data, access=ctx.access, actor=ctx.actor)
        return Outcome("create", key)

    def export_rows(self, session: Session, access: Access) -> Iterator[list[Any]]:
        stmt = (
            select(Space, Building.code)
            .join(Building, Building.id == Space.building_id)
            .where(access.building_filter())
            .order_by(Building.code, Space.floor, Space.unit)
        )
        for s, code in session.execute(stmt):
            yield [
                code,
                s.floor,
                s.unit,
                plain(s.area),
                SPACE_STATUSES[s.status],
                iso(s.available_from),
                plain(s.asking_rent),
                s.note,
            ]


# ----- enterprises ---------------------------------------------------------------------------


class Enterprises(Kind):
    name, label = "enterprises", "企业"
    columns = [
        Column("统一社会信用代码", "credit_code", uscc.normalise, required=True),
        Column("企业名称", "name", required=True),
        Column("行业代码", "industry_code", industry_code, note="GB/T 4754-2017，如 6513"),
        Column("在册", "registered_in_district", boolean, note="是 / 否"),
        Column("在税", "taxed_in_district", boolean),
        Column("纳统", "in_statistics", boolean),
        Column("规上", "above_scale", boolean),
        Column("上市", "listed", boolean),
        Column("总部层级", "hq_level", choice(HQ_LEVELS), note="世界500强 / 中国500强 / 区域总部"),
        Column("重点企业", "is_key", boolean),
        Column("从业人数", "employees", integer),
        Column("成立日期", "founded_date", day),
        Column("校验例外理由", "override_reason", note="仅当代码经核实真实有效但校验位不符时填写"),
        Column("备注", "note"),
    ]

    def key_of(self, values: dict[str, Any]) -> str:
        return str(values.get("credit_code"))

    def apply_rows(
        self, ctx: Context, rows: list[tuple[int, dict[str, Any]]]
    ) -> Iterator[tuple[int, Outcome | RowError]]:
        """Enterprises come in tens of thousands: every rule is checked in memory against the
        records loaded once, so no row can fail in the database and one flush writes them all."""
        codes = [values["credit_code"] for _, values in rows]
        existing: dict[str, Enterprise] = {}
        for start in range(0, len(codes), 900):
            chunk = codes[start : start + 900]
            existing.update(
                (e.credit_code, e)
                for e in ctx.session.scalars(select(Enterprise).where(Enterprise.credit_code.in_(chunk)))
            )
        prepared: list[Enterprise] = []
        for row_number, values in rows:
            try:
                yield row_number, self._apply_one(ctx, dict(values), existing.get(values["credit_code"]), prepared)
            except RowError as err:
                yield row_number, err
            except LouyuError as exc:
                yield row_number, error_of(exc, self)
        ctx.session.flush()
        if not ctx.dry_run:  # every rule was checked in memory: a dry run need not write them
            enterprises.create_many(ctx.session, prepared, actor=ctx.actor)

    def _apply_one(
        self, ctx: Context, values: dict[str, Any], existing: Enterprise | None, prepared: list[Enterprise]
    ) -> Outcome:
        code = values["credit_code"]
        reason = values.pop("override_reason", "")
        if existing is not None:
            if not enterprises.can_edit(ctx.session, existing, ctx.access):
                raise RowError("统一社会信用代码", f"{code} 已由其他单位登记，您无权修改")
            values.pop("credit_code")
            before = enterprises.snapshot(existing)
            data = _schema(self, EnterpriseUpdate, values)
            enterprises.update(ctx.session, existing, data=data, access=ctx.access, actor=ctx.actor, flush=False)
            return Outcome("update" if _changed(before, enterprises.snapshot(existing)) else "unchanged", code)
        problems = enterprises.code_problems(code, override=bool(reason), reason=reason)
        if problems:
            column = "校验例外理由" if problems[0]["field"] == "override_reason" else "统一社会信用代码"
            raise RowError(column, problems[0]["message"])
        data = _schema(self, EnterpriseCreate, {**values, "check_override": bool(reason), "override_reason": reason})
        prepared.append(enterprises.prepare(data, actor=ctx.actor))
        return Outcome("create", code)

    def export_rows(self, session: Session, access: Access) -> Iterator[list[Any]]:
        # Columns, not entities: an export of 200,000 rows reads plain tuples in chunks from a
        # server-side cursor (PostgreSQL), several times faster than loading ORM objects.
        columns = (
            Enterprise.credit_code,
            Enterprise.name,
            Enterprise.industry_code,
            Enterprise.registered_in_district,
            Enterprise.taxed_in_district,
            Enterprise.in_statistics,
            Enterprise.above_scale,
            Enterprise.listed,
            Enterprise.hq_level,
            Enterprise.is_key,
            Enterprise.employees,
            Enterprise.founded_date,
            Enterprise.override_reason,
            Enterprise.note,
        )
        stmt = select(*columns).where(access.enterprise_filter()).order_by(Enterprise.credit_code)
        for e in session.execute(stmt.execution_options(yield_per=2000)):
            yield [
                e.credit_code,
                e.name,
                e.industry_code or "",
                yes_no(e.registered_in_district),
                yes_no(e.taxed_in_district),
                yes_no(e.in_statistics),
                yes_no(e.above_scale),
                yes_no(e.listed),
                HQ_LEVELS.get(e.hq_level, "") if e.hq_level else "",
                yes_no(e.is_key),
                plain(e.employees),
                iso(e.founded_date),
                e.override_reason,
                e.note,
            ]


# ----- occupancies ---------------------------------------------------------------------------


def space_refs(value: str) -> list[tuple[int, str, float | None]]:
    """``10-1001、11-整层:350`` → [(10, "1001", None), (11, "整层", 350.0)] (``:面积`` for part of a space)."""
    refs = []
    for item in listing(value):
        match = re.fullmatch(r"(-?\d+)\s*(?:层|F|f)?\s*[-－—]?\s*([^:：]+?)\s*(?:[:：]\s*([\d.]+))?", item)
        if not match:
            raise ValueError(f"“{item}”应写成 楼层-房号（部分占用写 楼层-房号:面积），如 10-1001 或 10-1001:200")
        refs.append((int(match[1]), match[2].strip(), float(match[3]) if match[3] else None))
    return refs


class Occupancies(Kind):
    name, label = "occupancies", "入驻"
    columns = [
        Column("统一社会信用代码", "credit_code", uscc.normalise, required=True),
        Column("楼宇编码", "building_code", required=True),
        Column(
            "房源",
            "spaces",
            space_refs,
            note="楼层-房号，多个用顿号分隔，如 10-1001、10-1002；部分占用写 10-1001:200；可不填",
        ),
        Column("入驻面积(㎡)", "area", number),
        Column("入驻日期", "start_date", day, required=True),
        Column("迁出日期", "end_date", day),
        Column("备注", "note"),
    ]

    def key_of(self, values: dict[str, Any]) -> str:
        return f"{values.get('credit_code')}/{values.get('building_code')}/{values.get('start_date')}"

    def apply(self, ctx: Context, values: dict[str, Any]) -> Outcome:
        values = dict(values)
        building = buildings.get_by_code(ctx.session, values["building_code"])
        if building is None or not ctx.access.can_read(building):
            raise RowError("楼宇编码", f"楼宇 {values['building_code']} 不存在")
        if "spaces" in values:
            refs = values.pop("spaces")
            parts = []
            for floor, unit, area in refs:
                space = ctx.session.scalar(
                    select(Space).where(Space.building_id == building.id, Space.floor == floor, Space.unit == unit)
                )
                if space is None:
                    raise RowError("房源", f"{building.name} 没有 {floor}层 {unit} 这个房源")
                if area is None and len(refs) == 1 and values.get("area") is not None:
                    area = values["area"]  # one space and an area: the part of it taken
                parts.append(SpacePart(id=space.id, area=area))
            values["spaces"] = parts
        key = self.key_of(values)
        enterprise = enterprises.get_by_code(ctx.session, values["credit_code"])
        existing = None
        if enterprise is not None:
            existing = ctx.session.scalar(
                select(Occupancy).where(
                    Occupancy.enterprise_id == enterprise.id,
                    Occupancy.building_id == building.id,
                    Occupancy.start_date == values["start_date"],
                )
            )
        if existing is not None and enterprise is not None:
            before = occupancy.snapshot(existing, enterprise, building)
            changes = {k: v for k, v in values.items() if k in ("spaces", "area", "end_date", "note")}
            data = _schema(self, OccupancyUpdate, changes)
            occupancy.update(ctx.session, existing, enterprise, building, data=data, access=ctx.access, actor=ctx.actor)
            after = occupancy.snapshot(existing, enterprise, building)
            return Outcome("update" if _changed(before, after) else "unchanged", key)
        data = _schema(self, OccupancyCreate, values)
        occupancy.create(ctx.session, data=data, access=ctx.access, actor=ctx.actor)
        return Outcome("create", key)

    def export_rows(self, session: Session, access: Access) -> Iterator[list[Any]]:
        stmt = (
            select(Occupancy, Enterprise.credit_code, Building.code)
            .join(Enterprise, Enterprise.id == Occupancy.enterprise_id)
            .join(Building, Building.id == Occupancy.building_id)
            .where(access.building_filter())
            .order_by(Building.code, Occupancy.start_date, Enterprise.credit_code)
        )
        rows = list(session.execute(stmt))
        space_ids = {link.space_id for o, _, _ in rows for link in o.space_links}
        units: dict[int, Space] = {}
        if space_ids:
            units = {s.id: s for s in session.scalars(select(Space).where(Space.id.in_(space_ids)))}

        def ref(link: Any) -> str:
            space = units[link.space_id]
            whole = abs(link.area - space.area) < 0.01
            return f"{space.floor}-{space.unit}" + ("" if whole else f":{plain(link.area)}")

        for o, credit_code, code in rows:
            yield [
                credit_code,
                code,
                "、".join(ref(link) for link in o.space_links if link.space_id in units),
                plain(o.area),
                iso(o.start_date),
                iso(o.end_date),
                o.note,
            ]


# Columns kept as text in exports and templates (Excel would turn 0111 into 111 and a long code into 9.1E+17).
TEXT_COLUMNS = ("楼宇编码", "统一社会信用代码", "行业代码", "房号")

KINDS: dict[str, Kind] = {k.name: k for k in (Buildings(), Spaces(), Enterprises(), Occupancies())}


def error_of(exc: LouyuError, kind: Kind) -> RowError:
    """A service's refusal (422/409/403/404) as a row error naming the column."""
    column = "（整行）"
    if isinstance(exc, Invalid) and exc.fields:
        problems = []
        for f in exc.fields:
            column = kind.header(f["field"])
            problems.append((column, f["message"] if column != "（整行）" else exc.detail))
        return RowError.of(problems)
    return RowError(column, exc.detail)
