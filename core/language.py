"""The language switch of a signed-in person: a POST (CSRF-checked) that also keeps the choice
in their profile, so their mails follow it. A GET with ?lang= switches the session and the
cookie only (core.security): a link or an image on another site cannot change stored data."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from core.security import chosen_language
from core.web import safe_next


async def switch_language(request: Request) -> Response:
    """POST /language?lang=xx with `next`: the middleware already switched the session and
    the cookie for ?lang=; the profile follows here."""
    data = await request.form()
    lang = chosen_language(request)
    user = getattr(request.state, "user", None)
    saver = request.app.state.hooks.language_saver
    if lang and user is not None and saver is not None and user.language != lang:
        await saver(user, lang)
    target = safe_next(str(data.get("next", ""))) or str(request.url_for("core:home"))
    return RedirectResponse(target, status_code=303)


routes = [Route("/language", switch_language, methods=["POST"], name="core:language")]
