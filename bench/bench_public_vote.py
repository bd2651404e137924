"""The public vote under load (registered in bench/__main__.py; run just this with
`python -m bench.bench_public_vote`): verified voters casting and changing their vote in a
category of the demo's cycle whose public vote is open (each with its session cookie and CSRF
token, as a browser posts the ballot), against the bare endpoint inserting one row
(bench/insert_app.py) in the same run. Target: 0.50 of it.

The voters verify beforehand as people do: a code asked by e-mail, read from the bench
database's outbox, entered on the vote page. Each vote comes from its own client address (sent
as X-Forwarded-For, which the server trusts from loopback): a real public vote comes from many
addresses, and one address is held to 20 votes a minute."""

from __future__ import annotations

import contextlib
import re
import sqlite3
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bench.bench_judging_http import (
    INSERT_SCRIPT,
    best_runs,
    csrf_token,
    insert_server,
    run_script,
    workers_of,
)
from bench.load import Wrk

if TYPE_CHECKING:
    from bench.__main__ import Bench, Measurement
    from bench.servers import Server

VOTE_TARGET_RATIO = 0.50
VOTERS = 64
CODE = re.compile(r"\b(\d{6})\b")
LETTERS = "abcdefghijklmnopqrstuvwxyz"


@dataclass(frozen=True)
class Voter:
    cookie: str
    token: str


def _measurement(
    bench: Bench, name: str, figures: dict[str, Any], checks: list[tuple[str, bool]]
) -> Measurement:
    """A Measurement of the module that defines Bench (bench/__main__.py runs as `__main__`)."""
    return sys.modules[type(bench).__module__].Measurement(name, figures, checks)


def vote_vs_insert(bench: Bench) -> Measurement:
    """A verified voter casting a public vote (its session) against a bare one-row insert."""
    if not isinstance(bench.loader, Wrk):
        return _measurement(
            bench,
            "public_vote_vs_insert",
            {"skipped": "wrk is not installed"},
            [("public vote measured (needs wrk: apt-get install wrk)", False)],
        )
    manassa = bench.servers["manassa"]
    database = manassa.log.parent / "bench.sqlite3"
    slug, category, finalists = demo_vote(database)
    voters = [verified(manassa, database, slug, category, n) for n in range(VOTERS)]
    logged_before = logged(database)
    with insert_server(manassa.log.parent, workers_of(bench)) as bare:
        runs = {
            "insert": lambda seconds: run_script(bench, bare.url("/rows"), INSERT_SCRIPT, seconds),
            "vote": lambda seconds: run_script(
                bench, manassa.url("/"), vote_script(voters, slug, category, finalists), seconds
            ),
        }
        results, requests = best_runs(bench, runs)
    insert, vote = results["insert"], results["vote"]
    written = logged(database) - logged_before
    ratio = vote.requests_per_second / insert.requests_per_second
    print(f"  bare insert (Starlette + Tortoise, 1 row) {insert.summary()}")
    print(f"  public vote cast (verified voter)        {vote.summary()}")
    print(
        f"  ratio vote / insert                      {ratio:.2f}  (target >= "
        f"{VOTE_TARGET_RATIO:.2f})"
    )
    print(f"  votes logged {written:,} for {requests['vote']:,} answered votes")
    return _measurement(
        bench,
        "public_vote_vs_insert",
        {
            "insert": insert.as_dict(),
            "vote": vote.as_dict(),
            "ratio": round(ratio, 3),
            "target_ratio": VOTE_TARGET_RATIO,
            "votes_logged": written,
            "votes_answered": requests["vote"],
        },
        [
            (
                f"public vote >= {VOTE_TARGET_RATIO:.2f} x bare insert ({ratio:.2f})",
                ratio >= VOTE_TARGET_RATIO,
            ),
            ("no errors under load (votes and inserts)", vote.errors == 0 and insert.errors == 0),
            ("every answered vote is logged", written >= requests["vote"] > 0),
        ],
    )


