"""Each resident task's flow against the real reference server over HTTP: the real client and
outbox, a synchronous runner, the simulated printer. No Qt: the flows are driven directly."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from helpers.rig import KioskRig

from kiosk.backend.client import PlatformClient
from kiosk.backend.outbox import Outbox
from kiosk.devices.printer.factory import make_receipt_printer
from kiosk.domain.session import ResidentSession
from kiosk.flows.card_life import CardLifeTask
from kiosk.flows.complaints import ComplaintsTask
from kiosk.flows.records import RecordsTask
from kiosk.flows.services import ServiceSearchTask
from kiosk.server.embedded import EmbeddedServer
from kiosk.testing.runner import InlineRunner

pytestmark = pytest.mark.e2e


@pytest.fixture
def client(server: EmbeddedServer, tmp_path: Path) -> PlatformClient:
    return PlatformClient(server.url, server.kiosk_id, server.kiosk_key, cache_dir=tmp_path / "c")


def context(client: PlatformClient, session: ResidentSession, tmp_path: Path, **kw: Any):
    """A task's context on the real platform: its client, a real outbox, a simulated printer."""
    outbox = Outbox(tmp_path / "outbox.sqlite3", client)
    rig = KioskRig(
        platform=client,
        runner=InlineRunner(),
        session=session,
        snapshot=None,
        printer=kw.get("printer", make_receipt_printer("sim")),
        outbox=outbox,
        language=kw.get("language", "zh_CN"),
    )
    return rig.context(), outbox


def test_records_and_certificate_from_the_platform(client: PlatformClient, tmp_path: Path) -> None:
    session = client.open_session_by_ecode("DEMO-ECODE-B00000022")  # 李明, working
    ctx, _ = context(client, session, tmp_path)
    task = RecordsTask(ctx)
    assert task.view().choose("1")
    summary = task.view()
    assert summary.choices and summary.choices[0].examples is not None
    assert summary.choices[0].examples.id == "records.contrib.summary"
    assert summary.choose("1")
    years = task.view()
    assert years.panels and years.panels[0].lines[0].has_personal_data
    task.back()
    task.back()
    for screen in ("medical", "pension", "subsidies", "card_use"):
        task.open(screen)
        assert task.view().hint is not None and not task.view().hint.id.startswith("error")
        task.back()
    assert task.view().choose("3")
    assert task.view().choose("1")  # all insurances
    assert task.view().choose("1")  # the whole record
    assert task.view().choose("1")  # print it
    printer = ctx.printer
    assert printer.last_png() is not None
    code = task.view().panels[0].lines[0].params["code"]
    check = client.verify_certificate(code)  # anyone can verify it
    assert check.valid and check.code == code


def test_complaint_reaches_the_platform_and_its_status_is_queried(
    client: PlatformClient, tmp_path: Path
) -> None:
    session = client.open_session_by_ecode("DEMO-ECODE-A00000011")
    ctx, outbox = context(client, session, tmp_path)
    task = ComplaintsTask(ctx)
    assert task.view().choose("1")
    assert task.view().choose("2")  # leaked personal data (Art. 18)
    assert task.view().choose("1")  # no particular service
    assert task.view().choose("1")
    assert task.view().choose("1")
    task.view().submit("13900001234")  # type: ignore[attr-defined]
    assert task.view().choose("1")
    sent = task.view()
    assert sent.hint is not None and sent.hint.id == "submit.delivered"
    tracking = sent.hint.params["tracking"]
    filed = client.complaint(tracking, session.token)  # whole in the filer's own session
    assert filed.kind == "report" and filed.category == "privacy"
    assert outbox.receipt(tracking) is not None
    task = ComplaintsTask(ctx)
    assert task.view().choose("3")
    listed = [m.params.get("tracking") for p in task.view().panels for m in (p.title,)]
    assert tracking in listed or task.view().pager is not None
    outbox.close()


def test_anonymous_suggestion_and_service_search(client: PlatformClient, tmp_path: Path) -> None:
    session = client.open_session_by_ecode("DEMO-ECODE-B00000022")
    ctx, outbox = context(client, session, tmp_path, language="en")
    task = ComplaintsTask(ctx)
    assert task.view().choose("2")
    assert task.view().choose("1")
    assert task.view().choose("1")
    assert task.view().choose("1")
    assert task.view().choose("4")  # anonymous
    assert task.view().choose("1")
    assert task.view().hint is not None and task.view().hint.id == "submit.delivered"
    search = ServiceSearchTask(ctx)
    search.find("dt")
    found = search.view()
    assert found.heading.params["count"] >= 1
    assert any("Metro" in p.title.params["text"] for p in found.panels)
    search.find("jr")  # 金融: financial services, locked for 李明 (Art. 19)
    locked = [line.id for p in search.view().panels for line in p.lines]
    assert "category.locked" in locked
    outbox.close()


def test_loss_report_lifting_reissue_and_progress(client: PlatformClient, tmp_path: Path) -> None:
    session = client.open_session_by_ecode("DEMO-ECODE-A00000011")
    ctx, outbox = context(client, session, tmp_path)
    task = CardLifeTask(ctx)
    assert task.view().choose("1")  # report lost
    assert task.view().choose("1")  # temporary
    assert task.view().choose("1")  # confirm
    assert task.view().hint is not None and task.view().hint.id == "submit.delivered"
    assert client.card(session.token).status.value == "temporarily_lost"
    task = CardLifeTask(ctx)
    assert [c.label.id for c in task.view().choices][:2] == [
        "card_life.menu.lift",
        "card_life.menu.reissue",
    ]
    assert task.view().choose("1")  # lift
    assert task.view().choose("1")
    assert client.card(session.token).status.value == "normal"
    task = CardLifeTask(ctx)
    assert task.view().choose("1")
    assert task.view().choose("2")  # formal
    assert task.view().choose("1")
    task = CardLifeTask(ctx)
    assert task.view().choose("1")  # reissue
    assert task.view().choose("3")
    assert task.view().choose("1")
    tracking = task.view().hint.params["tracking"]  # type: ignore[union-attr]
    assert client.card_request(tracking).kind == "reissue"
    task = CardLifeTask(ctx)
    progress = [c for c in task.view().choices if c.label.id == "card_life.menu.progress"]
    progress[0].action()
    assert any(m.id.startswith("card_life.step.") for m in task.view().spoken())
    outbox.close()
