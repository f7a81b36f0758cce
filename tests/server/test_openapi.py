"""The contract in the repo is the one the server serves, with an example for every request."""

from __future__ import annotations

import json

import requests

from kiosk.server import openapi
from kiosk.server.testing import LivePlatform


def test_repo_copy_is_up_to_date() -> None:
    assert openapi.main(["--check"]) == 0, "run: python -m kiosk.server.openapi"


def test_served_document_is_the_repo_copy(live: LivePlatform) -> None:
    served = requests.get(f"{live.url}/openapi.json", timeout=5).json()
    assert served == json.loads(openapi.DOCUMENT.read_text(encoding="utf-8"))


def test_openapi_31_with_an_example_body_for_every_request() -> None:
    document = json.loads(openapi.DOCUMENT.read_text(encoding="utf-8"))
    assert document["openapi"].startswith("3.1")
    bodies = 0
    for path, item in document["paths"].items():
        assert path.startswith("/v1/")
        for method, operation in item.items():
            if "requestBody" in operation:
                bodies += 1
                content = operation["requestBody"]["content"]["application/json"]
                assert content.get("examples"), f"{method.upper()} {path} has no example"
            for status, answer in operation["responses"].items():
                if status.startswith("4"):
                    schema = answer["content"]["application/json"]["schema"]
                    assert schema == {"$ref": "#/components/schemas/ErrorAnswer"}, (path, status)
    assert bodies >= 10


def test_kiosk_id_and_key_are_one_requirement() -> None:
    document = json.loads(openapi.DOCUMENT.read_text(encoding="utf-8"))
    security = document["paths"]["/v1/sessions"]["post"]["security"]
    assert security == [{"KioskId": [], "KioskKey": []}]
