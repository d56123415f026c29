"""Bulletins as the API accepts and shows them."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field

from louyu_kit.types import InputModel


class RecipientIn(InputModel):
    name: str = Field(min_length=2, max_length=100, description="报送单位，如“区政府督查室”")
    email: str = Field(
        "", max_length=200, pattern=r"^$|^[^@\s]+@[^@\s]+\.[^@\s]+$", description="电子邮箱（系统发送时用）"
    )


class BulletinCreate(InputModel):
    period: str = Field(max_length=10, description="简报期间：2025（全年）、2025-Q2（季度）或 2025-06（月份）")
    issue_no: int | None = Field(None, ge=1, le=999, description="期号（当年第几期）；不填为当年下一期")
    recipients: list[RecipientIn] | None = Field(
        None,
        max_length=20,
        description="报送单位；不填为工作方案工作要求（三）所列四家：领导小组办公室、区政府督查室、区人大财经委、区人大常委会预算工委",
    )


class BulletinTable(BaseModel):
    columns: list[str] = Field(description="表头")
    rows: list[list[str | int | float]] = Field(description="各行，与表头一一对应（单位名称、项数、覆盖率等）")


class BulletinSection(BaseModel):
    heading: str = Field(description="标题，如“一、主要指标”")
    paragraphs: list[str] = Field(description="正文段落")
    table: BulletinTable | None = Field(None, description="附表")


class BulletinPeriod(BaseModel):
    key: str = Field(description="期间代码：2025、2025-Q2 或 2025-06")
    label: str = Field(description="期间名称，如“2025年第二季度”")
    start: str = Field(description="起始日期（ISO）")
    end: str = Field(description="结束日期（ISO）")


class HeadlineFigure(BaseModel):
    key: str = Field(description="指标代码")
    label: str = Field(description="指标名称")
    value: str = Field(description="数值（已按单位格式化，如“12.3亿元”）")
    note: str = Field("", description="补充说明，如同比")


class HeadlineFigures(BaseModel):
    period: str = Field(description="指标期间")
    as_of: str | None = Field(None, description="数据截至日期")
    figures: list[HeadlineFigure] = Field(description="主要指标")


class UnitTaskFigures(BaseModel):
    unit_code: str = Field(description="单位编码")
    unit_name: str = Field(description="单位简称")
    tasks: int = Field(description="牵头或配合的任务数（项）")
    done: int = Field(description="已完成（项）")
    done_in_period: int = Field(description="本期完成（项）")
    behind: int = Field(description="临期或进度滞后，黄灯（项）")
    overdue: int = Field(description="逾期未完成，红灯（项）")


class TaskFigures(BaseModel):
    as_of: str = Field(description="灯色的计算日期（期末与今天中较早者，ISO）")
    total: int = Field(description="任务总数（项；不含暂停，每项只计一次）")
    done: int = Field(description="已完成（项）")
    done_in_period: int = Field(description="本期完成（项）")
    behind: int = Field(description="黄灯（项）")
    overdue: int = Field(description="红灯（项）")
    by_unit: list[UnitTaskFigures] = Field(description="按责任单位（红灯、黄灯多的在前）")


class LevelCount(BaseModel):
    level: int = Field(description="等级：1 提醒 / 2 督办 / 3 通报")
    label: str = Field(description="等级名称")
    count: int = Field(description="份数")


class UnitOpenNotices(BaseModel):
    unit_code: str = Field(description="单位编码")
    open: int = Field(description="目前待回复的督办单（份）")


class SupervisionFigures(BaseModel):
    issued: int = Field(description="本期发出督办单（份）")
    responded: int = Field(description="其中已回复或办结（份）")
    by_level: list[LevelCount] = Field(description="本期发出的按等级")
    open_by_unit: list[UnitOpenNotices] = Field(description="目前待回复的按单位（编发时）")


class StreetCoverage(BaseModel):
    street_code: str = Field(description="街道代码")
    street_name: str = Field(description="街道名称")
    buildings: int = Field(description="应走访楼宇（栋）")
    visited: int = Field(description="已走访楼宇（栋）")
    rate: str = Field(description="覆盖率（百分数文字，如“85.0%”；无楼宇为“—”）")


class RoundFigures(BaseModel):
    name: str = Field(description="轮次名称")
    buildings: int = Field(description="应走访楼宇（栋）")
    visited: int = Field(description="已走访楼宇（栋）")
    rate: str = Field(description="覆盖率（百分数文字）")
    by_street: list[StreetCoverage] = Field(description="按街道")


class VisitFigures(BaseModel):
    visits: int = Field(description="本期走访（次）")
    buildings: int = Field(description="本期走访楼宇（栋，去重）")
    spaces_changed: int = Field(description="更新房源状态（处）")
    spaces_vacant: int = Field(description="新发现空置（处）")
    spaces_let: int = Field(description="新出租或自用（处）")
    rounds: list[RoundFigures] = Field(description="与本期重叠的扫楼轮次")


class CategoryCount(BaseModel):
    category: str = Field(description="诉求类别代码")
    label: str = Field(description="类别名称")
    count: int = Field(description="本期新收（件）")


class DemandFigures(BaseModel):
    received: int = Field(description="本期新收（件）")
    answered: int = Field(description="本期答复（件）")
    answered_on_time: int = Field(description="其中按期答复（件）")
    closed: int = Field(description="本期办结（件）")
    overdue_open: int = Field(description="超期未答复（件，截至期末或今天）")
    satisfaction_avg: float | None = Field(description="本期办结的平均满意度（1–5 分；无评价为空）")
    by_category: list[CategoryCount] = Field(description="本期新收的按类别（只列有的）")


class LeadFigures(BaseModel):
    new: int = Field(description="本期新增线索（条）")
    signed: int = Field(description="本期签约（条）")
    lost: int = Field(description="本期流失（条）")


class BulletinData(BaseModel):
    """The figures a bulletin was written from, as they were when it was issued."""

    period: BulletinPeriod = Field(description="简报期间")
    metrics: HeadlineFigures | None = Field(description="指标分析服务的主要指标（编发时不可用则为空）")
    tasks: TaskFigures = Field(description="重点任务")
    supervision: SupervisionFigures = Field(description="督办")
    visits: VisitFigures = Field(description="扫楼走访")
    demands: DemandFigures = Field(description="企业诉求")
    leads: LeadFigures = Field(description="招商线索")


class BulletinSummary(BaseModel):
    id: int = Field(description="简报编号")
    year: int = Field(description="年份")
    issue_no: int = Field(description="当年第几期")
    period: str = Field(description="简报期间：2025、2025-Q2 或 2025-06")
    start_date: date = Field(description="期间起始日期")
    end_date: date = Field(description="期间结束日期")
    title: str = Field(description="标题")
    issuer: str = Field(description="编发单位")
    issued_on: str = Field(description="编发日期")
    metrics_available: bool = Field(description="编发时指标分析服务是否提供了数据")
    created_by: str = Field(description="编发人")
    created_at: datetime = Field(description="编发时间")


class BulletinRead(BulletinSummary):
    sections: list[BulletinSection] = Field(description="正文（编发时的内容，不随后续数据变化）")
    data: BulletinData = Field(description="正文依据的数字（任务、督办、走访、诉求、线索、指标）")


SendMethod = Literal["outbox", "printed"]


class BulletinSendRead(BaseModel):
    id: int = Field(description="报送记录编号")
    method: SendMethod = Field(description="outbox 系统发送（通知发件箱）/ printed 已打印送达")
    method_label: str = Field(description="报送方式")
    status: Literal["queued", "sent", "failed", "recorded"] = Field(
        description="queued 待发送 / sent 已发送 / failed 发送失败 / recorded 已登记（打印送达）"
    )
    note: str = Field(description="说明（送达人、签收人等）")
    recorded_by: str = Field(description="登记人")
    recorded_at: datetime = Field(description="登记时间")


class BulletinRecipientRead(BaseModel):
    id: int = Field(description="报送单位编号")
    name: str = Field(description="报送单位")
    email: str = Field(description="电子邮箱")
    sends: list[BulletinSendRead] = Field(description="报送记录（先后顺序）")


class BulletinSendCreate(InputModel):
    recipient_id: int = Field(ge=1, le=2**31 - 1, description="报送单位编号")
    method: SendMethod = Field(description="outbox 由系统发送邮件 / printed 登记已打印送达")
    note: str = Field("", max_length=300, description="说明：送达人、签收人等")
