"""Import templates that forgive: an example row, drop-downs and a 说明 sheet (louyu_kit.files.write_template).

The lists come from the registry itself (streets, themes, GB/T 4754 divisions) and from the
kinds' own choices (stages, ownerships, space statuses, 总部层级, 是/否), so a template always
offers what the import accepts.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from louyu_kit import files
from registry.buildings.models import OWNERSHIPS, STAGES
from registry.enterprises.models import HQ_LEVELS
from registry.imports.kinds import TEXT_COLUMNS, Kind, boolean
from registry.reference import service as reference
from registry.spaces.models import SPACE_STATUSES

YES_NO = ["是", "否"]

# An example value per header (the example row; the first column is marked 【示例】 and skipped).
EXAMPLES: dict[str, dict[str, object]] = {
    "buildings": {
        "楼宇名称": "示例国际中心",
        "别名": "示例大厦",
        "地址": "中北路 100 号",
        "经度": 114.3421,
        "纬度": 30.5563,
        "建筑面积(㎡)": 52000,
        "可出租面积(㎡)": 41000,
        "地上层数": 32,
        "地下层数": 3,
        "产权单位": "示例置业有限公司",
        "运营商": "示例运营有限公司",
        "物业公司": "示例物业服务有限公司",
        "物业星级": 4,
        "功能区": "中北路金融商务区",
        "竣工年份": 2016,
        "楼长姓名": "张三",
        "联络员姓名": "李四",
        "备注": "此行为示例，导入时忽略",
    },
    "spaces": {
        "楼宇编码": "420106-0001",
        "楼层": 12,
        "房号": "1201",
        "面积(㎡)": 320.5,
        "可用日期": "2025-03-01",
        "报价租金(元/㎡·月)": 85,
        "备注": "此行为示例，导入时忽略",
    },
    "enterprises": {
        "统一社会信用代码": "91420106MA4K000000",
        "企业名称": "武汉示例科技有限公司",
        "从业人数": 120,
        "成立日期": "2019-06-18",
        "备注": "此行为示例，导入时忽略",
    },
    "occupancies": {
        "统一社会信用代码": "91420106MA4K000000",
        "楼宇编码": "420106-0001",
        "房源": "12-1201",
        "入驻面积(㎡)": 320.5,
        "入驻日期": "2025-03-01",
        "备注": "此行为示例，导入时忽略",
    },
}

INSTRUCTIONS = [
    "请在“{label}”工作表中填写，一行一条记录，不要改动第 1 行的表头。",
    "更新已有记录时，空白单元格表示“不修改”；导出的文件改好后可直接再导入。",
    "建议先点“预检”：系统会一次列出每一行的全部问题（行号、列名、原因），全部改好后再正式导入。",
    "一个文件要么全部导入，要么（有任何一行有问题时）一行都不导入。",
    "日期可写 2025-03-01 或 2025年3月1日；面积单位为平方米（㎡），租金单位为元/㎡·月。",
]


def _choices(session: Session, header: str) -> tuple[list[str], bool]:
    """The drop-down of a column by its header: (values, strict)."""
    if header == "所属街道":
        return [s.name for s in reference.list_streets(session)], True
    if header == "特色主题":
        return [t.name for t in reference.list_themes(session)], False
    if header == "行业代码":
        names = reference.industry_names()
        return [f"{code} {name}" for code, name in sorted(names.items()) if code.isdigit()], False
    fixed = {
        "建设阶段": STAGES,
        "产权类型": OWNERSHIPS,
        "状态": SPACE_STATUSES,
        "总部层级": HQ_LEVELS,
    }
    if header in fixed:
        return list(fixed[header].values()), True
    return [], True


def template(session: Session, kind: Kind) -> bytes:
    """The xlsx import template of ``kind``."""
    examples = EXAMPLES.get(kind.name, {})
    streets = reference.list_streets(session)
    themes = reference.list_themes(session)
    sample = {
        "所属街道": streets[0].name if streets else "",
        "特色主题": themes[0].name if themes else "",
        "建设阶段": next(iter(STAGES.values())),
        "状态": SPACE_STATUSES.get("vacant", ""),
        "行业代码": "6513",
    }
    columns = []
    for column in kind.columns:
        values, strict = _choices(session, column.header)
        if column.parse is boolean:
            values, strict = YES_NO, True
        example = examples.get(column.header, sample.get(column.header, ""))
        if column.parse is boolean and not example:
            example = "是"
        columns.append(
            files.TemplateColumn(
                header=column.header,
                note=column.note,
                example=example,
                choices=values,
                required=column.required,
                text=column.header in TEXT_COLUMNS,
                strict=strict,
            )
        )
    return files.write_template(
        columns, title=kind.label, instructions=[line.format(label=kind.label) for line in INSTRUCTIONS]
    )
