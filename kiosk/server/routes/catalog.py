"""The published list of one-card applications (Art. 7, last paragraph): public, like its source."""

from __future__ import annotations

import datetime as dt
import hashlib
import threading
import time
from typing import Annotated

from fastapi import APIRouter, Header, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.api_contract import API_PREFIX
from kiosk.server import models as m
from kiosk.server import schemas as s
from kiosk.server.catalog_data import PUBLISHED
from kiosk.server.context import Platform
from kiosk.server.departments import LOCAL
from kiosk.server.routes.params import Ctx
from kiosk.server.routing import OneHopRoute

router = APIRouter(prefix=API_PREFIX, tags=["catalog"], route_class=OneHopRoute)


# Every visit starts with the catalog, and the department changes it rarely: the rendered
# answer is kept this long, so a flood of kiosks costs the database nothing.
CACHE_S = 30.0
_cache_lock = threading.Lock()


@router.get(
    "/catalog",
    response_model=s.Catalog,
    summary="The one-card applications by Art. 7",
    responses={200: {"headers": {"ETag": {"schema": {"type": "string"}}}}},
)
def catalog_endpoint(
    ctx: Ctx,
    if_none_match: Annotated[str | None, Header()] = None,
) -> Response:
    with _cache_lock:
        cached = ctx.memo.get("catalog")
        if cached is None or time.monotonic() - cached[0] > CACHE_S:
            body = catalog(ctx).model_dump_json().encode()
            cached = (time.monotonic(), body, f'"{hashlib.sha256(body).hexdigest()[:32]}"')
            ctx.memo["catalog"] = cached
    _, body, etag = cached
    headers = {"ETag": etag, "Cache-Control": "public, max-age=30"}
    if if_none_match == etag:
        return Response(status_code=304, headers=headers)
    return Response(body, media_type="application/json", headers=headers)


def catalog(ctx: Platform) -> s.Catalog:
    """The newest version published up to today, with today's notices; before any version is
    published, the catalog as seeded, under the regulation's own date (Art. 20)."""
    today = dt.datetime.now(LOCAL).date()
    with ctx.db() as db:
        version = db.scalar(
            select(m.CatalogVersion)
            .where(m.CatalogVersion.published <= today)
            .order_by(m.CatalogVersion.published.desc(), m.CatalogVersion.id.desc())
            .limit(1)
        )
        if version is not None:
            published = dt.datetime.combine(version.published, dt.time(), tzinfo=LOCAL)
            frozen = version.content.get("categories")
            rows = frozen if isinstance(frozen, list) else []
            categories = [s.CatalogCategory.model_validate(c) for c in rows]
        else:
            published = dt.datetime.fromisoformat(PUBLISHED)
            categories = draft(db)
        return s.Catalog(published=published, categories=categories, notices=notices_on(db, today))


def draft(db: Session) -> list[s.CatalogCategory]:
    """The catalog as the operators have edited it: what a publication freezes."""
    categories = db.scalars(select(m.CatalogCategory).order_by(m.CatalogCategory.number))
    items = db.scalars(
        select(m.CatalogItem).order_by(m.CatalogItem.category, m.CatalogItem.position)
    ).all()
    by_category: dict[int, list[s.ServiceItem]] = {}
    for item in items:
        by_category.setdefault(item.category, []).append(
            s.ServiceItem(
                id=item.id,
                category=item.category,
                name=s.LocalText(zh=item.name_zh, en=item.name_en),
                where=s.LocalText(zh=item.where_zh, en=item.where_en),
                how=s.LocalText(zh=item.how_zh, en=item.how_en),
                needs_financial_account=item.needs_financial_account,
                department=item.department,
            )
        )
    return [
        s.CatalogCategory(
            number=c.number,
            name=s.LocalText(zh=c.name_zh, en=c.name_en),
            items=by_category.get(c.number, []),
        )
        for c in categories
    ]


def notices_on(db: Session, day: dt.date) -> list[s.Notice]:
    rows = db.scalars(
        select(m.Notice)
        .where(m.Notice.starts <= day, m.Notice.ends >= day, m.Notice.withdrawn.is_(False))
        .order_by(m.Notice.starts, m.Notice.id)
    )
    return [
        s.Notice(
            id=n.id,
            title=s.LocalText(zh=n.title_zh, en=n.title_en),
            body=s.LocalText(zh=n.body_zh, en=n.body_en),
            starts=n.starts,
            ends=n.ends,
        )
        for n in rows
    ]


def forget(ctx: Platform) -> None:
    """A publication or a notice shows at the next fetch, not after the cache's time."""
    with _cache_lock:
        ctx.memo.pop("catalog", None)
