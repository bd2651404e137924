"""`python -m bench` (`make bench`): Manassa under load, against a ceiling, then the judging bench.

Each measurement is a function taking the Bench (servers, load tool, options) and returning a
Measurement (figures for the JSON file and PASS/FAIL checks); add new ones to MEASUREMENTS.
Results go to bench/results/<time>.json and bench/results/latest.json.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench import (
    bench_award_results,
    bench_awards,
    bench_awards_http,
    bench_awards_list,
    bench_events,
    bench_fraud,
    bench_judging_http,
    bench_public_vote,
    bench_results,
    bench_signed_in,
)
from bench.load import Loader, LoadResult, pick_loader
from bench.servers import ROOT, Server, ceiling_server, manassa_server

RESULTS = ROOT / "bench" / "results"
JUDGING_BENCH = ROOT / "bench" / "bench_judging.py"
HOME_TARGET_RATIO = 0.70


@dataclass
class Measurement:
    name: str
    figures: dict[str, Any]
    checks: list[tuple[str, bool]] = field(default_factory=list)


@dataclass
class Bench:
    loader: Loader
    duration: float
    warmup: float
    connections: int
    rounds: int
    servers: dict[str, Server]

    def best(self, *targets: str | tuple[str, Mapping[str, str]]) -> list[LoadResult]:
        """Warm each URL up, then measure them in turn, `rounds` times, and keep each one's best
        run (the least disturbed on 2 shared cores); taking turns spreads any slow spell of the
        machine over all of them. A target is a URL, or a URL with request headers (a signed-in
        session's cookie)."""
        pairs = [(t, {}) if isinstance(t, str) else t for t in targets]
        for url, headers in pairs:
            self.loader.run(url, self.warmup, self.connections, headers)
        runs: list[list[LoadResult]] = [[] for _ in pairs]
        for _ in range(self.rounds):
            for runs_of, (url, headers) in zip(runs, pairs, strict=True):
                runs_of.append(self.loader.run(url, self.duration, self.connections, headers))
        return [max(r, key=lambda one: one.requests_per_second) for r in runs]


def home_vs_ceiling(bench: Bench) -> Measurement:
    """The anonymous Arabic home page against a bare Starlette + Jinja page of about 10 KB
    (the home page is smaller: both sizes are recorded)."""
    home_url = bench.servers["manassa"].url("/")
    ceiling_url = bench.servers["ceiling"].url("/")
    home_bytes = require_arabic_page(home_url)
    ceiling_bytes = page_bytes(ceiling_url)
    ceiling, home = bench.best(ceiling_url, home_url)
    ratio = home.requests_per_second / ceiling.requests_per_second
    print(f"  ceiling (bare Starlette + Jinja, {ceiling_bytes:,} B) {ceiling.summary()}")
    print(f"  Manassa home page (anonymous, Arabic, {home_bytes:,} B) {home.summary()}")
    print(
        f"  ratio home / ceiling                      {ratio:.2f}  (target >= "
        f"{HOME_TARGET_RATIO:.2f})"
    )
    return Measurement(
        "home_vs_ceiling",
        {
            "ceiling": {**ceiling.as_dict(), "bytes": ceiling_bytes},
            "home": {**home.as_dict(), "bytes": home_bytes},
            "ratio": round(ratio, 3),
            "target_ratio": HOME_TARGET_RATIO,
        },
        [
            (
                f"home page >= {HOME_TARGET_RATIO:.2f} x ceiling ({ratio:.2f})",
                ratio >= HOME_TARGET_RATIO,
            ),
            ("no errors under load", home.errors == 0 and ceiling.errors == 0),
        ],
    )


def require_arabic_page(url: str) -> int:
    """The home page's size in bytes, once it is known to be the Arabic home page."""
    import urllib.request

    with urllib.request.urlopen(url, timeout=5) as answer:  # noqa: S310 - loopback only
        body = answer.read()
    if '<html lang="ar" dir="rtl">' not in body.decode():
        raise SystemExit(f"bench: {url} did not answer with the Arabic home page")
    return len(body)


def page_bytes(url: str, headers: Mapping[str, str] | None = None) -> int:
    """The size of the page's body in bytes, as a browser receives it (no compression)."""
    import urllib.request

    request = urllib.request.Request(url, headers=dict(headers or {}))  # noqa: S310
    with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310 - loopback only
        return len(answer.read())


MEASUREMENTS: list[Callable[[Bench], Measurement]] = [
    home_vs_ceiling,
    *bench_events.MEASUREMENTS,
    *bench_judging_http.MEASUREMENTS,
    *bench_awards.MEASUREMENTS,
    *bench_awards_list.MEASUREMENTS,
    *bench_awards_http.MEASUREMENTS,
    *bench_signed_in.MEASUREMENTS,
    *bench_results.MEASUREMENTS,
    *bench_award_results.MEASUREMENTS,
    *bench_fraud.MEASUREMENTS,
    *bench_public_vote.MEASUREMENTS,
]


def run_judging_bench() -> Measurement | None:
    if not JUDGING_BENCH.exists():
        return None
    print(f"\n== {JUDGING_BENCH.relative_to(ROOT)}", flush=True)
    completed = subprocess.run(  # noqa: S603
        [sys.executable, str(JUDGING_BENCH)], cwd=ROOT, capture_output=True, text=True
    )
    print(completed.stdout, end="")
    print(completed.stderr, end="", file=sys.stderr)
    checks = [
        (line[4:].strip(), line.startswith("PASS"))
        for line in completed.stdout.splitlines()
        if line.startswith(("PASS", "FAIL"))
    ]
    checks.append(("bench_judging.py exit code 0", completed.returncode == 0))
    return Measurement(
        "judging", {"exit_code": completed.returncode, "output": completed.stdout}, checks
    )


def run_cpu_bench() -> Measurement:
    """CPU time per request of each page in-process (bench/cpu.py), after the servers have
    stopped: on 2 shared cores this varies far less than throughput under load, and shows what
    a page costs apart from the HTTP server's own fixed cost per request."""
    print("\n== cpu_per_request: CPU time per request in-process (bench/cpu.py)", flush=True)
    with tempfile.TemporaryDirectory(prefix="manassa-cpu-") as name:
        out = Path(name) / "cpu.json"
        completed = subprocess.run(  # noqa: S603
            [sys.executable, "-m", "bench.cpu", "--json", str(out)],
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        print(completed.stdout, end="")
        print(completed.stderr[-3000:], end="", file=sys.stderr)
        figures = json.loads(out.read_text()) if completed.returncode == 0 else {}
    return Measurement(
        "cpu_per_request",
        {"pages": figures, "exit_code": completed.returncode},
        [("bench/cpu.py measured every page (exit code 0)", completed.returncode == 0)],
    )


@contextlib.contextmanager
def started_servers(workers: int) -> Iterator[dict[str, Server]]:
    with tempfile.TemporaryDirectory(prefix="manassa-bench-") as name:
        tmp = Path(name)
        with manassa_server(tmp, workers) as manassa, ceiling_server(tmp, workers) as ceiling:
            yield {"manassa": manassa, "ceiling": ceiling}


def save(measurements: list[Measurement], loader: Loader, args: argparse.Namespace) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now(dt.UTC)
    document = {
        "when": stamp.isoformat(timespec="seconds"),
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
        },
        "load_tool": loader.name,
        "settings": {
            "duration_s": args.duration,
            "warmup_s": args.warmup,
            "connections": args.connections,
            "rounds": args.rounds,
            "workers": args.workers,
        },
        "measurements": {m.name: m.figures for m in measurements},
        "checks": [{"check": label, "ok": ok} for m in measurements for label, ok in m.checks],
    }
    path = RESULTS / f"{stamp.strftime('%Y%m%d-%H%M%S')}.json"
    text = json.dumps(document, ensure_ascii=False, indent=2)
    path.write_text(text, encoding="utf-8")
    (RESULTS / "latest.json").write_text(text, encoding="utf-8")
    return path


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=5.0, help="seconds per measured run")
    parser.add_argument("--warmup", type=float, default=2.0, help="seconds of warm-up per URL")
    parser.add_argument("--rounds", type=int, default=3, help="measured runs per URL (best kept)")
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--workers", type=int, default=2, help="uvicorn workers per server")
    parser.add_argument("--no-judging", action="store_true", help="skip bench_judging.py")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    loader = pick_loader()
    print(f"load generator: {loader.description}")
    started = time.monotonic()
    with started_servers(args.workers) as servers:
        bench = Bench(loader, args.duration, args.warmup, args.connections, args.rounds, servers)
        measurements = []
        for measure in MEASUREMENTS:
            print(f"\n== {measure.__name__}: {(measure.__doc__ or '').strip()}", flush=True)
            measurements.append(measure(bench))
    measurements.append(run_cpu_bench())
    if not args.no_judging and (judging := run_judging_bench()) is not None:
        measurements.append(judging)
    path = save(measurements, loader, args)
    print(f"\n== summary ({time.monotonic() - started:.0f} s; saved {path.relative_to(ROOT)})")
    checks = [check for m in measurements for check in m.checks]
    for label, ok in checks:
        print(f"{'PASS' if ok else 'FAIL'}  {label}")
    return 0 if all(ok for _, ok in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
