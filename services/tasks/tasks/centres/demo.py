"""演示数据: three 招商共享中心 opened in 2025 (the plan's goal 新建3个), with enterprises hosted
over the year; three of them later moved into 数创大厦 (registry/demo.py names the same credit
codes), so 转化率 has conversions to show. Synthetic; names say 演示."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy.orm import Session

from louyu_kit.clock import today_in_china
from tasks.centres.models import CentreStay, SharingCentre

ACTOR = "demo-loader"

# name, level, street, address, opened, desks, area
CENTRES = [
    ("区级招商共享中心（演示）", "district", "420106011", "中南路（演示地址）1号", date(2025, 3, 18), 60, 1200.0),
    ("积玉桥街道招商共享中心（演示）", "street", "420106001", "和平大道（演示地址）8号", date(2025, 5, 20), 30, 600.0),
    ("水果湖街道招商共享中心（演示）", "street", "420106012", "东湖路（演示地址）6号", date(2025, 8, 8), 24, 450.0),
]
# (centre index, enterprise, credit code, start days ago, end days ago or None, desks)
STAYS = [
    (0, "（演示）武汉星桥数字科技有限公司", "91420106MA4KGX0010", 300, 70, 2),
    (0, "（演示）武汉云帆信息技术有限公司", "91420106MA4KGX0023", 250, 130, 1),
    (0, "（演示）武汉青禾文化传媒工作室", None, 420, 200, 1),
    (0, "（演示）武汉远航跨境电商有限公司", None, 160, None, 3),
    (0, "（演示）武汉格物检测技术有限公司", None, 90, None, 2),
    (0, "（演示）武汉拾光设计有限公司", None, 40, None, 1),
    (1, "（演示）武汉知行设计咨询有限公司", "91420106MA4KGX0036", 400, 210, 2),
    (1, "（演示）武汉滨江航运服务有限公司", None, 380, None, 2),
    (1, "（演示）武汉北辰低空科技有限公司", None, 120, None, 4),
    (1, "（演示）武汉长风供应链有限公司", None, 30, None, 1),
    (2, "（演示）武汉碳元环境科技有限公司", None, 350, 20, 2),
    (2, "（演示）武汉金穗财务咨询有限公司", None, 200, None, 1),
    (2, "（演示）武汉数安信息安全有限公司", None, 75, None, 2),
]


def load(session: Session, *, today: date | None = None) -> int:
    today = today or today_in_china()
    centres = []
    for name, level, street, address, opened, desks, area in CENTRES:
        centre = SharingCentre(
            name=name,
            level=level,
            street_code=street,
            address=address,
            opened_date=opened,
            desks=desks,
            area=area,
            note="演示数据，中心名称、地址和入驻企业均为虚构",
            is_demo=True,
            created_by=ACTOR,
        )
        session.add(centre)
        centres.append(centre)
    session.flush()
    for index, name, credit_code, start_ago, end_ago, desks in STAYS:
        centre = centres[index]
        start = max(today - timedelta(days=start_ago), centre.opened_date)
        end = today - timedelta(days=end_ago) if end_ago is not None else None
        session.add(
            CentreStay(
                centre_id=centre.id,
                enterprise_name=name,
                credit_code=credit_code,
                start_date=start,
                end_date=max(end, start) if end else None,
                desks=desks,
                note="演示数据",
                created_by=ACTOR,
            )
        )
    session.flush()
    return len(STAYS)
