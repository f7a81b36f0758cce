"""The console's pages, by what they are for. Each page says which roles may see it; each form
posts its CSRF token, and each action a member of staff takes goes into the hash-chained audit
log (Art. 16, 18). A form takes effect at once and comes back to the page it was on, saying
what happened."""

from __future__ import annotations

from fastapi import APIRouter

from kiosk.server.console import accounts, audit_log, catalog, complaints, fleet, signin
from kiosk.server.routing import OneHopRoute

router = APIRouter(route_class=OneHopRoute)
for _part in (signin, complaints, fleet, catalog, accounts, audit_log):
    router.include_router(_part.router)
