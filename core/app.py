"""create_app(settings) -> Starlette: middleware, routes of every installed domain, lifespan."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Sequence

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.types import Receive, Scope, Send
from tortoise.contrib.starlette import RegisterTortoise

from core import errors, permissions
from core.db import tortoise_config
from core.hooks import Hooks, collect
from core.i18n import gettext as _
from core.i18n import use_locale
from core.mail.senders import make_sender
from core.mail.sink import CollectingHandler, start_sink
from core.mail.worker import MailWorker
from core.routes import routes as core_routes
from core.routing import BySegment, NamedRouter, grouped
from core.security import (
    CSRFMiddleware,
    RequestContextMiddleware,
    chosen_language,
    language_cookie,
    security_headers,
)
from core.sessions import SessionMiddleware
from core.settings import Settings, load_settings
from core.templating import render
from core.web import safe_next

log = logging.getLogger("manassa")


def error_page(
    request: Request, status: int, message: str = "", details: Sequence[str] = ()
) -> Response:
    titles = {
        400: _("The request could not be understood"),
        401: _("Please sign in"),
        403: _("You do not have permission"),
        404: _("Page not found"),
        405: _("This action is not available here"),
        409: _("This conflicts with the current state"),
        413: _("The upload is too large"),
        422: _("Please correct the form"),
        429: _("Too many attempts"),
        500: _("Something went wrong on our side"),
    }
    context = {
        "status": status,
        "title": titles.get(status, titles[400]),
        "message": message,
        "details": list(details),
        "request_id": getattr(request.state, "request_id", ""),
    }
    return render(request, "core/error.html", context, status_code=status)


async def http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    if exc.status_code == 404:
        response = error_page(
            request, 404, _("This page does not exist or is not available to you.")
        )
    else:
        response = error_page(request, exc.status_code)
    for key, value in (exc.headers or {}).items():  # e.g. Allow on a 405
        response.headers[key] = value
    return response


async def domain_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, errors.DomainError)
    sign_in = get_hooks(request).sign_in_route
    if isinstance(exc, permissions.SignInRequired) and sign_in:
        then = safe_next(exc.then) or _next(request)
        target = request.url_for(sign_in).include_query_params(next=then)
        return RedirectResponse(str(target), status_code=303)
    details = list(exc.errors.values()) if isinstance(exc, errors.Invalid) else []
    response = error_page(request, exc.status_code, exc.message, details)
    if isinstance(exc, errors.TooManyRequests):
        response.headers["Retry-After"] = str(exc.retry_after)
    return response


def _next(request: Request) -> str:
    query = f"?{request.url.query}" if request.url.query else ""
    return request.url.path + query


async def server_error(request: Request, exc: Exception) -> Response:
    """The friendly 500 page. It runs outside RequestContextMiddleware (Starlette calls it from
    the outermost middleware), so it sets the language and the security headers itself."""
    request_id = getattr(request.state, "request_id", "") or "-"
    log.error(
        "request %s failed: %s %s", request_id, request.method, request.url.path, exc_info=exc
    )
    try:
        with use_locale(getattr(request.state, "lang", "")):
            response = error_page(request, 500)
    except Exception:  # the error page itself must never fail
        log.exception("request %s: the error page failed too", request_id)
        response = PlainTextResponse(f"500 - request {request_id}", status_code=500)
    settings = request.app.state.settings
    for key, value in security_headers(settings):
        response.headers[key.decode()] = value.decode()
    response.headers["x-request-id"] = request_id
    if lang := chosen_language(request):  # the switch holds even when the page failed
        response.headers.append("set-cookie", language_cookie(lang, settings))
    return response


def csrf_refused(settings: Settings):  # noqa: ANN201 - an ASGI app
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope, receive)
        message = _(
            "The form expired or was sent from another site. Reload the page and try again."
        )
        await error_page(request, 403, message)(scope, receive, send)

    return app


@contextlib.asynccontextmanager
async def lifespan(app: Starlette) -> AsyncIterator[None]:
    settings: Settings = app.state.settings
    async with RegisterTortoise(app, config=tortoise_config(settings)):
        async with contextlib.AsyncExitStack() as stack:
            await _start_dev_sink(settings, stack)
            if settings.mail_worker_in_app:
                await _start_worker(app, settings, stack)
            yield


async def _start_dev_sink(settings: Settings, stack: contextlib.AsyncExitStack) -> None:
    if not (settings.mail_dev_sink and settings.mail_backend == "smtp") or settings.production:
        return
    handler = CollectingHandler(settings.path(settings.mail_dev_sink_dir))
    try:
        server = await start_sink(handler, settings.smtp_host, settings.smtp_port)
    except OSError as exc:  # another process (a second worker) already runs it
        log.info("development mail sink not started here: %s", exc)
        return
    log.info(
        "development mail sink on %s:%s writes to %s",
        settings.smtp_host,
        settings.smtp_port,
        handler.directory,
    )
    stack.callback(server.close)


async def _start_worker(
    app: Starlette, settings: Settings, stack: contextlib.AsyncExitStack
) -> None:
    stop = asyncio.Event()
    worker = MailWorker(settings, make_sender(settings))
    app.state.mail_worker = worker
    task = asyncio.create_task(worker.run_forever(stop), name="mail-worker")

    async def shutdown() -> None:
        stop.set()
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.wait_for(task, timeout=5)

    stack.push_async_callback(shutdown)


def create_app(settings: Settings | None = None) -> Starlette:
    settings = settings or load_settings()
    logging.basicConfig(
        level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    domain_routes, hooks = collect(settings)
    middleware = [
        Middleware(TrustedHostMiddleware, allowed_hosts=settings.trusted_hosts),
        Middleware(
            SessionMiddleware,
            secret_key=settings.secret_key,
            session_cookie="session",
            max_age=settings.security_session_max_age,
            same_site="lax",
            https_only=settings.https,
        ),
        Middleware(
            RequestContextMiddleware,
            settings=settings,
            user_loader=hooks.user_loader,
            language_saver=hooks.language_saver,
        ),
        Middleware(CSRFMiddleware, on_refused=csrf_refused(settings)),
    ]
    app = Starlette(
        # one entry: the group of the request's first path segment is looked up, not searched
        routes=[BySegment(grouped([*core_routes, *domain_routes]))],
        middleware=middleware,
        exception_handlers={
            HTTPException: http_error,
            errors.DomainError: domain_error,
            Exception: server_error,
        },
        lifespan=lifespan,
    )
    # the same routes and lifespan, on a router that remembers which route answers a name
    app.router = NamedRouter(app.router.routes, lifespan=lifespan)
    app.state.settings = settings
    app.state.hooks = hooks
    app.state.url_cache = {}
    app.state.route_cache = {}
    app.state.nav_cache = {}  # core.templating.nav_links
    app.state.header_cache = {}  # core.templating.site_header
    app.state.head_cache = {}  # core.templating.site_head
    return app


def app_factory() -> Starlette:
    """For `uvicorn --factory core.app:app_factory` (every worker builds its own app)."""
    return create_app()


def get_hooks(request: Request) -> Hooks:
    return request.app.state.hooks
