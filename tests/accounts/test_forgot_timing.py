"""/password/forgot does the same work for an existing and an unknown account before it
answers (item 9 of issue 13: the timing told which addresses have an account)."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator

import httpx
import pytest

from core import ratelimit
from tests.accounts.helpers import snapshot
from tests.conftest import csrf
from tests.factories import make_user


class Statements(logging.Handler):
    """The SQL statements Tortoise runs, and how many had run when the answer was complete."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.texts: list[str] = []
        self.when_answered: int | None = None

    def emit(self, record: logging.LogRecord) -> None:
        if record.args and isinstance(record.args, tuple):
            self.texts.append(str(record.args[0]))

    def before_answer(self) -> list[str]:
        assert self.when_answered is not None
        return self.texts[: self.when_answered]


@pytest.fixture
def statements() -> Iterator[Statements]:
    logger = logging.getLogger("tortoise.db_client")
    handler, level = Statements(), logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    yield handler
    logger.removeHandler(handler)
    logger.setLevel(level)


def watching(app, statements: Statements):  # noqa: ANN001, ANN201
    """The app, noting how many statements had run when the last byte of an answer left."""

    async def watched(scope, receive, send) -> None:  # noqa: ANN001
        async def noting(message) -> None:  # noqa: ANN001
            await send(message)
            if message["type"] == "http.response.body" and not message.get("more_body"):
                statements.when_answered = len(statements.texts)

        await app(scope, receive, noting)

    return watched


async def ask_reset(app, statements: Statements, email: str) -> list[str]:  # noqa: ANN001
    transport = httpx.ASGITransport(app=watching(app, statements), client=("203.0.113.7", 1))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        token = await csrf(client, "/password/forgot")
        statements.texts.clear()
        response = await client.post("/password/forgot", data={"csrf_token": token, "email": email})
    assert response.status_code == 200
    return statements.before_answer()


async def test_an_existing_and_an_unknown_account_run_the_same_statements_before_the_answer(
    app, statements, deliver, monkeypatch
):
    monkeypatch.setattr(ratelimit, "_last_prune", time.monotonic())  # no pruning in between
    await make_user("known@example.org")
    known = await ask_reset(app, statements, "known@example.org")
    unknown = await ask_reset(app, statements, "nobody@example.org")
    assert known == unknown
    assert not any("outbox" in text for text in known)

    # The link is still mailed, after the answer.
    [mail] = await deliver()
    assert mail["To"] == "known@example.org"
    assert (await snapshot())["mails"] == 1
