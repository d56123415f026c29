"""Request and answer shapes of 问数 (``POST /api/metrics/ask`` and its lists)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Status = Literal["answered", "unknown", "ambiguous", "out_of_data", "refused", "tasks"]
PartKey = Literal["metric", "entity", "period", "compare", "filter", "intent"]


class AskRequest(BaseModel):
    question: str = Field(min_length=1, max_length=200, description="问题（中文），如“中交大厦今年税收同比多少”")
    edits: dict[PartKey, str] = Field(
        default_factory=dict,
        description='改读法：对某一部分给出新的说法（如 {"period": "去年"}、{"entity": "粮道街道"}），'
        "该部分按新说法读，其余部分不变",
    )
    record: bool = Field(default=True, description="是否记入提问历史（界面改读法后再问时传 false）")


class ReadingPart(BaseModel):
    """One part of how the question was read (shown above the answer, editable)."""

    key: PartKey = Field(
        description="部分：metric 指标 / entity 范围 / period 期间 / compare 比较 / filter 条件 / intent 方式"
    )
    label: str = Field(description="部分名称，如“指标”“楼宇”“期间”")
    value: str = Field(description="读出的内容，如“全口径税收”“中交大厦”“2025年1-11月”")
    code: str = Field(default="", description="读出的代码（指标代码、楼宇编码、统计期代码等）")


class Reading(BaseModel):
    """The structured query a question was read into."""

    intent: Literal["value", "count", "list", "rank", "trend"] = Field(
        description="value 取数 / count 计数 / list 列表 / rank 排名 / trend 逐月走势"
    )
    metric: str | None = Field(description="指标代码（指标口径目录）；分档计数为 yiyuan_buildings 等")
    metric_name: str | None = Field(description="指标名称")
    tier: str | None = Field(description="楼宇分档：qianwan / wuqianwan / yiyuan / shiyi / yueyi")
    level: Literal["district", "street", "zone", "theme", "building", "enterprise"] = Field(description="范围层级")
    code: str = Field(description="范围代码（街道代码、楼宇编码、主题代码、功能区名称、信用代码；全区为空）")
    name: str = Field(description="范围名称")
    period: str = Field(description="统计期代码：2025-06、2025-Q1、2025、2025-06-YTD、2025-YTD，近N个月为 2025-11-R12")
    period_label: str = Field(description="统计期名称")
    period_given: bool = Field(description="问题中是否说了期间（否：取有数据的最近一年年初至今）")
    compare: Literal["yoy"] | None = Field(description="比较：yoy 同比")
    filter_metric: str | None = Field(description="条件的指标代码（如空置率超过30%）")
    filter_op: Literal["gt", "lt"] | None = Field(description="条件：gt 超过（含等于）/ lt 低于")
    filter_value: float | None = Field(description="条件的门槛（金额元、比率 0–1、面积㎡、个数）")
    rows: Literal["building", "street"] = Field(description="列表、排名的对象：楼宇或街道")
    order: Literal["desc", "asc"] = Field(description="排名方向：desc 从高到低 / asc 从低到高")
    limit: int | None = Field(description="排名取前几名")


class Figure(BaseModel):
    label: str = Field(description="数字的名称")
    metric: str = Field(description="指标代码")
    value: float | None = Field(description="数值（金额元、比率 0–1、面积㎡、个数）；无数据为 null")
    unit: str = Field(description="单位（目录中的单位）")
    display: str = Field(description="显示文字（万元、亿元、% 等）")


class TableColumn(BaseModel):
    key: str
    label: str
    metric: str | None = Field(default=None, description="该列数字的指标代码")


class TableRow(BaseModel):
    code: str = Field(description="楼宇编码或街道代码")
    name: str
    link: str = Field(description="该行的页面链接")
    cells: list[str] = Field(description="各列的显示文字（与 columns 对应）")
    values: list[float | None] = Field(description="各列的数值")


class AnswerTable(BaseModel):
    columns: list[TableColumn]
    rows: list[TableRow]
    total: int = Field(description="符合条件的总行数（表中可能只列前若干行）")


class Definition(BaseModel):
    """The 口径 of a figure in the answer (from the catalogue)."""

    code: str
    name: str
    formula: str
    unit: str
    period: str


class Choice(BaseModel):
    label: str = Field(description="候选的名称，如“保利广场（中南路街道）”")
    question: str = Field(description="选中后提出的问题")


class Refusal(BaseModel):
    """The refusal the API route gives this user for the same figures (same error and wording)."""

    status: int = Field(description="相应接口的 HTTP 状态码（404 / 403 等）")
    error: str
    detail: str


class AskAnswer(BaseModel):
    """How the question was read and the answer."""

    question: str
    status: Status = Field(
        description="answered 已回答 / unknown 有读不懂的部分 / ambiguous 名称有歧义 / out_of_data 无此数据 / "
        "refused 超出权限 / tasks 任务类问题（请向 /api/tasks/ask 提问）"
    )
    reading: Reading | None = Field(description="读法（结构化查询）；读不出时为 null")
    parts: list[ReadingPart] = Field(description="读法的各部分（显示在答案上方，可点击修改）")
    reading_text: str = Field(
        description="读法全文，如“指标：全口径税收；楼宇：中交大厦；期间：2025年1-11月；比较：同比”"
    )
    text: str = Field(description="答案（一句话）")
    figures: list[Figure] = Field(description="答案中的数字")
    table: AnswerTable | None = Field(description="列表、排名、逐月走势的表格")
    definitions: list[Definition] = Field(description="答案中各数字的口径（指标口径目录）")
    link: str | None = Field(description="展示该数字的页面（前端路由）")
    link_label: str | None = Field(description="链接文字")
    unknown: list[str] = Field(description="读不懂的词")
    suggestions: list[str] = Field(description="您是不是想问：相近的问法")
    choices: list[Choice] = Field(description="名称有歧义时的候选")
    refusal: Refusal | None = Field(description="超出权限时，接口给出的同一拒绝")
    proposed_by: Literal["parser", "llm"] = Field(
        default="parser", description="读法来源：parser 本地词表 / llm 大模型建议（经校验）"
    )


class HistoryItem(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    username: str = Field(description="提问人")
    question: str
    status: Status
    reading: str = Field(description="读法全文")
    answer: str = Field(description="答案（一句话）")
    asked_at: datetime


class HistoryList(BaseModel):
    items: list[HistoryItem]
    total: int


class SynonymCreate(BaseModel):
    word: str = Field(min_length=2, max_length=50, description="说法，如“中交”“税”")
    kind: Literal["metric", "tier", "street", "zone", "theme", "building"] = Field(description="所指的种类")
    code: str = Field(
        min_length=1, max_length=50, description="所指的代码：指标代码、分档、街道代码、功能区名称、主题代码、楼宇编码"
    )


class SynonymRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    word: str
    kind: str
    code: str
    meaning: str = Field(default="", description="所指的名称")
    created_by: str
    created_at: datetime


class SynonymList(BaseModel):
    items: list[SynonymRead]
    total: int
