"""swaps: shift swap and give-away requests

Revision ID: 0006_swaps
Revises: 0005_rota_drafts
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_swaps"
down_revision = "0005_rota_drafts"
branch_labels = None
depends_on = None

OPEN = sa.text("status IN ('PENDING', 'MANUAL_REVIEW')")
ACCEPTED = sa.text("response = 'ACCEPTED'")


def _enum(name: str, *values: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, length=20)


def upgrade() -> None:
    op.create_table(
        "swaps",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", _enum("swap_kind", "SWAP", "GIVEAWAY"), nullable=False),
        sa.Column(
            "status",
            _enum(
                "swap_status",
                "PENDING",
                "APPROVED",
                "MANUAL_REVIEW",
                "DENIED",
                "CANCELLED",
                "EXPIRED",
            ),
            nullable=False,
        ),
        sa.Column("home_id", sa.Integer(), nullable=False),
        sa.Column("from_person_id", sa.Integer(), nullable=False),
        sa.Column("to_person_id", sa.Integer(), nullable=True),
        sa.Column("shift_id", sa.Integer(), nullable=False),
        sa.Column("other_shift_id", sa.Integer(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("failed_rules", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["home_id"], ["homes.id"], name="fk_swaps_home_id_homes"),
        sa.ForeignKeyConstraint(
            ["from_person_id"], ["people.id"], name="fk_swaps_from_person_id_people"
        ),
        sa.ForeignKeyConstraint(
            ["to_person_id"], ["people.id"], name="fk_swaps_to_person_id_people"
        ),
        sa.ForeignKeyConstraint(["shift_id"], ["shifts.id"], name="fk_swaps_shift_id_shifts"),
        sa.ForeignKeyConstraint(
            ["other_shift_id"], ["shifts.id"], name="fk_swaps_other_shift_id_shifts"
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_id"], ["people.id"], name="fk_swaps_decided_by_id_people"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_swaps"),
    )
    op.create_index("ix_swaps_status_expires", "swaps", ["status", "expires_at"])
    op.create_index("ix_swaps_from_person", "swaps", ["from_person_id", "created_at"])
    op.create_index(
        "uq_swaps_one_open_per_shift",
        "swaps",
        ["shift_id"],
        unique=True,
        sqlite_where=OPEN,
        postgresql_where=OPEN,
    )
    op.create_table(
        "swap_asks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("swap_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column(
            "response",
            _enum("swap_ask_response", "SENT", "ACCEPTED", "DECLINED", "GONE"),
            nullable=False,
        ),
        sa.Column("asked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("responded_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["swap_id"], ["swaps.id"], name="fk_swap_asks_swap_id_swaps"),
        sa.ForeignKeyConstraint(["person_id"], ["people.id"], name="fk_swap_asks_person_id_people"),
        sa.PrimaryKeyConstraint("id", name="pk_swap_asks"),
        sa.UniqueConstraint("swap_id", "person_id", name="uq_swap_asks_swap_id"),
    )
    op.create_index("ix_swap_asks_person_response", "swap_asks", ["person_id", "response"])
    op.create_index(
        "uq_swap_asks_one_accepted",
        "swap_asks",
        ["swap_id"],
        unique=True,
        sqlite_where=ACCEPTED,
        postgresql_where=ACCEPTED,
    )


def downgrade() -> None:
    op.drop_index("uq_swap_asks_one_accepted", table_name="swap_asks")
    op.drop_index("ix_swap_asks_person_response", table_name="swap_asks")
    op.drop_table("swap_asks")
    op.drop_index("uq_swaps_one_open_per_shift", table_name="swaps")
    op.drop_index("ix_swaps_from_person", table_name="swaps")
    op.drop_index("ix_swaps_status_expires", table_name="swaps")
    op.drop_table("swaps")
