"""reliability: inbound processing leases, once-only command keys, outbox leases

Revision ID: 0010_reliability
Revises: 0009_overtime_lifecycle
"""

from __future__ import annotations

revision = "0010_reliability"
down_revision = "0009_overtime_lifecycle"
branch_labels = None
depends_on = None


def upgrade() -> None:
    _outbox_upgrade()


def downgrade() -> None:
    _outbox_downgrade()


# --- outbox & scheduler block (core/outbox.py, core/delivery_health.py) ----------------------
# when the current send attempt started (a send whose outcome is unknown is checked with the
# provider for messages since then before it is resent), and each channel's provider health
# (a paused channel sends nothing until its backoff ends)


def _outbox_upgrade() -> None:
    import sqlalchemy as sa
    from alembic import op

    with op.batch_alter_table("outbound_messages") as batch:
        batch.add_column(sa.Column("attempted_at", sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        "channel_health",
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("paused_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("since", sa.DateTime(timezone=True), nullable=True),
        sa.Column("failures", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("strikes", sa.Text(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("notified", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("told_homes", sa.Text(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("channel", name=op.f("pk_channel_health")),
    )


def _outbox_downgrade() -> None:
    from alembic import op

    op.drop_table("channel_health")
    with op.batch_alter_table("outbound_messages") as batch:
        batch.drop_column("attempted_at")


# --- end of the outbox & scheduler block ----------------------------------------------------
