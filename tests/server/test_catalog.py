"""The published catalog: thirteen categories of Art. 7, bilingual, Art. 19 marked."""

from __future__ import annotations

import requests

from kiosk.server.testing import LivePlatform


def test_catalog_has_the_thirteen_categories_and_forty_items(live: LivePlatform) -> None:
    answer = requests.get(f"{live.url}/v1/catalog", timeout=5)
    assert answer.status_code == 200
    catalog = answer.json()
    assert [c["number"] for c in catalog["categories"]] == list(range(1, 14))
    items = [i for c in catalog["categories"] for i in c["items"]]
    assert len(items) >= 40
    assert len({i["id"] for i in items}) == len(items)
    for category in catalog["categories"]:
        assert category["items"], f"category {category['number']} is empty"
        for item in category["items"]:
            assert item["category"] == category["number"]
            for field in ("name", "where", "how"):
                assert item[field]["zh"] and item[field]["en"]
    financial = {i["id"] for i in items if i["needs_financial_account"]}
    assert "fin-cash" in financial  # Art. 19: cash needs the financial account
    assert "cul-library" not in financial


def test_catalog_is_public(live: LivePlatform) -> None:
    assert requests.get(f"{live.url}/v1/catalog", timeout=5).status_code == 200
