"""The ceiling: a bare Starlette app rendering a static ~10 KB Jinja page.

Served with the same uvicorn settings as Manassa (2 workers, uvloop + httptools), it shows how
fast a page can be on this machine with no middleware, session, database or translation; the
home page is measured against it.
"""

from __future__ import annotations

from jinja2 import DictLoader, Environment, select_autoescape
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, Response
from starlette.routing import Route

PARAGRAPH = (
    "<p>منصة واحدة لمسابقات الإعلام: سجّل في الميدياثون، وقدّم فكرتك، ورشّح الأعمال "
    "الإعلامية المتميزة لجائزة التميز الإعلامي، وتابع النتائج. One platform for media "
    "competitions.</p>\n"
)
PAGE = (
    '<!doctype html>\n<html lang="{{ lang }}" dir="{{ dir }}">\n<head><meta charset="utf-8">'
    "<title>{{ title }}</title></head>\n<body>\n<header><h1>{{ title }}</h1></header>\n<main>\n"
    "{% for section in sections %}<section><h2>{{ section }}</h2>\n"
    + PARAGRAPH * 11
    + "</section>\n{% endfor %}</main>\n</body>\n</html>\n"
)
SECTIONS = ("فعاليات الميدياثون", "جائزة التميز الإعلامي", "الأخبار")
environment = Environment(
    loader=DictLoader({"page.html": PAGE}), autoescape=select_autoescape(default_for_string=True)
)


async def page(request: Request) -> Response:
    html = environment.get_template("page.html").render(
        lang="ar", dir="rtl", title="منصّة", sections=SECTIONS
    )
    return HTMLResponse(html)


async def healthz(request: Request) -> Response:
    return PlainTextResponse("ok")


app = Starlette(routes=[Route("/", page), Route("/healthz", healthz)])
