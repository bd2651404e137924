"""The award's pure modules under measurement, run by `python -m bench` (see MEASUREMENTS in
__main__.py) or alone with `python bench/bench_awards.py` (no servers needed).

- awards_irv: instant runoff over 10,000 ranked ballots (random, mostly distinct, partial or
  full) and 20 finalists, with the round-by-round report: under 0.5 s.
- awards_duplicates: exact and likely duplicate detection over 5,000 nominations in one
  category (Arabic and English names and titles, outlets, dates, e-mails, links, about 5% near
  or exact copies): under 1 s.
- awards_tabulate_1m: the pure part of tabulating one category with 1,000,000 public votes
  given as counts per finalist and 50 jury ballots (count, blend, sensitivity sweep, tabulator
  JSON): under 0.2 s, and at 4,000,000 votes under 5x that time. Reading the votes from the
  database is not part of it (it belongs to the award's services).

Each figure is the best of three runs with the cyclic garbage collector off while timing.
"""

from __future__ import annotations

import gc
import random
import sys
import time
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from awards.matching import Nomination, find_duplicates  # noqa: E402
from awards.tabulation import (  # noqa: E402
    Ballot,
    CategoryConfig,
    Method,
    TieContext,
    canonical_json,
    count_jury,
    result_document,
    tabulate_category,
)

if TYPE_CHECKING:
    from bench.__main__ import Bench, Measurement

REPEATS = 3
IRV_BALLOTS, IRV_FINALISTS, IRV_TARGET = 10_000, 20, 0.5
NOMINATIONS, DUPLICATES_TARGET = 5_000, 1.0
PUBLIC_VOTES, JURY_BALLOTS, TABULATE_FINALISTS, TABULATE_TARGET = 1_000_000, 50, 10, 0.2
SCALE_LIMIT = 5.0

ARABIC_FIRST = [
    "محمد", "أحمد", "عبدالله", "خالد", "سارة", "فاطمة", "نورة", "ريم", "عمر", "يوسف", "ليلى",
    "هند", "سلمان", "فيصل", "مريم", "علي", "حسن", "منى", "رنا", "طارق", "جميلة", "ماجد",
]  # fmt: skip
ARABIC_FAMILY = [
    "الشمري", "العتيبي", "القحطاني", "الحربي", "الزهراني", "الغامدي", "الدوسري", "المطيري",
    "السبيعي", "العنزي", "الشهري", "البلوي", "الرشيدي", "الجهني", "التميمي", "الخالدي",
]  # fmt: skip
LATIN_FIRST = [
    "Mohammed", "Ahmed", "Abdullah", "Khalid", "Sara", "Fatima", "Noura", "Reem", "Omar",
    "Youssef", "Layla", "Hind", "Salman", "Faisal", "Maryam", "Ali", "Hassan", "Mona",
]  # fmt: skip
LATIN_FAMILY = [
    "Al-Shammari", "Al-Otaibi", "Al-Qahtani", "Al-Harbi", "Al-Zahrani", "Al-Ghamdi",
    "Al-Dosari", "Al-Mutairi", "Al-Subaie", "Al-Anazi", "Al-Shehri", "Al-Balawi",
]  # fmt: skip
TITLE_WORDS_AR = [
    "تحقيق", "الموانئ", "المياه", "الصحراء", "المدن", "الذكاء", "الاصطناعي", "الإعلام", "الشباب",
    "التعليم", "الصحة", "الاقتصاد", "الرياضة", "الثقافة", "البيئة", "الطاقة", "النقل", "التراث",
]  # fmt: skip
TITLE_WORDS_EN = [
    "Inside", "Ports", "Water", "Desert", "Cities", "Artificial", "Intelligence", "Youth",
    "Schools", "Health", "Economy", "Sport", "Culture", "Climate", "Energy", "Heritage", "Files",
]  # fmt: skip
OUTLETS = ["Al Waha", "Gulf Today", "Riyadh Daily", "Sada", "Al Manara", "Nabd", "Al Ufuq"]


def best_of(task: Callable[[], object]) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(REPEATS):
        result = None
        gc.collect()
        gc.disable()
        try:
            start = time.perf_counter()
            result = task()
            best = min(best, time.perf_counter() - start)
        finally:
            gc.enable()
    return best, result


def irv_ballots(rng: random.Random) -> tuple[list[str], list[Ballot]]:
    finalists = [f"f{i:02d}" for i in range(IRV_FINALISTS)]
    weights = [rng.random() ** 2 for _ in finalists]
    ballots = []
    for number in range(IRV_BALLOTS):
        order = sorted(finalists, key=lambda f: -weights[finalists.index(f)] * rng.random())
        ballots.append(Ballot(f"j{number}", tuple(order[: rng.randint(3, IRV_FINALISTS)])))
    return finalists, ballots


def nominations(rng: random.Random) -> list[Nomination]:
    out: list[Nomination] = []
    for number in range(NOMINATIONS):
        if out and rng.random() < 0.05:  # a near or exact copy of an earlier nomination
            source = rng.choice(out)
            out.append(
                Nomination(
                    f"n{number}",
                    tuple(name.replace("أ", "ا").replace("ة", "ه") for name in source.names),
                    tuple(title.upper() for title in source.titles),
                    source.email if rng.random() < 0.5 else f"x{number}@example.net",
                    source.outlet,
                    source.published,
                    source.urls,
                )
            )
            continue
        first, family = rng.randrange(len(LATIN_FIRST)), rng.randrange(len(LATIN_FAMILY))
        out.append(
            Nomination(
                f"n{number}",
                (
                    f"{ARABIC_FIRST[first]} {ARABIC_FAMILY[family]} {number}",
                    f"{LATIN_FIRST[first]} {LATIN_FAMILY[family]} {number}",
                ),
                (
                    " ".join(rng.sample(TITLE_WORDS_AR, 4)) + f" {number}",
                    " ".join(rng.sample(TITLE_WORDS_EN, 4)) + f" {number}",
                ),
                f"person{number}@example.org",
                rng.choice(OUTLETS),
                f"2026-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                (f"https://www.example.com/stories/{number}?utm_source=x",),
            )
        )
    return out


