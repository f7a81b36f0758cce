"""card: one-time codes for a loss report by ID number (Art. 2)

Revision ID: 0003_loss_otp
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_loss_otp"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "loss_codes",
        sa.Column("request_id", sa.String(length=32), primary_key=True),
        sa.Column("ssn_hash", sa.String(length=64), nullable=False),
        sa.Column("resident_id", sa.Integer(), sa.ForeignKey("residents.id"), nullable=True),
        sa.Column("kiosk_id", sa.String(length=64), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires", sa.DateTime(timezone=True), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("used", sa.Boolean(), nullable=False),
    )
    op.create_index("ix_loss_codes_ssn_hash", "loss_codes", ["ssn_hash"])
    op.create_index("ix_loss_codes_kiosk_id", "loss_codes", ["kiosk_id"])


def downgrade() -> None:
    op.drop_index("ix_loss_codes_kiosk_id", table_name="loss_codes")
    op.drop_index("ix_loss_codes_ssn_hash", table_name="loss_codes")
    op.drop_table("loss_codes")