def demo_vote(database: Path) -> tuple[str, int, list[int]]:
    """The demo's cycle whose public vote is open: its slug, a category and its finalists."""
    with contextlib.closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True)) as db:
        row = db.execute(
            "SELECT c.slug, k.id FROM awards_cycle c JOIN awards_category k ON k.cycle_id = c.id"
            " WHERE c.slug LIKE 'public-vote-%' AND k.public_vote ORDER BY k.position, k.id"
        ).fetchone()
        if row is None:
            raise SystemExit("bench: the demo's public vote is missing")
        finalists = [
            int(n)
            for (n,) in db.execute(
                "SELECT nomination_id FROM awards_shortlisted_nomination WHERE category_id = ?"
                " ORDER BY rank, id",
                (row[1],),
            )
        ]
    return str(row[0]), int(row[1]), finalists


def logged(database: Path) -> int:
    with contextlib.closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True)) as db:
        return int(db.execute("SELECT count(*) FROM awards_vote_log").fetchone()[0])


def _code(database: Path, email: str) -> str:
    with contextlib.closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True)) as db:
        row = db.execute(
            "SELECT body_text FROM core_outbox_message WHERE recipient = ? ORDER BY id DESC",
            (email,),
        ).fetchone()
    found = CODE.search(row[0]) if row else None
    if found is None:
        raise SystemExit(f"bench: no code was sent to {email}")
    return found.group(1)


def verified(manassa: Server, database: Path, slug: str, category: int, n: int) -> Voter:
    """A voter verified as a person is (a code by mail), on the category's ballot."""
    import httpx

    email = f"bench{LETTERS[n % 26]}{LETTERS[n // 26 % 26]}@voters.example"
    headers = {"X-Forwarded-For": f"10.77.{n // 250}.{n % 250 + 1}"}
    with httpx.Client(base_url=manassa.url(""), headers=headers, timeout=30) as client:
        token = csrf_token(client.get(f"/awards/{slug}/vote").text)
        sent = client.post(f"/awards/{slug}/vote/code", data={"csrf_token": token, "email": email})
        if sent.status_code != 303:
            raise SystemExit(f"bench: no code for {email} ({sent.status_code})")
        done = client.post(
            f"/awards/{slug}/vote/verify",
            data={"csrf_token": token, "code": _code(database, email)},
        )
        if done.status_code != 303:
            raise SystemExit(f"bench: {email} was not verified ({done.status_code})")
        ballot = client.get(f"/awards/{slug}/vote/{category}")
        if ballot.status_code != 200:
            raise SystemExit(f"bench: no ballot for {email} ({ballot.status_code})")
        return Voter(f"session={client.cookies['session']}", csrf_token(ballot.text))


def vote_script(voters: list[Voter], slug: str, category: int, finalists: list[int]) -> str:
    rows = ",\n".join(f'  {{cookie = "{v.cookie}", token = "{v.token}"}}' for v in voters)
    return (
        VOTE_SCRIPT.replace("@VOTERS@", rows)
        .replace("@PATH@", f"/awards/{slug}/vote/{category}")
        .replace("@FINALISTS@", ", ".join(f'"{n}"' for n in finalists))
    )


VOTE_SCRIPT = """
local voters = {
@VOTERS@
}
local finalists = {@FINALISTS@}
local created = 0
local n = 0

function setup(thread)
  thread:set("index", created)
  created = created + 1
end

function request()
  n = n + 1
  local voter = voters[(n + index * 7) % #voters + 1]
  local choice = finalists[n % #finalists + 1]
  local block = math.floor(n / 250) % 250
  local address = "10." .. (index + 100) .. "." .. block .. "." .. (n % 250 + 1)
  local body = "csrf_token=" .. voter.token .. "&nomination=" .. choice
  return wrk.format("POST", "@PATH@",
                    {["Cookie"] = voter.cookie,
                     ["X-Forwarded-For"] = address,
                     ["Content-Type"] = "application/x-www-form-urlencoded"}, body)
end
"""


MEASUREMENTS: list[Callable[[Bench], Measurement]] = [vote_vs_insert]


def main(argv: list[str]) -> int:
    from bench import __main__ as harness

    harness.MEASUREMENTS[:] = MEASUREMENTS
    return harness.main([*argv, "--no-judging"])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
