"""the back office: departments and operators, complaint routing and deadlines, published
catalog versions and notices, audit entries for staff actions that concern no resident

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

_CATEGORY_DEPARTMENT = {
    1: "hrss",
    2: "hrss",
    3: "health",
    4: "civil",
    5: "hrss",
    6: "transport",
    7: "culture",
    8: "education",
    9: "finance",
    10: "finance",
    11: "hrss",
    12: "housing",
    13: "bigdata",
}


def upgrade() -> None:
    with op.batch_alter_table("staff", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("department", sa.String(length=32), nullable=False, server_default="")
        )
        batch_op.add_column(
            sa.Column("disabled", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    with op.batch_alter_table("catalog_items", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("department", sa.String(length=32), nullable=False, server_default="")
        )
    with op.batch_alter_table("complaints", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("item", sa.String(length=64), nullable=False, server_default="")
        )
        batch_op.add_column(
            sa.Column("department", sa.String(length=32), nullable=False, server_default="")
        )
        batch_op.add_column(sa.Column("due", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(
            sa.Column("extended", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(
            sa.Column(
                "extension_reason", sa.String(length=400), nullable=False, server_default=""
            )
        )
        batch_op.add_column(
            sa.Column("about_department", sa.String(length=32), nullable=False, server_default="")
        )
        batch_op.add_column(sa.Column("about_staff_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("replied_by", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_complaints_department"), ["department"], unique=False)
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.alter_column("resident_id", existing_type=sa.Integer(), nullable=True)
    op.create_table(
        "catalog_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("published", sa.Date(), nullable=False),
        sa.Column("content", sa.JSON(), nullable=False),
        sa.Column("made", sa.DateTime(timezone=True), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["staff_id"], ["staff.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("catalog_versions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_catalog_versions_published"), ["published"], unique=False
        )
    op.create_table(
        "notices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title_zh", sa.String(length=64), nullable=False),
        sa.Column("title_en", sa.String(length=128), nullable=False),
        sa.Column("body_zh", sa.String(length=400), nullable=False),
        sa.Column("body_en", sa.String(length=800), nullable=False),
        sa.Column("starts", sa.Date(), nullable=False),
        sa.Column("ends", sa.Date(), nullable=False),
        sa.Column("made", sa.DateTime(timezone=True), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("withdrawn", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["staff_id"], ["staff.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    # Catalog items of a database made before departments: each to its category's department,
    # as kiosk.server.departments has it at this revision (a migration does not import code that
    # may change after it).
    items = sa.table(
        "catalog_items", sa.column("category", sa.Integer), sa.column("department", sa.String)
    )
    for category, department in _CATEGORY_DEPARTMENT.items():
        op.execute(
            items.update().where(items.c.category == category).values(department=department)
        )


def downgrade() -> None:
    op.drop_table("notices")
    with op.batch_alter_table("catalog_versions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_catalog_versions_published"))
    op.drop_table("catalog_versions")
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.alter_column("resident_id", existing_type=sa.Integer(), nullable=False)
    with op.batch_alter_table("complaints", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_complaints_department"))
        for column in (
            "replied_by",
            "about_staff_id",
            "about_department",
            "extension_reason",
            "extended",
            "due",
            "department",
            "item",
        ):
            batch_op.drop_column(column)
    with op.batch_alter_table("catalog_items", schema=None) as batch_op:
        batch_op.drop_column("department")
    with op.batch_alter_table("staff", schema=None) as batch_op:
        batch_op.drop_column("disabled")
        batch_op.drop_column("department")
