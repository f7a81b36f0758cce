"""kiosks: the call-staff request

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "kiosks", sa.Column("assistance_requested", sa.DateTime(timezone=True), nullable=True)
    )
    op.add_column(
        "kiosks",
        sa.Column("assistance_screen", sa.String(length=32), nullable=False, server_default=""),
    )


def downgrade() -> None:
    op.drop_column("kiosks", "assistance_screen")
    op.drop_column("kiosks", "assistance_requested")
