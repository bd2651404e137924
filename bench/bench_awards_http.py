"""The award's public pages under load, over HTTP (registered in bench/__main__.py):

- the published shortlist page of the demo's last cycle, and the public page of this year's
  cycle (both anonymous, Arabic), each against the bare 10 KB Jinja page, served the same way in
  the same run.
"""

from __future__ import annotations

import json
import sys
import urllib.error
import urllib.request
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bench.__main__ import Bench, Measurement

SHORTLIST_TARGET_RATIO = 0.70


def _measurement(
    bench: Bench, name: str, figures: dict[str, Any], checks: list[tuple[str, bool]]
) -> Measurement:
    """A Measurement of the module that defines Bench (bench/__main__.py runs as `__main__`)."""
    return sys.modules[type(bench).__module__].Measurement(name, figures, checks)


def shortlist_path(base_url: str) -> str:
    """The shortlist page of the first published cycle whose shortlist the API answers."""
    with urllib.request.urlopen(base_url + "/api/v1/awards", timeout=5) as answer:  # noqa: S310
        cycles = json.load(answer)["cycles"]
    for cycle in cycles:
        path = f"/awards/{cycle['slug']}/shortlist"
        try:
            with urllib.request.urlopen(base_url + "/api/v1" + path, timeout=5):  # noqa: S310
                return path
        except urllib.error.HTTPError:
            continue
    raise SystemExit("bench: the demo data has no published award shortlist")


def require_shortlist_page(url: str) -> None:
    with urllib.request.urlopen(url, timeout=5) as answer:  # noqa: S310 - loopback only
        page = answer.read().decode()
    if '<html lang="ar" dir="rtl">' not in page or 'data-testid="shortlisted"' not in page:
        raise SystemExit(f"bench: {url} did not answer with the Arabic shortlist")


def shortlist_vs_ceiling(bench: Bench) -> Measurement:
    """The public shortlist page (anonymous, Arabic) against the bare 10 KB Jinja page."""
    manassa = bench.servers["manassa"]
    url = manassa.url(shortlist_path(manassa.url("")))
    require_shortlist_page(url)
    ceiling, shortlist = bench.best(bench.servers["ceiling"].url("/"), url)
    ratio = shortlist.requests_per_second / ceiling.requests_per_second
    print(f"  ceiling (bare Starlette + Jinja, 10 KB)   {ceiling.summary()}")
    print(f"  award shortlist page (anonymous, Arabic)  {shortlist.summary()}")
    print(
        f"  ratio shortlist / ceiling                 {ratio:.2f}  (target >= "
        f"{SHORTLIST_TARGET_RATIO:.2f})"
    )
    return _measurement(
        bench,
        "awards_shortlist_vs_ceiling",
        {
            "ceiling": ceiling.as_dict(),
            "shortlist": shortlist.as_dict(),
            "ratio": round(ratio, 3),
            "target_ratio": SHORTLIST_TARGET_RATIO,
        },
        [
            (
                f"award shortlist page >= {SHORTLIST_TARGET_RATIO:.2f} x ceiling ({ratio:.2f})",
                ratio >= SHORTLIST_TARGET_RATIO,
            ),
            (
                "no errors under load (shortlist page)",
                shortlist.errors == 0 and ceiling.errors == 0,
            ),
        ],
    )


def cycle_page_vs_ceiling(bench: Bench) -> Measurement:
    """The public page of the newest published cycle (anonymous, Arabic) against the bare
    10 KB Jinja page."""
    manassa = bench.servers["manassa"]
    with urllib.request.urlopen(manassa.url("/api/v1/awards"), timeout=5) as answer:  # noqa: S310
        slug = json.load(answer)["cycles"][0]["slug"]
    url = manassa.url(f"/awards/{slug}")
    with urllib.request.urlopen(url, timeout=5) as answer:  # noqa: S310 - loopback only
        page = answer.read().decode()
    if '<html lang="ar" dir="rtl">' not in page:
        raise SystemExit(f"bench: {url} did not answer with the Arabic cycle page")
    ceiling, cycle = bench.best(bench.servers["ceiling"].url("/"), url)
    ratio = cycle.requests_per_second / ceiling.requests_per_second
    print(f"  ceiling (bare Starlette + Jinja, 10 KB)   {ceiling.summary()}")
    print(f"  award cycle page (anonymous, Arabic)      {cycle.summary()}")
    print(f"  ratio cycle page / ceiling                {ratio:.2f}  (target >= 0.70)")
    return _measurement(
        bench,
        "awards_cycle_page_vs_ceiling",
        {
            "ceiling": ceiling.as_dict(),
            "cycle_page": cycle.as_dict(),
            "ratio": round(ratio, 3),
            "target_ratio": SHORTLIST_TARGET_RATIO,
        },
        [
            (f"award cycle page >= 0.70 x ceiling ({ratio:.2f})", ratio >= SHORTLIST_TARGET_RATIO),
            ("no errors under load (cycle page)", cycle.errors == 0 and ceiling.errors == 0),
        ],
    )


MEASUREMENTS: list[Callable[[Bench], Measurement]] = [shortlist_vs_ceiling, cycle_page_vs_ceiling]
