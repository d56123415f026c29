"""audit trail: refuse INSERT OR REPLACE on SQLite (issue 14 item 9)

SQLite's REPLACE conflict resolution deletes the row it replaces without firing DELETE
triggers (unless ``recursive_triggers`` is on), so ``INSERT OR REPLACE INTO audit_event``
with an existing id rewrote a row past the append-only triggers. A BEFORE INSERT trigger now
refuses any insert that names an id already taken (an ordinary insert leaves the id to
SQLite and is not affected). PostgreSQL has no REPLACE; its ``INSERT … ON CONFLICT DO
UPDATE`` fires the existing BEFORE UPDATE trigger and is refused already (tested).

Revision ID: gateway_input_0001
Revises: gateway_0001
Create Date: 2026-12-07
"""

from collections.abc import Sequence

from alembic import op

revision: str = "gateway_input_0001"
down_revision: str | None = "gateway_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            "CREATE TRIGGER audit_event_no_replace BEFORE INSERT ON audit_event "
            "WHEN EXISTS (SELECT 1 FROM audit_event WHERE id = NEW.id) "
            "BEGIN SELECT RAISE(ABORT, 'audit_event is append-only'); END"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER audit_event_no_replace")
