"""Fixtures: a fresh database per test (in-memory SQLite, or PostgreSQL when
TEST_DATABASE_URL is set), a real SMTP sink, the app and an httpx client over ASGI."""

from __future__ import annotations

import os
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from email.message import EmailMessage

import httpx
import pytest
from hypothesis import settings as hypothesis_settings
from tortoise import Tortoise
from tortoise.contrib.test import tortoise_test_context

from core import clock
from core.app import create_app
from core.db import model_modules
from core.mail.senders import SMTPSender
from core.mail.sink import CollectingHandler, bound_port, start_sink
from core.mail.worker import MailWorker
from core.settings import Settings

# Property tests check what holds, not how fast: with the machine loaded (CI, parallel work), a
# per-example deadline made them fail at random (hypothesis' DeadlineExceeded / Flaky).
hypothesis_settings.register_profile("manassa", deadline=None)
hypothesis_settings.load_profile("manassa")

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "")
if TEST_DATABASE_URL:
    # Creating and dropping each test's database happens over a connection without a database
    # name, which asyncpg points at PGDATABASE or else a database named like the role.
    os.environ.setdefault("PGDATABASE", "postgres")
LINK = re.compile(r"https?://\S+")


@dataclass
class Sink:
    handler: CollectingHandler
    port: int

    @property
    def messages(self) -> list[EmailMessage]:
        return self.handler.messages

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if m["To"] == address]


def body(message: EmailMessage) -> str:
    return message.get_body(("plain",)).get_content()  # type: ignore[union-attr]


def html_body(message: EmailMessage) -> str:
    return message.get_body(("html",)).get_content()  # type: ignore[union-attr]


def first_link(message: EmailMessage) -> str:
    match = LINK.search(body(message))
    assert match, f"no link in mail {message['Subject']!r}"
    return match.group(0)


@pytest.fixture
async def smtp_sink() -> AsyncIterator[Sink]:
    handler = CollectingHandler()
    server = await start_sink(handler)
    yield Sink(handler, bound_port(server))
    server.close()
    await server.wait_closed()


@pytest.fixture
def settings(smtp_sink: Sink, tmp_path) -> Settings:  # noqa: ANN001
    return Settings(
        env="test",
        secret_key="test-secret-key",
        base_url="http://testserver",
        database_url=TEST_DATABASE_URL or "sqlite://:memory:",
        mail_backend="smtp",
        mail_worker_in_app=False,
        mail_dev_sink=False,
        smtp_port=smtp_sink.port,
        smtp_timeout=5.0,
        security_argon2_profile="test",
        uploads_dir=str(tmp_path / "uploads"),
        uploads_max_bytes=2 * 1024 * 1024,
    )


@pytest.fixture
async def db(settings: Settings) -> AsyncIterator[None]:
    url = TEST_DATABASE_URL or "sqlite://:memory:"
    async with tortoise_test_context(model_modules(settings), db_url=url):
        yield
        if TEST_DATABASE_URL:
            # Close the test's pool first: DROP DATABASE refuses while a session is open.
            connection = Tortoise.get_connection("default")
            await connection.close()
            await connection.db_delete()
    clock.reset()


@pytest.fixture
def app(settings: Settings, db: None):  # noqa: ANN201
    return create_app(settings)


@pytest.fixture
async def client(app) -> AsyncIterator[httpx.AsyncClient]:  # noqa: ANN001
    transport = httpx.ASGITransport(app=app, client=("203.0.113.7", 1234))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
        yield c


@pytest.fixture
def deliver(settings: Settings, smtp_sink: Sink):  # noqa: ANN201
    """Run one pass of the outbox worker against the real SMTP sink; returns what arrived."""

    async def run() -> list[EmailMessage]:
        await MailWorker(settings, SMTPSender(settings), name="test").run_once()
        return smtp_sink.messages

    return run


CSRF_INPUT = re.compile(r'name="csrf_token" value="([^"]+)"')


async def csrf(client: httpx.AsyncClient, page: str = "/login") -> str:
    response = await client.get(page)
    match = CSRF_INPUT.search(response.text)
    assert match, f"no CSRF token on {page}"
    return match.group(1)


async def post_form(
    client: httpx.AsyncClient, url: str, data: dict, page: str = "/login", **kwargs
) -> httpx.Response:  # noqa: ANN003
    token = await csrf(client, page)
    return await client.post(url, data={"csrf_token": token, **data}, **kwargs)
