"""overtime: withdrawals, slots for N people, agency bookings, reminders

Revision ID: 0009_overtime_lifecycle
Revises: 0008_conversation_state
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009_overtime_lifecycle"
down_revision = "0008_conversation_state"
branch_labels = None
depends_on = None

ACCEPTED = sa.text("response = 'ACCEPTED'")


def upgrade() -> None:
    with op.batch_alter_table("coverage_requests") as batch:
        batch.add_column(sa.Column("slots", sa.Integer(), nullable=False, server_default="1"))
        batch.add_column(sa.Column("extra", sa.Boolean(), nullable=False, server_default="0"))
        batch.add_column(
            sa.Column("wave_policy", sa.String(20), nullable=False, server_default="fixed")
        )
        batch.add_column(sa.Column("agency_name", sa.String(80), nullable=True))
        batch.add_column(sa.Column("agency_cost", sa.Float(), nullable=True))
        batch.add_column(sa.Column("agency_booked_by_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            "fk_coverage_requests_agency_booked_by", "people", ["agency_booked_by_id"], ["id"]
        )
    with op.batch_alter_table("offers") as batch:
        batch.add_column(sa.Column("slot", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("reminded", sa.String(20), nullable=True))
    # existing accepted offers fill the first (only) place of their request
    op.execute("UPDATE offers SET slot = 1 WHERE response = 'ACCEPTED'")
    with op.batch_alter_table("offers") as batch:
        batch.drop_index("uq_offers_one_accepted", sqlite_where=ACCEPTED, postgresql_where=ACCEPTED)
        batch.create_index(
            "uq_offers_one_accepted_slot",
            ["request_id", "slot"],
            unique=True,
            sqlite_where=ACCEPTED,
            postgresql_where=ACCEPTED,
        )


def downgrade() -> None:
    with op.batch_alter_table("offers") as batch:
        batch.drop_index(
            "uq_offers_one_accepted_slot", sqlite_where=ACCEPTED, postgresql_where=ACCEPTED
        )
    # one accepted offer per request again: later places become withdrawn
    op.execute(
        "UPDATE offers SET response = 'WITHDRAWN' WHERE response = 'ACCEPTED' "
        "AND slot IS NOT NULL AND slot > 1"
    )
    with op.batch_alter_table("offers") as batch:
        batch.create_index(
            "uq_offers_one_accepted",
            ["request_id"],
            unique=True,
            sqlite_where=ACCEPTED,
            postgresql_where=ACCEPTED,
        )
        batch.drop_column("reminded")
        batch.drop_column("slot")
    op.execute("UPDATE coverage_requests SET status = 'UNFILLED' WHERE status = 'AGENCY'")
    with op.batch_alter_table("coverage_requests") as batch:
        batch.drop_constraint("fk_coverage_requests_agency_booked_by", type_="foreignkey")
        batch.drop_column("agency_booked_by_id")
        batch.drop_column("agency_cost")
        batch.drop_column("agency_name")
        batch.drop_column("wave_policy")
        batch.drop_column("extra")
        batch.drop_column("slots")
