"""The bare insert: a Starlette app whose one POST route inserts one row through Tortoise.

Served like Manassa (uvicorn, same workers, uvloop + httptools) against the same kind of
database (a SQLite file with the same busy timeout, WAL as Tortoise sets it), it shows how fast
a request that writes one row can be on this machine with no middleware, session, CSRF,
permission or audit; saving a score sheet is measured against it. The database URL comes from
BENCH_INSERT_DATABASE_URL.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import AsyncIterator

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route
from tortoise import Tortoise, fields
from tortoise.contrib.starlette import RegisterTortoise
from tortoise.models import Model


class Row(Model):
    id = fields.IntField(primary_key=True)
    note = fields.CharField(max_length=200, default="")
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "bench_row"


def config() -> dict:
    return {
        "connections": {"default": os.environ["BENCH_INSERT_DATABASE_URL"]},
        "apps": {"bench": {"models": ["bench.insert_app"], "default_connection": "default"}},
        "use_tz": True,
        "timezone": "UTC",
    }


async def insert(request: Request) -> Response:
    form = await request.form()
    row = await Row.create(note=str(form.get("note", ""))[:200])
    return PlainTextResponse(str(row.id), status_code=201)


async def healthz(request: Request) -> Response:
    return PlainTextResponse("ok")


@contextlib.asynccontextmanager
async def lifespan(app: Starlette) -> AsyncIterator[None]:
    async with RegisterTortoise(app, config=config()):
        await Tortoise.generate_schemas(safe=True)  # both workers: CREATE TABLE IF NOT EXISTS
        yield


app = Starlette(
    routes=[Route("/rows", insert, methods=["POST"]), Route("/healthz", healthz)], lifespan=lifespan
)
