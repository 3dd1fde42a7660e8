"""status and party on mentions and events; placement columns and indexes of the timeline

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-03 08:40:00

Status and party are the extraction contract's new fields. ``placed_at`` and
``precision_rank`` store the timeline order that was computed in every query, so that the
database reads the first page of a million events from an index instead of sorting them;
``document_count`` is kept on the event instead of counted on every merge.
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

UNPLACED = datetime(9999, 12, 31, tzinfo=UTC)
RANKS = {"year": 0, "half": 1, "quarter": 2, "month": 3, "week": 4, "day": 5}


def upgrade() -> None:
    with op.batch_alter_table("mentions", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("status", sqlmodel.sql.sqltypes.AutoString(), nullable=False, server_default="done")
        )
        batch_op.add_column(sa.Column("party", sqlmodel.sql.sqltypes.AutoString(), nullable=True))
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("status", sqlmodel.sql.sqltypes.AutoString(), nullable=False, server_default="done")
        )
        batch_op.add_column(sa.Column("party", sqlmodel.sql.sqltypes.AutoString(), nullable=True))
        batch_op.add_column(sa.Column("document_count", sa.Integer(), nullable=False, server_default="1"))
        batch_op.add_column(sa.Column("placed_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("precision_rank", sa.Integer(), nullable=False, server_default="-1"))

    events = sa.table(
        "events",
        sa.column("id", sa.Integer()),
        sa.column("precision", sa.String()),
        sa.column("sort_start", sa.DateTime(timezone=True)),
        sa.column("first_published_at", sa.DateTime(timezone=True)),
        sa.column("placed_at", sa.DateTime(timezone=True)),
        sa.column("precision_rank", sa.Integer()),
        sa.column("document_count", sa.Integer()),
    )
    mentions = sa.table("mentions", sa.column("event_id", sa.Integer()), sa.column("document_id", sa.Integer()))
    documents_of_event = (
        sa.select(sa.func.count(sa.distinct(mentions.c.document_id)))
        .where(mentions.c.event_id == events.c.id)
        .scalar_subquery()
    )
    op.execute(
        events.update().values(
            placed_at=sa.func.coalesce(
                events.c.sort_start, events.c.first_published_at, sa.literal(UNPLACED, sa.DateTime(timezone=True))
            ),
            precision_rank=sa.case(*((events.c.precision == name, rank) for name, rank in RANKS.items()), else_=-1),
            document_count=sa.func.max(documents_of_event, 1)
            if op.get_bind().dialect.name == "sqlite"
            else sa.func.greatest(documents_of_event, 1),
        )
    )
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.alter_column("placed_at", existing_type=sa.DateTime(timezone=True), nullable=False)
        batch_op.drop_index("ix_events_jurisdiction")
        batch_op.drop_index("ix_events_sort_start")
        batch_op.drop_index("ix_events_type")
        batch_op.create_index("ix_events_placed", ["placed_at", "precision_rank", "id"], unique=False)
        batch_op.create_index(
            "ix_events_jurisdiction_placed", ["jurisdiction", "placed_at", "precision_rank", "id"], unique=False
        )
        batch_op.create_index("ix_events_type_placed", ["type", "placed_at", "precision_rank", "id"], unique=False)
        batch_op.create_index(
            "ix_events_kind_placed", ["jurisdiction", "type", "placed_at", "precision_rank", "id"], unique=False
        )
        batch_op.create_index("ix_events_kind_start", ["type", "jurisdiction", "sort_start", "id"], unique=False)
        batch_op.create_index("ix_events_kind_subject", ["type", "jurisdiction", "subject", "id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("events", schema=None) as batch_op:
        for name in (
            "ix_events_kind_subject", "ix_events_kind_start", "ix_events_kind_placed", "ix_events_type_placed",
            "ix_events_jurisdiction_placed", "ix_events_placed",
        ):  # fmt: skip
            batch_op.drop_index(name)
        batch_op.create_index("ix_events_type", ["type"], unique=False)
        batch_op.create_index("ix_events_sort_start", ["sort_start"], unique=False)
        batch_op.create_index("ix_events_jurisdiction", ["jurisdiction"], unique=False)
        for column in ("precision_rank", "placed_at", "document_count", "party", "status"):
            batch_op.drop_column(column)
    with op.batch_alter_table("mentions", schema=None) as batch_op:
        batch_op.drop_column("party")
        batch_op.drop_column("status")
