"""plan goals of every form: metric name, comparison, baseline rule, who measures it

Revision ID: tasks_goals_forms
Revises: tasks_0003
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "tasks_goals_forms"
down_revision: str | None = "tasks_0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("plan_goal", schema=None) as batch_op:
        batch_op.add_column(sa.Column("metric_name", sa.String(length=50), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("comparison", sa.String(length=10), nullable=False, server_default="increase"))
        batch_op.add_column(
            sa.Column("baseline", sa.String(length=20), nullable=False, server_default="previous_year_end")
        )
        batch_op.add_column(sa.Column("measured_by", sa.String(length=10), nullable=False, server_default="metrics"))
    # The catalogue's code for 十亿元楼宇.
    op.execute("UPDATE plan_goal SET metric = replace(metric, 'shiyiyuan_buildings', 'shiyi_buildings')")
    # 亿元楼宇达到35栋 was imported as yiyuan_buildings_total: a level to reach.
    op.execute(
        "UPDATE plan_goal SET comparison = 'at_least', baseline = 'none', "
        "metric = substr(metric, 1, length(metric) - 6) WHERE metric LIKE '%\\_total' ESCAPE '\\'"
    )
    # Goals imported before: the three the parser knew, all increases; 招商共享中心 is the bureau's.
    op.execute(
        "UPDATE plan_goal SET metric_name = CASE metric WHEN 'yiyuan_buildings' THEN '亿元楼宇' "
        "WHEN 'featured_buildings' THEN '特色楼宇' WHEN 'qianwan_buildings' THEN '千万元楼宇' "
        "WHEN 'shiyi_buildings' THEN '十亿元楼宇' WHEN 'sharing_centres' THEN '招商共享中心' ELSE metric END"
    )
    op.execute("UPDATE plan_goal SET measured_by = 'bureau' WHERE metric = 'sharing_centres'")


def downgrade() -> None:
    with op.batch_alter_table("plan_goal", schema=None) as batch_op:
        batch_op.drop_column("measured_by")
        batch_op.drop_column("baseline")
        batch_op.drop_column("comparison")
        batch_op.drop_column("metric_name")
