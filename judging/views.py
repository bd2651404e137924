"""The judging pages' display values, made once per page in the reader's language: labels
translated, dates formatted in the scope's time zone, what someone typed isolated in its own
direction (as `|auto` does), links made. The handlers load, check and read; these build what the
templates show, so that a template does not call a helper for each value of each row."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup
from starlette.requests import Request

from core.clock import now
from core.i18n import format_datetime, get_locale
from core.i18n import gettext as _
from core.templating import Fragment, Kept, id_urls, site_of, url_for, user_written, written_in
from judging.enums import RoundState
from judging.labels import labels
from judging.services import queues


@dataclass(frozen=True, slots=True)
class ShownQueue:
    """The judge's queue as the page shows it."""

    rounds: Markup  # every round's section (_queue_round.html), one a line ("" without any)
    seats: Markup  # the scopes judged, with their conflicts pages (_queue_seats.html)


QUEUE_KEPT = 1024
SHOWN_QUEUES: Kept[ShownQueue] = Kept(QUEUE_KEPT)
"""Each queue's sections, kept by everything they are made from (queues.JudgePage.key: the
rows read on this request, and whether each round is open now): a judge's next visit, with
nothing saved or changed in between, finds them without making each round's key again."""


def queue(request: Request, found: queues.JudgePage) -> ShownQueue:
    """The queue's rounds and the scopes the judge sits on, each kept by every value it
    shows (core.templating.Fragment), with each scope's title in the reader's language; the
    whole kept by the page's read (SHOWN_QUEUES)."""
    at = now()
    site = site_of(request)
    return SHOWN_QUEUES((site, found.key(at)), lambda: _queue(request, found.queue(), at, site))


def _queue(
    request: Request, found: queues.JudgeQueue, at: dt.datetime, site: tuple[Any, ...]
) -> ShownQueue:
    scopes = found.scopes
    seats = tuple(
        (
            scope_type,
            scope_id,
            scopes[scope_type, scope_id].title_ar,
            scopes[scope_type, scope_id].title_en,
        )
        for scope_type, scope_id in found.seats
    )
    return ShownQueue(
        Markup("\n").join(
            _shown_round(request, q, scopes[q.round.scope_type, q.round.scope_id], at, site)
            for q in found.rounds
        ),
        SEATS((site, seats), lambda: {"seats": _seat_values(request, seats)}) if seats else NOTHING,
    )


SEATS = Fragment("judging/_queue_seats.html")


def _seat_values(
    request: Request, seats: tuple[tuple[str, int, str, str], ...]
) -> list[tuple[Markup, str]]:
    """Each scope judged: its title and its conflicts page."""
    lang = get_locale()
    return [
        (
            written_in(title_ar, title_en, lang),
            str(url_for(request, "judging:my_conflicts", scope_type=scope_type, scope_id=scope_id)),
        )
        for scope_type, scope_id, title_ar, title_en in seats
    ]


@dataclass(slots=True)
class ShownRound:
    """A round of the queue as its section shows it: its texts made here, once, instead of
    a call per entry in the template."""

    heading: Markup  # the scope's title and the round's name, each isolated (|auto)
    progress: str
    done: int
    total: int
    open: bool
    deadline: str  # "" when the round has none (or is closed)
    items: list[tuple[str, Markup, Markup, str]]  # scoring page, title, team ("" if blind), state


ROUND_SECTION = Fragment("judging/_queue_round.html")
"""A round's section, kept by every value it shows (core.templating.Fragment): a judge's
queue reads the same from one visit to the next until a sheet is saved or a round changes."""


def _shown_round(
    request: Request,
    q: queues.QueueRound,
    scope: queues.QueueScope,
    at: dt.datetime,
    site: tuple[Any, ...],
) -> Markup:
    """A round's section: whether it is open now, and each of its values as read, are the
    key of its HTML; the HTML is made from them only when no section with these values was."""
    round_ = q.round
    is_open = round_.effective_state(at) == RoundState.OPEN
    items = tuple(
        (
            item.entry.id,
            item.entry.title_ar,
            item.entry.title_en,
            item.entry.team_label,
            item.sheet_state,
        )
        for item in q.items
    )
    key = (
        site,
        scope.title_ar,
        scope.title_en,
        scope.time_zone,
        round_.name_ar,
        round_.name_en,
        round_.ends_at,
        round_.blind,
        is_open,
        items,
    )
    return ROUND_SECTION(key, lambda: {"q": _round_values(request, q, scope, is_open, items)})


def _round_values(
    request: Request,
    q: queues.QueueRound,
    scope: queues.QueueScope,
    is_open: bool,
    items: tuple[tuple[int, str, str, str, str], ...],
) -> ShownRound:
    """A round's display values (made only for a section not kept yet)."""
    entry_url = id_urls(request, "judging:score", "entry_id")  # each entry's scoring page
    round_ = q.round
    lang = get_locale()
    states = labels()["sheet"]
    done, total = q.done, len(q.items)
    deadline = ""
    if is_open and round_.ends_at:
        when = format_datetime(round_.ends_at, scope.time_zone)
        deadline = _("Deadline: %(when)s", when=when)
    blind = round_.blind
    return ShownRound(
        SEPARATOR.join(
            (
                written_in(scope.title_ar, scope.title_en, lang),
                written_in(round_.name_ar, round_.name_en, lang),
            )
        ),
        _("%(done)s of %(total)s submitted", done=done, total=total),
        done,
        total,
        is_open,
        deadline,
        [
            (
                entry_url(entry_id),
                written_in(title_ar, title_en, lang),
                NOTHING if blind else user_written(team),
                states[state],
            )
            for entry_id, title_ar, title_en, team, state in items
        ],
    )


NOTHING = Markup("")
SEPARATOR = Markup(" · ")
