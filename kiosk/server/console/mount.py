"""The console's pages, static files and error pages, added to the platform's application."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import Response
from fastapi.staticfiles import StaticFiles

from kiosk.server.console import web
from kiosk.server.console.pages import router


def mount(app: FastAPI) -> None:
    app.include_router(router, include_in_schema=False)
    app.mount("/console/static", StaticFiles(directory=web.STATIC), name="console-static")
    # The kiosk's own Chinese font, for an office computer that has none: the pages name the
    # usual system fonts first, so this is fetched only where they are missing.
    app.mount("/console/fonts", StaticFiles(directory=web.FONTS), name="console-fonts")

    async def not_signed_in(request: Request, _exc: Exception) -> Response:
        response = web.redirect("/console/login")
        web.clear_session(response)
        return response

    async def refused(request: Request, exc: Exception) -> Response:
        problem = {
            web.Forbidden: ("console.error.forbidden", 403),
            web.BadToken: ("console.error.form_expired", 403),
            web.NotFound: ("console.error.not_found", 404),
        }[type(exc)]
        return web.render(
            request,
            "problem.html",
            language=web.language_of(request),
            problem=problem[0],
            status_code=problem[1],
        )

    app.add_exception_handler(web.NotSignedIn, not_signed_in)
    for kind in (web.Forbidden, web.BadToken, web.NotFound):
        app.add_exception_handler(kind, refused)
