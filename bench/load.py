"""Load generators: wrk when installed, else a small asyncio keep-alive client (slower: it
shares the two cores with the servers and is itself Python, so it understates both figures)."""

from __future__ import annotations

import asyncio
import re
import shutil
import statistics
import subprocess
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol
from urllib.parse import urlsplit

WRK_THREADS = 2
UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


@dataclass(frozen=True)
class LoadResult:
    requests: int
    seconds: float
    errors: int
    latency_ms: dict[str, float]

    @property
    def requests_per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def summary(self) -> str:
        latency = "  ".join(f"p{k} {v:.1f} ms" for k, v in self.latency_ms.items())
        return (
            f"{self.requests_per_second:>9,.0f} req/s  ({self.requests:,} in "
            f"{self.seconds:.1f} s, errors {self.errors}; {latency})"
        )

    def as_dict(self) -> dict[str, float | int | dict[str, float] | None]:
        return {
            "requests_per_second": round(self.requests_per_second, 1),
            "requests": self.requests,
            "seconds": round(self.seconds, 3),
            "errors": self.errors,
            "latency_ms": self.latency_ms,
            "p50_ms": self.latency_ms.get("50"),
            "p99_ms": self.latency_ms.get("99"),
        }


class Loader(Protocol):
    name: str
    description: str

    def run(
        self,
        url: str,
        duration: float,
        connections: int,
        headers: Mapping[str, str] | None = None,
    ) -> LoadResult: ...


class Wrk:
    name = "wrk"
    description = f"wrk ({WRK_THREADS} threads)"

    def __init__(self, path: str) -> None:
        self.path = path

    def run(
        self,
        url: str,
        duration: float,
        connections: int,
        headers: Mapping[str, str] | None = None,
    ) -> LoadResult:
        seconds = max(1, round(duration))
        extra = [f"-H{name}: {value}" for name, value in (headers or {}).items()]
        done = subprocess.run(  # noqa: S603
            [
                self.path,
                f"-t{WRK_THREADS}",
                f"-c{connections}",
                f"-d{seconds}s",
                "--latency",
                *extra,
                url,
            ],
            capture_output=True,
            text=True,
            check=True,
        )
        return parse_wrk(done.stdout)


def parse_wrk(output: str) -> LoadResult:
    total = re.search(r"(\d+) requests in ([\d.]+)(us|ms|s|m)\b", output)
    if total is None:
        raise RuntimeError(f"unexpected wrk output:\n{output}")
    seconds = float(total.group(2)) * {"us": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0}[total.group(3)]
    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", output))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    errors += int(non_2xx.group(1)) if non_2xx else 0
    # wrk pads each percentile line ("     99%    2.58s "): a value of a second or more
    # ends with "s" and a space, so the line's end is not right after the unit.
    latency = {
        p: round(float(v) * UNITS[u], 2)
        for p, v, u in re.findall(
            r"^\s+(50|90|99)%\s+([\d.]+)(us|ms|s|m)\s*$", output, re.MULTILINE
        )
    }
    return LoadResult(int(total.group(1)), seconds, errors, latency)


class AsyncioLoad:
    name = "asyncio"
    description = (
        "a small asyncio keep-alive client (wrk is not installed: apt-get install "
        "wrk; this client is slower and understates both figures)"
    )

    def run(
        self,
        url: str,
        duration: float,
        connections: int,
        headers: Mapping[str, str] | None = None,
    ) -> LoadResult:
        return asyncio.run(self._run(url, duration, connections, headers or {}))

    async def _run(
        self, url: str, duration: float, connections: int, headers: Mapping[str, str]
    ) -> LoadResult:
        parts = urlsplit(url)
        host, port = parts.hostname or "127.0.0.1", parts.port or 80
        extra = "".join(f"{name}: {value}\r\n" for name, value in headers.items())
        request = (
            f"GET {parts.path or '/'} HTTP/1.1\r\nHost: {host}:{port}\r\n"
            f"{extra}Connection: keep-alive\r\n\r\n"
        ).encode()
        latencies: list[float] = []
        errors = [0]
        started = time.monotonic()
        deadline = started + duration
        await asyncio.gather(
            *(
                self._connection(host, port, request, deadline, latencies, errors)
                for _ in range(connections)
            )
        )
        elapsed = time.monotonic() - started
        return LoadResult(len(latencies), elapsed, errors[0], percentiles(latencies))

    async def _connection(
        self,
        host: str,
        port: int,
        request: bytes,
        deadline: float,
        latencies: list[float],
        errors: list[int],
    ) -> None:
        reader, writer = await asyncio.open_connection(host, port)
        try:
            while time.monotonic() < deadline:
                sent = time.monotonic()
                writer.write(request)
                head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 10)
                length = re.search(rb"(?i)\r\ncontent-length: *(\d+)", head)
                await reader.readexactly(int(length.group(1)) if length else 0)
                if head.split(b" ", 2)[1][:1] not in (b"2", b"3") or length is None:
                    errors[0] += 1
                latencies.append((time.monotonic() - sent) * 1000)
        except (OSError, asyncio.IncompleteReadError, TimeoutError):
            errors[0] += 1
        finally:
            writer.close()


def percentiles(latencies: list[float]) -> dict[str, float]:
    """The 50th, 90th and 99th percentiles, each within the latencies measured ("inclusive":
    the default method extrapolates past the slowest of a few dozen, a p99 of 145 ms beside a
    slowest request of 104 ms)."""
    if len(latencies) < 2:
        return {}
    cuts = statistics.quantiles(latencies, n=100, method="inclusive")
    return {"50": round(cuts[49], 2), "90": round(cuts[89], 2), "99": round(cuts[98], 2)}


def pick_loader() -> Loader:
    path = shutil.which("wrk")
    return Wrk(path) if path else AsyncioLoad()
