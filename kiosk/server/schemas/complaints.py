"""Complaints, reports and suggestions and their replies (Art. 16)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field, JsonValue

from kiosk.server.schemas.base import Input, Model, example

# --- complaints and suggestions (Art. 16) ---------------------------------------------------

ComplaintKind = Literal["complaint", "report", "suggestion"]
ComplaintCategory = Literal["service", "staff", "card", "kiosk", "privacy", "other"]


# How a contact number of each kind looks (Art. 16, para. 2): the server checks it with these,
# and the OpenAPI document states them.
CONTACT_PATTERNS = {"mobile": "^1[0-9]{10}$", "landline": "^0[0-9]{9,11}$"}


def _contact_fits(kind: str, pattern: str) -> dict[str, JsonValue]:
    return {
        "if": {"properties": {"contact_kind": {"const": kind}}, "required": ["contact_kind"]},
        "then": {
            "required": ["contact"],
            "properties": {"contact": {"type": "string", "pattern": pattern}},
        },
    }


class ComplaintIn(Input):
    multiline = frozenset({"text"})
    model_config = example(
        {
            "kind": "complaint",
            "category": "service",
            "subject": "窗口排队时间过长",
            "text": "上午在金水区服务大厅等候超过一小时。",
            "contact": "13900000000",
            "anonymous": False,
        },
        {
            "kind": "suggestion",
            "category": "kiosk",
            "subject": "Larger text",
            "text": "Please make the default text larger.",
            "anonymous": True,
        },
        {
            "kind": "report",
            "category": "staff",
            "subject": "推诿、拖延办事",
            "text": "办事时被多次推到其他窗口或部门",
            "contact": "037166668888",
            "contact_kind": "landline",
        },
        {
            "kind": "complaint",
            "category": "service",
            "subject": "窗口排队时间过长",
            "text": "上午在金水区服务大厅等候超过一小时。",
            "contact_kind": "none",
        },
        # What crosses fields, as the server checks it: only a suggestion may be anonymous (a
        # complaint is answered to its author, Art. 16), and then without a contact kind; the
        # contact fits its kind, and "none" goes without one.
        allOf=[
            {
                "if": {"properties": {"anonymous": {"const": True}}, "required": ["anonymous"]},
                "then": {
                    "properties": {
                        "kind": {"const": "suggestion"},
                        "contact_kind": {"type": "null"},
                    }
                },
            },
            *(_contact_fits(kind, pattern) for kind, pattern in CONTACT_PATTERNS.items()),
            {
                "if": {
                    "properties": {"contact_kind": {"const": "none"}},
                    "required": ["contact_kind"],
                },
                "then": {"properties": {"contact": {"type": "null"}}},
            },
        ],
    )
    kind: ComplaintKind
    category: ComplaintCategory
    subject: str = Field(min_length=1, max_length=100)
    text: str = Field(min_length=1, max_length=2000)
    contact: str | None = Field(
        default=None, max_length=64, description="how the department may answer, if not by kiosk"
    )
    anonymous: bool = Field(default=False, description="allowed for suggestions only")
    item: str | None = Field(
        default=None,
        pattern=r"^[a-z0-9-]{1,64}$",
        description="the catalog item it is about, if any: it goes to that item's department",
    )
    # Art. 16, para. 2: how the answer reaches the author. "none": no number left; the author
    # reads the answer at a kiosk, signed in. Absent: contact is taken as given.
    contact_kind: Literal["mobile", "landline", "none"] | None = Field(
        default=None,
        description="mobile (11 digits from 1), landline (0 and area code, 10 to 12 digits), "
        "or none (no contact: the author reads the answer at a kiosk, signed in)",
    )


class ComplaintView(Model):
    tracking_number: str
    kind: ComplaintKind
    category: ComplaintCategory | None = Field(
        description="null unless asked in the filer's own session"
    )
    subject: str | None = Field(description="null unless asked in the filer's own session")
    status: Literal["received", "in_progress", "replied", "closed"]
    created: dt.datetime
    reply: str | None = Field(description="null until replied, and unless asked by the filer")
    replied: dt.datetime | None
    department: str | None = Field(default=None, description="the department that answers it")
    due: dt.datetime | None = Field(default=None, description="the answer is due by then")
    shown_to_filer: bool = Field(
        default=True,
        description="false: asked by tracking number alone, so only whether it exists and its"
        " stage are shown (Art. 12)",
    )


class ComplaintList(Model):
    complaints: list[ComplaintView]


class ComplaintReply(Input):
    multiline = frozenset({"reply"})
    model_config = example({"reply": "已核实并改进窗口排班，感谢您的反馈。", "close": True})
    reply: str = Field(min_length=1, max_length=2000)
    close: bool = False
