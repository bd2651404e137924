"""The judging pages' display values, made once per page in the reader's language: labels
translated, dates formatted in the scope's time zone, what someone typed isolated in its own
direction (as `|auto` does), links made. The handlers load, check and read; these build what the
templates show, so that a template does not call a helper for each value of each row."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from markupsafe import Markup
from starlette.requests import Request

from core.clock import now
from core.i18n import format_datetime, get_locale
from core.i18n import gettext as _
from core.templating import id_urls, user_written, written_in
from judging.enums import RoundState
from judging.labels import labels
from judging.services import queues
from judging.sources import ScopeInfo

Key = tuple[str, int]


@dataclass(slots=True)
class ShownQueue:
    """The judge's queue as the page shows it."""

    rounds: list[ShownRound]
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
    return ShownQueue(
        _shown_rounds(found.rounds, scopes, titles, lang, entry_url),
        [
            (scope_type, scope_id, titles[scope_type, scope_id])
            for scope_type, scope_id in found.seats
        ],
    )


@dataclass(slots=True)
class ShownRound:
    """A round of the queue as the page shows it: its texts made here, once, instead of a
    call per entry in the template."""

    heading: Markup  # the scope's title and the round's name, each isolated (|auto)
    progress: str
    done: int
    total: int
    open: bool
    deadline: str  # "" when the round has none (or is closed)
    items: list[tuple[str, Markup, Markup, str]]  # scoring page, title, team ("" if blind), state


def _shown_rounds(
    rounds: list[queues.QueueRound],
    scopes: dict[tuple[str, int], ScopeInfo],
    titles: dict[tuple[str, int], Markup],
    lang: str,
    entry_url: Callable[[int], str],
) -> list[ShownRound]:
    states = labels()["sheet"]
    at = now()
    shown = []
    for q in rounds:
        round_ = q.round
        key = (round_.scope_type, round_.scope_id)
        done, total = q.done, len(q.items)
        is_open = round_.effective_state(at) == RoundState.OPEN
        deadline = ""
        if is_open and round_.ends_at:
            when = format_datetime(round_.ends_at, scopes[key].time_zone)
            deadline = _("Deadline: %(when)s", when=when)
        blind = round_.blind
        items = [
            (
                entry_url(item.entry.id),
                written_in(item.entry.title_ar, item.entry.title_en, lang),
                NOTHING if blind else user_written(item.entry.team_label),
                states[item.sheet_state],
            )
            for item in q.items
        ]
        shown.append(
            ShownRound(
                SEPARATOR.join((titles[key], written_in(round_.name_ar, round_.name_en, lang))),
                _("%(done)s of %(total)s submitted", done=done, total=total),
                done,
                total,
                is_open,
                deadline,
                items,
            )
        )
    return shown


def entry_urls(request: Request) -> Callable[[int], str]:
    """Each entry's scoring page."""
    return id_urls(request, "judging:score", "entry_id")


NOTHING = Markup("")
SEPARATOR = Markup(" · ")
