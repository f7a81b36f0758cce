"""What every wire shape of /v1 shares: no unknown field, no control character in any text a
request carries (and the OpenAPI document says so), the errors, and the card's names."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, ClassVar, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    GetJsonSchemaHandler,
    JsonValue,
    ValidationInfo,
    field_validator,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


# C0 and C1 control characters and DEL; a newline is allowed where a field is free text. NUL in
# particular: PostgreSQL refuses it in text, which would otherwise answer 500.
_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]")
_CONTROL_OR_NEWLINE = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def _refuse_control(value: object, multiline: bool) -> None:
    if isinstance(value, str):
        pattern = _CONTROL if multiline else _CONTROL_OR_NEWLINE
        if pattern.search(value):
            raise ValueError(
                "control characters are not allowed" + ("" if multiline else ", nor line breaks")
            )
    elif isinstance(value, list | tuple | set | frozenset):
        for item in value:
            _refuse_control(item, multiline)
    elif isinstance(value, dict):
        for key, item in value.items():
            _refuse_control(key, False)
            _refuse_control(item, multiline)


# The same rule for the OpenAPI document, as JSON Schema patterns, so that clients and tools
# know it without trying.
ONE_LINE_TEXT = "^[^\\u0000-\\u001f\\u007f-\\u009f]*$"
FREE_TEXT = "^[^\\u0000-\\u0009\\u000b-\\u001f\\u007f-\\u009f]*$"


def _describe_text(schema: dict[str, object], multiline: bool) -> None:
    if schema.get("type") == "string" and not {"pattern", "enum", "const", "format"} & set(schema):
        schema["pattern"] = FREE_TEXT if multiline else ONE_LINE_TEXT
    for key in ("anyOf", "oneOf"):
        for option in schema.get(key, []) or []:  # type: ignore[attr-defined]
            if isinstance(option, dict):
                _describe_text(option, multiline)
    for key in ("items", "additionalProperties"):
        inner = schema.get(key)
        if isinstance(inner, dict):
            _describe_text(inner, multiline)


class Input(Model):
    """A request body: every text in it is checked for control characters, on every backend."""

    # The fields that are free text, where a newline is allowed.
    multiline: ClassVar[frozenset[str]] = frozenset()

    @field_validator("*", mode="after")
    @classmethod
    def _no_control_characters(cls, value: object, info: ValidationInfo) -> object:
        _refuse_control(value, info.field_name in cls.multiline)
        return value

    @classmethod
    def __get_pydantic_json_schema__(
        cls, core_schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        schema = handler.resolve_ref_schema(handler(core_schema))
        for name, field_schema in schema.get("properties", {}).items():
            _describe_text(field_schema, name in cls.multiline)
        return schema


def example(*examples: dict[str, JsonValue], **rules: JsonValue) -> ConfigDict:
    """The model's examples; `rules` are more JSON Schema keywords for what crosses fields."""
    return ConfigDict(extra="forbid", json_schema_extra={"examples": list(examples), **rules})


# --- errors --------------------------------------------------------------------------------


class FieldProblem(Model):
    where: str = Field(description="which part of the request: body.card_number, query.limit...")
    problem: str


class ErrorAnswer(Model):
    code: str = Field(description="machine-readable reason code; see docs/platform.md")
    detail: str = Field(description="what went wrong, for a person")
    card_status: str | None = Field(
        default=None, description="with card_not_in_service: the card's status"
    )
    problems: list[FieldProblem] | None = Field(
        default=None, description="with invalid_request: each field that failed"
    )
    locked_until: dt.datetime | None = Field(
        default=None, description="with staff_locked: when the account opens again"
    )


class Health(Model):
    status: Literal["ok"]
    version: str


# --- shared --------------------------------------------------------------------------------


class LocalText(Model):
    zh: str
    en: str


CardStatusName = Literal["normal", "temporarily_lost", "lost", "cancelled", "expired"]
CardIdentifier = Annotated[
    str,
    Field(
        pattern=r"^[0-9A-Fa-f]{32}$",
        description="EF05 card identifier: 16 bytes as hex",
        examples=["410100D156000005A0000000000000A1"],
    ),
]
CardNumber = Annotated[
    str,
    Field(pattern=r"^[0-9A-Z]{9}$", description="the card number printed on the card"),
]
