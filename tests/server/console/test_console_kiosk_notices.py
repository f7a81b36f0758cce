"""What operators publish in the console reaches the kiosk through its catalog client and stays
in the kiosk's offline copy (Art. 15)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from console_web import publish_notice, signed_in

from kiosk.backend.catalog_cache import CatalogCache
from kiosk.backend.client import PlatformClient
from kiosk.server.departments import LOCAL
from kiosk.server.testing import LivePlatform


def test_a_published_notice_reaches_the_kiosk_and_its_offline_copy(
    live: LivePlatform, tmp_path: Path
) -> None:
    today = dt.datetime.now(LOCAL).date()
    operator = signed_in(live, "demo-operator")
    publish_notice(
        operator,
        live,
        ("系统维护", "Maintenance"),
        ("本周六凌晨二点至四点暂停服务。", "No service on Saturday from 2:00 to 4:00."),
        days=2,
    )
    client = PlatformClient(live.url, live.kiosk_id, live.kiosk_key, cache_dir=tmp_path)
    fresh = client.catalog_snapshot()
    [notice] = [n for n in fresh.catalog.notices_on(today) if n.title.zh == "系统维护"]
    assert (notice.title.get("zh_CN"), notice.body.get("en")) == (
        "系统维护",
        "No service on Saturday from 2:00 to 4:00.",
    )
    later = fresh.catalog.notices_on(today + dt.timedelta(days=3))
    assert notice not in later
    items = [i for c in fresh.catalog.categories for i in c.items]
    assert items, "the catalog itself came too"

    # The offline copy the kiosk falls back on when its platform is away holds them too.
    kept = CatalogCache.for_platform(live.url, tmp_path).load()
    assert kept is not None and kept[0].notices == fresh.catalog.notices