def tabulate(votes: int, ballots: list[Ballot], finalists: tuple[str, ...]) -> str:
    rng = random.Random(votes)  # noqa: S311 - benchmark data
    shares = [rng.random() for _ in finalists]
    counts = {
        f: votes * int(1000 * s) // int(1000 * sum(shares))
        for f, s in zip(finalists, shares, strict=True)
    }
    counts[finalists[0]] += votes - sum(counts.values())
    config = CategoryConfig("bench", finalists, Method.IRV, Fraction(1, 2), quorum=10)
    context = TieContext("bench", "0" * 64, {f: i for i, f in enumerate(finalists)})
    result = tabulate_category(config, ballots, counts, context)
    return canonical_json(result_document(result, "2026-05-31"))


def run_irv() -> tuple[dict[str, Any], list[tuple[str, bool]]]:
    finalists, ballots = irv_ballots(random.Random(1))  # noqa: S311
    seconds, result = best_of(
        lambda: count_jury(Method.IRV, finalists, ballots, TieContext("bench", "0" * 64))
    )
    rounds = len(getattr(result, "rounds", ()))
    print(f"  IRV, {IRV_BALLOTS} ballots x {IRV_FINALISTS} finalists: {seconds:.3f} s", end="")
    print(f" ({rounds} rounds)")
    return (
        {"seconds": round(seconds, 4), "rounds": rounds, "target_s": IRV_TARGET},
        [
            (
                f"IRV over {IRV_BALLOTS} ballots < {IRV_TARGET} s ({seconds:.3f})",
                seconds < IRV_TARGET,
            )
        ],
    )


def run_duplicates() -> tuple[dict[str, Any], list[tuple[str, bool]]]:
    data = nominations(random.Random(2))  # noqa: S311
    seconds, found = best_of(lambda: find_duplicates(data))
    exact, likely = len(getattr(found, "exact", ())), len(getattr(found, "likely", ()))
    print(f"  duplicates among {NOMINATIONS} nominations: {seconds:.3f} s", end="")
    print(f" ({exact} exact groups, {likely} likely pairs)")
    return (
        {
            "seconds": round(seconds, 4),
            "exact_groups": exact,
            "likely_pairs": likely,
            "target_s": DUPLICATES_TARGET,
        },
        [
            (
                f"duplicate detection over {NOMINATIONS} < {DUPLICATES_TARGET} s ({seconds:.3f})",
                seconds < DUPLICATES_TARGET,
            )
        ],
    )


def run_tabulate() -> tuple[dict[str, Any], list[tuple[str, bool]]]:
    finalists = tuple(f"f{i}" for i in range(TABULATE_FINALISTS))
    rng = random.Random(3)  # noqa: S311 - benchmark data
    ballots = []
    for number in range(JURY_BALLOTS):
        order = list(finalists)
        rng.shuffle(order)
        ballots.append(Ballot(f"j{number}", tuple(order[: rng.randint(3, len(order))])))
    one, _ = best_of(lambda: tabulate(PUBLIC_VOTES, ballots, finalists))
    four, _ = best_of(lambda: tabulate(4 * PUBLIC_VOTES, ballots, finalists))
    ratio = four / one
    print(f"  tabulate 1 category, {PUBLIC_VOTES} public votes as counts", end="")
    print(f" + {JURY_BALLOTS} jury ballots: {one:.4f} s")
    print(f"  the same with {4 * PUBLIC_VOTES} votes: {four:.4f} s ({ratio:.2f}x)")
    figures = {
        "seconds_1m": round(one, 5),
        "seconds_4m": round(four, 5),
        "ratio": round(ratio, 2),
        "target_s": TABULATE_TARGET,
    }
    label = f"tabulating 1M public votes (pure part) < {TABULATE_TARGET} s ({one:.4f})"
    checks = [
        (label, one < TABULATE_TARGET),
        (f"4x the votes in < {SCALE_LIMIT:.0f}x the time ({ratio:.2f})", ratio < SCALE_LIMIT),
    ]
    return figures, checks


def _measurement(
    bench: Bench, name: str, figures: dict[str, Any], checks: list[tuple[str, bool]]
) -> Measurement:
    """A Measurement of the module that defines Bench (see bench_events._measurement)."""
    return sys.modules[type(bench).__module__].Measurement(name, figures, checks)


def awards_irv(bench: Bench) -> Measurement:
    """IRV over 10,000 ranked ballots and 20 finalists (pure, in process)."""
    return _measurement(bench, "awards_irv", *run_irv())


def awards_duplicates(bench: Bench) -> Measurement:
    """Duplicate detection over 5,000 nominations in one category (pure, in process)."""
    return _measurement(bench, "awards_duplicates", *run_duplicates())


def awards_tabulate_1m(bench: Bench) -> Measurement:
    """Tabulating one category: 1,000,000 public votes as counts plus 50 jury ballots."""
    return _measurement(bench, "awards_tabulate_1m", *run_tabulate())


MEASUREMENTS: list[Callable[[Bench], Measurement]] = [
    awards_irv,
    awards_duplicates,
    awards_tabulate_1m,
]


def main() -> int:
    checks = [check for run in (run_irv, run_duplicates, run_tabulate) for check in run()[1]]
    for label, ok in checks:
        print(f"{'PASS' if ok else 'FAIL'}  {label}")
    return 0 if all(ok for _, ok in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
