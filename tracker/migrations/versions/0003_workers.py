"""several workers: delivery claims, shared channel pacing, the installation id

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-03 08:20:00

- ``alerts.claimed_by`` / ``claimed_until``: the delivery pass that took the row (claimed with
  ``FOR UPDATE SKIP LOCKED`` on PostgreSQL), so two workers' passes take disjoint rows;
- ``channel_pacing``: one row per Slack channel with the next time a message may go out,
  shared by every worker on the database (Slack's limit is per channel, not per process);
- ``installation``: one random id per database, made here once, carried in every alert key
  so that reconciliation never mistakes another database's message for one of its own.
  (A row left ``sending`` across this upgrade is reconciled under its new key: stop the
  daemons before upgrading, as for any migration.)
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("alerts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("claimed_by", sqlmodel.sql.sqltypes.AutoString(), nullable=True))
        batch_op.add_column(sa.Column("claimed_until", sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        "channel_pacing",
        sa.Column("channel", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("next_at", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("channel"),
    )
    installation = op.create_table(
        "installation",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.bulk_insert(installation, [{"id": uuid.uuid4().hex[:12], "created_at": datetime.now(UTC)}])


def downgrade() -> None:
    op.drop_table("installation")
    op.drop_table("channel_pacing")
    with op.batch_alter_table("alerts", schema=None) as batch_op:
        batch_op.drop_column("claimed_until")
        batch_op.drop_column("claimed_by")
