"""The judging pages' display values, made once per page in the reader's language: labels
translated, dates formatted in the scope's time zone, what someone typed isolated in its own
direction (as `|auto` does), links made. The handlers load, check and read; these build what the
templates show, so that a template does not call a helper for each value of each row."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from markupsafe import Markup
from starlette.requests import Request

from core.clock import now
from core.i18n import format_datetime, get_locale
from core.i18n import gettext as _
from core.templating import Fragment, id_urls, user_written, written_in
from judging.enums import RoundState
from judging.labels import labels
from judging.services import queues
from judging.sources import ScopeInfo

Key = tuple[str, int]


@dataclass(slots=True)
class ShownQueue:
    """The judge's queue as the page shows it."""

    rounds: list[Markup]  # each round's section (templates/judging/_queue_round.html)
    seats: list[tuple[str, int, Markup]]  # each scope judged: its type, id and title


def queue(
    found: queues.JudgeQueue, scopes: dict[Key, ScopeInfo], entry_url: Callable[[int], str]
) -> ShownQueue:
    """The queue's rounds and the scopes the judge sits on, with each scope's title in the
    reader's language."""
    lang = get_locale()
    titles = {
        key: written_in(scope.title_ar, scope.title_en, lang) for key, scope in scopes.items()
    }
    at = now()
    return ShownQueue(
        [
            _shown_round(q, scopes[q.round.scope_type, q.round.scope_id], at, entry_url, titles)
            for q in found.rounds
        ],
        [
            (scope_type, scope_id, titles[scope_type, scope_id])
            for scope_type, scope_id in found.seats
        ],
    )


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
    q: queues.QueueRound,
    scope: ScopeInfo,
    at: dt.datetime,
    entry_url: Callable[[int], str],
    titles: dict[Key, Markup],
) -> Markup:
    """A round's section: whether it is open now, and each of its values as read, are the
    key of its HTML; the HTML is made from them only when no section with these values was."""
    round_ = q.round
    is_open = round_.effective_state(at) == RoundState.OPEN
    items = tuple(
        (
            entry_url(item.entry.id),
            item.entry.title_ar,
            item.entry.title_en,
            item.entry.team_label,
            item.sheet_state,
        )
        for item in q.items
    )
    key = (
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
    return ROUND_SECTION(key, lambda: {"q": _round_values(q, scope, titles, is_open, items)})


def _round_values(
    q: queues.QueueRound,
    scope: ScopeInfo,
    titles: dict[Key, Markup],
    is_open: bool,
    items: tuple[tuple[str, str, str, str, str], ...],
) -> ShownRound:
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
                titles[round_.scope_type, round_.scope_id],
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
                url,
                written_in(title_ar, title_en, lang),
                NOTHING if blind else user_written(team),
                states[state],
            )
            for url, title_ar, title_en, team, state in items
        ],
    )


def entry_urls(request: Request) -> Callable[[int], str]:
    """Each entry's scoring page."""
    return id_urls(request, "judging:score", "entry_id")


NOTHING = Markup("")
SEPARATOR = Markup(" · ")
