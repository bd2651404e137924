"""Start the servers a benchmark measures, each as `uvicorn --workers N` on a loopback port."""

from __future__ import annotations

import contextlib
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
START_SECONDS = 60.0


@dataclass(frozen=True)
class Server:
    name: str
    port: int
    log: Path

    def url(self, path: str = "/") -> str:
        return f"http://127.0.0.1:{self.port}{path}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def manassa_command() -> list[str]:
    script = Path(sys.executable).with_name("manassa")
    return [str(script)] if script.exists() else [sys.executable, "-m", "core.cli"]


def manassa_env(tmp: Path, port: int) -> dict[str, str]:
    """Production settings on a temporary SQLite file; no mail worker or sink in the app."""
    return {
        **os.environ,
        "APP_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(32),
        "SECURITY_ARGON2_PROFILE": "default",
        "LOG_LEVEL": "WARNING",
        "DATABASE_URL": f"sqlite://{tmp / 'bench.sqlite3'}?busy_timeout=5000",
        "BASE_URL": f"http://127.0.0.1:{port}",
        "UPLOADS_DIR": str(tmp / "uploads"),
        "MAIL_WORKER_IN_APP": "false",
        "MAIL_DEV_SINK": "false",
    }


def manassa(env: dict[str, str], *command: str) -> str:
    done = subprocess.run(  # noqa: S603
        command or [],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise SystemExit(f"bench: {' '.join(command)} failed:\n{done.stdout}{done.stderr}")
    return done.stdout


@contextlib.contextmanager
def manassa_server(tmp: Path, workers: int) -> Iterator[Server]:
    port = free_port()
    env = manassa_env(tmp, port)
    manassa(env, *manassa_command(), "migrate")
    manassa(env, *manassa_command(), "demo")
    print("Manassa: temporary SQLite database migrated, demo data loaded")
    serve = [
        *manassa_command(),
        "serve",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        str(workers),
    ]
    with running("manassa", serve, env, port, tmp / "manassa.log") as server:
        yield server


@contextlib.contextmanager
def ceiling_server(tmp: Path, workers: int) -> Iterator[Server]:
    port = free_port()
    # the same uvicorn settings as `manassa serve` (uvloop and httptools chosen by "auto")
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        "bench.ceiling:app",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--proxy-headers",
        "--no-access-log",
        "--log-level",
        "warning",
    ]
    with running("ceiling", command, dict(os.environ), port, tmp / "ceiling.log") as server:
        yield server


@contextlib.contextmanager
def running(
    name: str, command: list[str], env: dict[str, str], port: int, log: Path
) -> Iterator[Server]:
    with log.open("wb") as out:
        process = subprocess.Popen(  # noqa: S603
            command,
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    server = Server(name, port, log)
    try:
        wait_healthy(server, process)
        yield server
    finally:
        stop_process(process, timeout=20)


def stop_process(process: subprocess.Popen, timeout: float) -> None:
    """Ask a server to stop, and kill it if it has not within `timeout` seconds."""
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def wait_healthy(server: Server, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline and process.poll() is None:
        try:
            with urllib.request.urlopen(server.url("/healthz"), timeout=1) as answer:  # noqa: S310
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"bench: {server.name} did not start:\n{server.log.read_text()[-3000:]}")
