"""state shared by every server process: rate-limit windows, sign-in guards, delivery grants,
the audit chain's head row and the row-hashing key, session scopes

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import secrets

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

GENESIS = "0" * 64


def upgrade() -> None:
    op.create_table(
        "rate_limits",
        sa.Column("bucket", sa.String(length=160), nullable=False),
        sa.Column("window_start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("bucket"),
    )
    op.create_table(
        "login_guards",
        sa.Column("account_key", sa.String(length=64), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("account_key"),
    )
    op.create_table(
        "delivery_grants",
        sa.Column("grant_hash", sa.String(length=64), nullable=False),
        sa.Column("kiosk_id", sa.String(length=64), nullable=False),
        sa.Column("idempotency_key", sa.String(length=64), nullable=False),
        sa.Column("resident_id", sa.Integer(), nullable=False),
        sa.Column("scope", sa.String(length=16), nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["resident_id"], ["residents.id"]),
        sa.PrimaryKeyConstraint("grant_hash"),
        sa.UniqueConstraint("kiosk_id", "idempotency_key", name="uq_delivery_grant_idem"),
    )
    with op.batch_alter_table("delivery_grants", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_delivery_grants_expires"), ["expires"], unique=False)
    with op.batch_alter_table("resident_sessions", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("scope", sa.String(length=16), nullable=False, server_default="full")
        )
        batch_op.create_index(
            batch_op.f("ix_resident_sessions_last_seen"), ["last_seen"], unique=False
        )
    with op.batch_alter_table("staff", schema=None) as batch_op:
        batch_op.drop_column("locked_until")
        batch_op.drop_column("failed_logins")
    # The head row exists before the first look-up, so that every writer locks the same row
    # instead of racing to insert it; the row key hashes ID numbers in loss-code rows, the same
    # in every process (a key per process made codes asked on one process wrong on another).
    meta = sa.table("meta", sa.column("key", sa.String), sa.column("value", sa.String))
    connection = op.get_bind()
    present = {row[0] for row in connection.execute(sa.select(meta.c.key))}
    rows = []
    if "audit_head" not in present:
        last = connection.execute(sa.text("SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1"))
        found = last.scalar()
        rows.append({"key": "audit_head", "value": found or GENESIS})
    if "row_key" not in present:
        rows.append({"key": "row_key", "value": secrets.token_hex(32)})
    if rows:
        op.bulk_insert(meta, rows)


def downgrade() -> None:
    with op.batch_alter_table("staff", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("failed_logins", sa.Integer(), nullable=False, server_default="0")
        )
        batch_op.add_column(sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("resident_sessions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_resident_sessions_last_seen"))
        batch_op.drop_column("scope")
    with op.batch_alter_table("delivery_grants", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_delivery_grants_expires"))
    op.drop_table("delivery_grants")
    op.drop_table("login_guards")
    op.drop_table("rate_limits")
    op.execute("DELETE FROM meta WHERE key = 'row_key'")
