"""Signed-in pages under load (registered in bench/__main__.py; run just these with
`python -m bench.bench_signed_in`).

Each page is requested with the session cookie of a demo account signed in as a browser
would, against the bare ~10 KB Jinja page (the ceiling), in the same run; where the page has
an anonymous form (the home page, the event page) that figure is measured beside it:

- the home page and the event page, signed in as the captain of a demo team;
- the participant's dashboard (/me/events), the same captain;
- the nominator's "my nominations" (/me/awards), the same person, a demo nominator;
- the judge's queue (/judging/queue), a demo judge;
- the organizer's event dashboard (/events/<slug>/manage), the demo organizer.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from bench.bench_events import CAPTAIN, DEMO_PASSWORD, EVENT_PAGE, EVENT_SLUG

if TYPE_CHECKING:
    from bench.__main__ import Bench, Measurement
    from bench.load import LoadResult

JUDGE = "judge@manassa.local"
ORGANIZER = "organizer@manassa.local"


@dataclass(frozen=True)
class Page:
    key: str  # the figure's name in latest.json: contains "signed_in"
    label: str
    account: str
    path: str
    anonymous: bool  # whether the same path is measured without a session too
    target: float | None  # the least ratio to the ceiling, None: reported only


PAGES = (
    Page("home_signed_in", "home page", CAPTAIN, "/", True, None),
    Page("event_page_signed_in", "event page", CAPTAIN, EVENT_PAGE, True, 0.25),
    Page(
        "participant_dashboard_signed_in",
        "participant's dashboard",
        CAPTAIN,
        "/me/events",
        False,
        0.20,
    ),
    # a demo nominator (the same participant) with nominations in both award cycles
    Page(
        "nominator_my_nominations_signed_in",
        "nominator's my nominations",
        CAPTAIN,
        "/me/awards",
        False,
        0.30,
    ),
    Page("judge_queue_signed_in", "judge's queue", JUDGE, "/judging/queue", False, 0.25),
    Page(
        "organizer_dashboard_signed_in",
        "organizer's dashboard",
        ORGANIZER,
        f"/events/{EVENT_SLUG}/manage",
        False,
        None,
    ),
)


def _measurement(
    bench: Bench, name: str, figures: dict[str, Any], checks: list[tuple[str, bool]]
) -> Measurement:
    """A Measurement of the module that defines Bench (bench/__main__.py runs as `__main__`)."""
    return sys.modules[type(bench).__module__].Measurement(name, figures, checks)


def signed_in_pages(bench: Bench) -> Measurement:
    """Signed-in pages (session cookie, Arabic) against the ceiling, anonymous ones beside."""
    harness = sys.modules[type(bench).__module__]
    manassa, ceiling_server = bench.servers["manassa"], bench.servers["ceiling"]
    cookies = {account: session_cookie(manassa.url(""), account) for account in _accounts()}
    targets: list[tuple[str, dict[str, str]]] = [(ceiling_server.url("/"), {})]
    for page in PAGES:
        headers = {"Cookie": cookies[page.account]}
        _require_signed_in_page(manassa.url(page.path), headers, page)
        targets.append((manassa.url(page.path), headers))
        if page.anonymous:
            targets.append((manassa.url(page.path), {}))
    results = iter(bench.best(*targets))
    ceiling = next(results)
    ceiling_bytes = harness.page_bytes(ceiling_server.url("/"))
    print(f"  ceiling (bare Starlette + Jinja, {ceiling_bytes:,} B)  {ceiling.summary()}")
    figures: dict[str, Any] = {"ceiling": {**ceiling.as_dict(), "bytes": ceiling_bytes}}
    checks: list[tuple[str, bool]] = []
    for page in PAGES:
        signed = next(results)
        anonymous = next(results) if page.anonymous else None
        figures[page.key] = _figures(bench, page, ceiling, signed, anonymous, cookies)
        checks += _checks(page, figures[page.key], signed, anonymous)
    return _measurement(bench, "signed_in_pages", figures, checks)


def _accounts() -> list[str]:
    return list(dict.fromkeys(page.account for page in PAGES))


def _figures(
    bench: Bench,
    page: Page,
    ceiling: LoadResult,
    signed: LoadResult,
    anonymous: LoadResult | None,
    cookies: dict[str, str],
) -> dict[str, Any]:
    harness = sys.modules[type(bench).__module__]
    url = bench.servers["manassa"].url(page.path)
    ratio = signed.requests_per_second / ceiling.requests_per_second
    size = harness.page_bytes(url, {"Cookie": cookies[page.account]})
    print(f"  {page.label} signed in ({size:,} B)".ljust(44) + signed.summary())
    found: dict[str, Any] = {
        **signed.as_dict(),
        "bytes": size,
        "ratio": round(ratio, 3),
        "target_ratio": page.target,
    }
    if anonymous is not None:
        found["anonymous"] = {
            **anonymous.as_dict(),
            "bytes": harness.page_bytes(url),
            "ratio": round(anonymous.requests_per_second / ceiling.requests_per_second, 3),
        }
        found["signed_in_per_anonymous"] = round(
            signed.requests_per_second / anonymous.requests_per_second, 3
        )
        print(f"  {page.label} anonymous".ljust(44) + anonymous.summary())
    target = f"  (target >= {page.target:.2f})" if page.target is not None else ""
    print(f"  ratio {page.label} signed in / ceiling {ratio:.2f}{target}")
    return found


def _checks(
    page: Page, figures: dict[str, Any], signed: LoadResult, anonymous: LoadResult | None
) -> list[tuple[str, bool]]:
    checks = [
        (
            f"{page.label} signed in: no errors under load",
            signed.errors == 0 and (anonymous is None or anonymous.errors == 0),
        )
    ]
    if page.target is not None:
        ratio = figures["ratio"]
        checks.append(
            (
                f"{page.label} signed in >= {page.target:.2f} x ceiling ({ratio:.2f})",
                ratio >= page.target,
            )
        )
    return checks


def session_cookie(base_url: str, email: str) -> str:
    """Sign the demo account in as a browser would, and follow to the page it lands on (which
    shows the welcome message once); its session cookie then, as a Cookie header."""
    import httpx

    from bench.bench_judging_http import csrf_token

    with httpx.Client(base_url=base_url, timeout=30) as client:
        token = csrf_token(client.get("/login").text)
        answer = client.post(
            "/login", data={"csrf_token": token, "email": email, "password": DEMO_PASSWORD}
        )
        if answer.status_code != 303:
            raise SystemExit(f"bench: {email} could not sign in ({answer.status_code})")
        client.get(answer.headers["location"])  # shows the welcome message once, as a browser
        return f"session={client.cookies['session']}"


def _require_signed_in_page(url: str, headers: dict[str, str], page: Page) -> None:
    import urllib.request

    request = urllib.request.Request(url, headers=headers)  # noqa: S310
    with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310 - loopback only
        text = answer.read().decode()
        status = answer.status
    if status != 200 or "/logout" not in text:  # the sign-out form: signed in
        raise SystemExit(f"bench: {url} did not answer signed in as {page.account} ({status})")


MEASUREMENTS: list[Callable[[Bench], Measurement]] = [signed_in_pages]


def main(argv: list[str]) -> int:
    from bench import __main__ as harness

    harness.MEASUREMENTS[:] = MEASUREMENTS
    return harness.main([*argv, "--no-judging"])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
