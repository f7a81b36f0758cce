"""schemathesis against the contract over HTTP: no 5xx for anything, answers match the schema.

Each operation of kiosk/server/openapi.json is its own test; hypothesis makes valid requests
and (in the negative run) invalid ones, and schemathesis' checks judge every answer.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
import requests
from counter_support import DEMO_B
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable

from kiosk.server import limits, openapi
from kiosk.server.context import Settings
from kiosk.server.testing import LivePlatform

schemathesis = pytest.importorskip("schemathesis")
from schemathesis.config import SchemathesisConfig  # noqa: E402
from schemathesis.generation import GenerationMode  # noqa: E402

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

DOCUMENT = json.loads(openapi.DOCUMENT.read_text(encoding="utf-8"))
# A well-formed request may still be refused, with a reason code the other checks hold to the
# contract: 401/403/404 for credentials and things that do not exist (schemathesis' own
# default), 409 for the card's or the consent's state (lifting a loss never reported), 429 for a
# rate limit. A 422 is not among them: every rule the server checks is in the schema.
CONFIG = SchemathesisConfig.from_dict(
    {
        "checks": {
            "positive_data_acceptance": {
                "expected-statuses": ["2XX", "401", "403", "404", "409", "429"]
            }
        }
    }
)
LABELS = [f"{method.upper()} {path}" for path, item in DOCUMENT["paths"].items() for method in item]


@pytest.fixture(scope="module")
def contract_live(
    tmp_path_factory: pytest.TempPathFactory, demo_template: Path
) -> Iterator[LivePlatform]:
    # The limits out of the way (tests/server/test_replicas.py and test_shared_state.py test
    # them): a 429 after so many calls would make the same request answer differently
    # depending on which tests ran first, and hypothesis needs a server that answers alike.
    unlimited = {name: replace(rule, limit=1_000_000) for name, rule in limits.RULES.items()}
    with LivePlatform(
        tmp_path_factory.mktemp("contract"),
        template=demo_template,
        settings=Settings(limits=unlimited),
    ) as live:
        yield live


def credentials(live: LivePlatform, path: str) -> dict[str, str]:
    headers = dict(live.headers)
    for body in (
        {"method": "card", **DEMO_B, "pin_verified_on_chip": True},
        {"method": "ecode", "ecode": "DEMO-ECODE-B00000022"},  # if a loss report took the card
    ):
        opened = requests.post(f"{live.url}/v1/sessions", json=body, headers=live.headers)
        if opened.status_code == 201:
            headers["X-Session-Token"] = opened.json()["token"]
            break
    if path.startswith("/v1/staff"):
        login = {"username": "demo-supervisor", "password": "demo-supervisor-pass"}
        staff = requests.post(f"{live.url}/v1/staff/sessions", json=login, headers=live.headers)
        headers["X-Staff-Token"] = staff.json()["token"]
    return headers


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
@pytest.mark.parametrize("label", LABELS)
def test_operation_keeps_the_contract(
    contract_live: LivePlatform, label: str, mode: GenerationMode
) -> None:
    schema = schemathesis.openapi.from_dict(DOCUMENT, config=CONFIG)
    operation = schema.find_operation_by_label(label)
    assert operation is not None
    if mode is GenerationMode.NEGATIVE and not (
        operation.body or any(True for _ in operation.iter_parameters())
    ):
        pytest.skip("nothing to make invalid: no parameters, no body")
    # Valid requests carry real credentials, so they reach the endpoint's own rules. Invalid
    # ones carry none: schemathesis may have made the request invalid by dropping a credential
    # header, and ours would mend it. FastAPI validates before the endpoint runs, so a bad body
    # or query still meets its 422 either way.
    headers = credentials(contract_live, operation.path) if mode is GenerationMode.POSITIVE else {}

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=15,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def check(case: Any) -> None:
        # Every check schemathesis has, the acceptance of valid data included.
        case.call_and_validate(base_url=contract_live.url, headers=headers)

    try:
        check()
    except Unsatisfiable:
        if mode is GenerationMode.POSITIVE:
            raise
        pytest.skip("no invalid request can be written for it (a free-text header only)")


def test_operations_chained_keep_the_contract(contract_live: LivePlatform) -> None:
    """Stateful: what one answer gives (a tracking number, a certificate's code, a consent's
    id) is used by the next call, following the document's links, with every check."""
    schema = schemathesis.openapi.from_dict(DOCUMENT, config=CONFIG)
    machine = schema.as_state_machine()
    headers = credentials(contract_live, "/v1/staff")
    assert machine.bundles  # links inferred from the document: something to chain

    calls: list[tuple[str, int]] = []
    failures: list[str] = []

    class Chained(machine):  # type: ignore[misc, valid-type]
        def get_call_kwargs(self, case: Any) -> dict[str, Any]:
            return {"base_url": contract_live.url, "headers": headers}

        def after_call(self, response: Any, case: Any) -> None:
            calls.append((case.operation.label, response.status_code))

        def validate_response(self, response: Any, case: Any, *args: Any, **kwargs: Any) -> None:
            # Collected, not raised: the server keeps state between examples, so hypothesis
            # replaying a failing sequence would walk another path and report that instead.
            try:
                super().validate_response(response, case, *args, **kwargs)
            except Exception as failure:
                failures.append(f"{case.operation.label} -> {response.status_code}: {failure}")

    Chained.run(
        settings=settings(
            max_examples=25,
            stateful_step_count=6,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
    )
    assert not failures, "\n".join(failures[:5])
    assert len(calls) > 25
    # Some calls were made with what an earlier answer gave (a 2xx on a path with an id).
    chained = {label for label, status in calls if "{" in label and status < 300}
    assert chained, calls
