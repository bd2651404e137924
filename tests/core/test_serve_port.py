"""`make run PORT=8150` and `manassa serve --port 8150`: without a configured BASE_URL, the
links in the mails the app sends (read from the development mail sink's .eml files) and the
OpenAPI document's `servers` name the port the app really serves on. A configured BASE_URL
is kept, and one that cannot reach the server is reported when it starts."""

from __future__ import annotations

import contextlib
import email
import os
import re
import subprocess
import time
from collections.abc import Iterator
from email import policy
from email.message import EmailMessage
from pathlib import Path

import httpx
import pytest

from bench.servers import free_port, manassa_command, running
from core.settings import ROOT
from tests.accounts.helpers import GOOD_PASSWORD

CSRF_INPUT = re.compile(r'name="csrf_token" value="([^"]+)"')
LINK = re.compile(r"https?://\S+")
SERVER_NAMES = ("BASE_URL", "PORT", "SERVER_PORT", "SERVER_HOST", "MANASSA_CONFIG")


def serve_env(tmp: Path, **extra: str) -> dict[str, str]:
    """The shipped config.toml in development, on temporary files, with the app's own sink."""
    env = {k: v for k, v in os.environ.items() if k not in SERVER_NAMES}
    return {
        **env,
        "MANASSA_CONFIG": str(ROOT / "config.toml"),
        "APP_ENV": "development",
        "SECURITY_ARGON2_PROFILE": "test",
        "DATABASE_URL": f"sqlite://{tmp / 'db.sqlite3'}?busy_timeout=5000",
        "UPLOADS_DIR": str(tmp / "uploads"),
        "MAIL_BACKEND": "smtp",
        "MAIL_WORKER_IN_APP": "true",
        "MAIL_DEV_SINK": "true",
        "MAIL_DEV_SINK_DIR": str(tmp / "mail"),
        "SMTP_PORT": str(free_port()),
        "MAIL_POLL_SECONDS": "0.2",
        "LOG_LEVEL": "INFO",
        **extra,
    }


@contextlib.contextmanager
def serving(tmp: Path, env: dict[str, str], *arguments: str) -> Iterator[int]:
    port = int(arguments[-1]) if "--port" in arguments else int(env["PORT"])
    migrated = subprocess.run(  # noqa: S603
        [*manassa_command(), "migrate"], cwd=ROOT, env=env, capture_output=True, check=False
    )
    assert migrated.returncode == 0, migrated.stderr
    command = [*manassa_command(), "serve", *arguments]
    with running("manassa", command, env, port, tmp / "server.log"):
        yield port


def verification_mail(directory: Path, to: str, timeout: float = 20.0) -> EmailMessage:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for path in sorted(directory.glob("*.eml")):
            message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
            if str(message["To"]) == to:
                return message  # type: ignore[return-value]
        time.sleep(0.1)
    raise AssertionError(f"no mail to {to} arrived in {directory}")


def sign_up(client: httpx.Client, address: str) -> None:
    token = CSRF_INPUT.search(client.get("/signup").text)
    assert token, "no CSRF token on /signup"
    answer = client.post(
        "/signup",
        data={
            "csrf_token": token.group(1),
            "name": "Reem",
            "email": address,
            "password": GOOD_PASSWORD,
            "password_confirm": GOOD_PASSWORD,
            "language": "en",
        },
    )
    assert answer.status_code == 200, answer.text[:500]


@pytest.mark.parametrize(
    "how",
    ["make run PORT=n (PORT in the environment)", "manassa serve --port n (PORT says 8000)"],
)
def test_mail_links_and_openapi_follow_the_port_served(tmp_path, how):
    port = free_port()
    if how.startswith("make"):
        env, arguments = serve_env(tmp_path, PORT=str(port)), ()
    else:
        env, arguments = serve_env(tmp_path, PORT="8000"), ("--port", str(port))
    with serving(tmp_path, env, *arguments):
        site = f"http://127.0.0.1:{port}"
        with httpx.Client(base_url=site, timeout=30) as client:
            sign_up(client, "reem@example.org")
            mail = verification_mail(tmp_path / "mail", "reem@example.org")
            text = mail.get_body(("plain",)).get_content()  # type: ignore[union-attr]
            link = LINK.search(text)
            assert link, text
            assert link.group(0).startswith(f"{site}/verify/")
            opened = client.get(link.group(0))  # the link opens: the address is verified
            assert opened.status_code == 303
            assert opened.headers["location"] == f"{site}/login?email=reem%40example.org"
            document = client.get("/api/v1/openapi.json").json()
            assert document["servers"] == [{"url": f"{site}/api/v1"}]
    assert f"links in mails lead to {site}" in (tmp_path / "server.log").read_text()


def test_a_configured_base_url_is_kept_and_a_wrong_port_is_reported(tmp_path):
    port = free_port()
    env = serve_env(tmp_path, BASE_URL="http://127.0.0.1:8000")
    with serving(tmp_path, env, "--port", str(port)):
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as client:
            document = client.get("/api/v1/openapi.json").json()
    assert document["servers"] == [{"url": "http://127.0.0.1:8000/api/v1"}]
    log = (tmp_path / "server.log").read_text()
    assert (
        f"WARNING manassa: BASE_URL http://127.0.0.1:8000 points to port 8000, but the server "
        f"listens on http://127.0.0.1:{port}: unless a proxy forwards that port, links in "
        "mails will not reach it."
    ) in log
