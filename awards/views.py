"""The award's pages' display values, made once per page in the reader's language: labels
translated, dates formatted in the cycle's time zone, what someone typed isolated in its own
direction (as `|auto` does), links made. The handlers load, check and read; these build what the
templates show, so that a template does not call a helper for each value of each row."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from markupsafe import Markup
from starlette.requests import Request

from accounts.models import Someone
from awards import labels
from awards.enums import NominationState
from awards.services import mine, nominations, voting
from core import permissions
from core.i18n import format_datetime, get_locale
from core.i18n import gettext as _
from core.templating import Fragment, Kept, id_urls, site_of, url_for, user_written, written_in


@dataclass(slots=True)
class ListedCard:
    """One card of "my nominations", every value ready to show: labels translated, dates
    formatted in the cycle's time zone, what someone typed isolated in its own direction
    (as `|auto` does), links made."""

    id: int
    url: str
    nominee: Markup
    cycle_url: str
    cycle_name: Markup
    category: Markup
    work: Markup
    state: str
    ruling: str  # "" when not ruled yet
    reason: Markup
    ruling_note: str
    ruled_at: str
    appeal: str  # "" when not appealed
    appeal_note: str
    shortlist: str | None  # "shortlisted", "not_shortlisted" or None (not published)
    shortlist_url: str
    draft: bool
    edit_url: str  # "" when this reader may not change it
    appeal_url: str  # "" when this reader may not appeal
    appeals_close: str


@dataclass(frozen=True, slots=True)
class ShownMine:
    """ "My nominations" as shown: each card's HTML, and each jury's ballots link and name."""

    cards: Markup  # every card's HTML, one a line ("" without any)
    juries: tuple[tuple[str, Markup], ...]


NOTHING = Markup("")
CARD = Fragment("awards/nominate/_my_card.html")
SHOWN_PAGES: Kept[ShownMine] = Kept(1024)
"""Each reader's cards and juries, kept by the rows read on this request and the rules'
answers for them now (MyNominations.page): a next visit with nothing changed finds them
without making each card's key again."""


class MyNominations:
    """What "my nominations" shows, made for one request in its language: each card's values;
    a cycle's (whether it may be seen, its name and links) and a category's name once for all
    their cards; links through the cache the templates' `url_for` keeps (core.templating)."""

    def __init__(self, request: Request, user: Someone) -> None:
        self.user = user
        self.lang = get_locale()
        self.request = request
        self.seen: dict[int, bool] = {}
        self.cycles: dict[int, tuple[str, Markup, str]] = {}
        self.categories: dict[int, Markup] = {}
        self.labels: dict[tuple[str, str], str] = {}
        self.site = site_of(request)  # the links' scheme, host and root, for the cards' key

    # each card's links, made from one address per route (core.templating.id_urls), once a
    # request and only for a card not kept yet
    @cached_property
    def nomination_url(self) -> Callable[[int], str]:
        return id_urls(self.request, "awards:nomination", "nomination_id")

    @cached_property
    def edit_url(self) -> Callable[[int], str]:
        return id_urls(self.request, "awards:nomination_edit", "nomination_id")

    @cached_property
    def appeal_url(self) -> Callable[[int], str]:
        return id_urls(self.request, "awards:appeal", "nomination_id")

    def url(self, name: str, **params: Any) -> str:
        return str(url_for(self.request, name, **params))

    def label(self, kind: str, names: dict[str, str], key: str) -> str:
        """labels.label, once a request for each (most cards share their state and ruling)."""
        found = self.labels.get((kind, key))
        if found is None:
            found = self.labels[(kind, key)] = labels.label(names, key)
        return found

    def cycle(self, cycle: mine.ListedCycle) -> tuple[str, Markup, str]:
        """The cycle's link, name and its shortlist's link."""
        found = self.cycles.get(cycle.id)
        if found is None:
            published = cycle.shortlist_published_at is not None
            found = self.cycles[cycle.id] = (
                self.url("awards:detail", slug=cycle.slug),
                written_in(cycle.name_ar, cycle.name_en, self.lang),
                self.url("awards:shortlist", slug=cycle.slug) if published else "",
            )
        return found

    def visible(self, cycle: mine.ListedCycle) -> bool:
        """Whether this reader may see the cycle (asked once per cycle)."""
        found = self.seen.get(cycle.id)
        if found is None:
            found = self.seen[cycle.id] = permissions.allowed(self.user, "awards.view", cycle)
        return found

    def jury(self, cycle: voting.JuryCycle) -> tuple[str, Markup]:
        """A cycle whose final vote this juror casts: the ballots' link and the cycle's name."""
        return (
            self.url("awards:ballots", slug=cycle.slug),
            written_in(cycle.name_ar, cycle.name_en, self.lang),
        )

    def page(self, found: mine.MyPage) -> ShownMine:
        """The cards the reader may see and the juries they sit on, kept (SHOWN_PAGES) by the
        rows read on this request and what the award's rules answer this reader now for each
        nomination."""
        answers = tuple(self.answers(found, row) for row in found.nominations)
        return SHOWN_PAGES((self.site, found.rows, answers), lambda: self._page(found, answers))

    def _page(self, found: mine.MyPage, answers: tuple[tuple[bool, bool, bool], ...]) -> ShownMine:
        return ShownMine(
            Markup("\n").join(
                self.card(row, may_edit, may_appeal)
                for row, (visible, may_edit, may_appeal) in zip(found.listed, answers, strict=True)
                if visible
            ),
            tuple(self.jury(cycle) for cycle in found.juries),
        )

    def answers(self, found: mine.MyPage, row: mine.Row) -> tuple[bool, bool, bool]:
        """Whether this reader may see the nomination's cycle, change the nomination and
        appeal its ruling, as the award's rules answer now (for a nomination's row as read:
        mine.MyPage)."""
        if not self.visible(found.cycle(row)):
            return (False, False, False)
        user = self.user
        state = row[mine.STATE]
        # The award's rules decide; what they would refuse anyway is not asked (a nomination
        # this reader did not start, or closed, is not theirs to change; only an ineligible
        # ruling not yet appealed can be appealed).
        may_edit = (
            row[mine.CREATED_BY] == user.id
            and state in nominations.OPEN_STATES
            and permissions.allowed(user, "awards.nomination_edit", found.one(row).access(user))
        )
        may_appeal = (
            row[mine.APPEAL] is None
            and state == NominationState.INELIGIBLE
            and permissions.allowed(user, "awards.appeal", found.one(row).access(user))
        )
        return (True, may_edit, may_appeal)

    def card(self, row: mine.Listed, may_edit: bool, may_appeal: bool) -> Markup:
        """The card's HTML (templates/awards/nominate/_my_card.html), kept by every value it
        shows (core.templating.Fragment): what this reader may do with it now (`answers`) is
        part of the key with the values read."""
        cycle = row.cycle
        key = (
            self.site,
            may_edit,
            may_appeal,
            row.id,
            row.state,
            row.nominee_name_ar,
            row.nominee_name_en,
            row.work_title,
            cycle.slug,
            cycle.name_ar,
            cycle.name_en,
            cycle.time_zone,
            cycle.shortlist_published_at is not None,
            cycle.appeals_close,
            row.category_name_ar,
            row.category_name_en,
            row.ruling,
            row.ruling_note,
            row.ruled_at,
            row.reason_ar,
            row.reason_en,
            row.appeal_state,
            row.appeal_note,
            row.shortlist,
        )
        return CARD(key, lambda: {"card": self._card(row, may_edit, may_appeal)})

    def _card(self, row: mine.Listed, may_edit: bool, may_appeal: bool) -> ListedCard:
        cycle, lang = row.cycle, self.lang
        cycle_url, cycle_name, shortlist_url = self.cycle(cycle)
        category = self.categories.get(row.category_id)
        if category is None:
            category = self.categories[row.category_id] = written_in(
                row.category_name_ar, row.category_name_en, lang
            )
        return ListedCard(
            id=row.id,
            url=self.nomination_url(row.id),
            nominee=written_in(row.nominee_name_ar, row.nominee_name_en, lang)
            or user_written(_("Nominee not named yet")),
            cycle_url=cycle_url,
            cycle_name=cycle_name,
            category=category,
            work=user_written(row.work_title),
            state=self.label("state", labels.NOMINATION_STATES, row.state),
            ruling=self.label("ruling", labels.RULINGS, row.ruling) if row.ruling else "",
            reason=written_in(row.reason_ar, row.reason_en, lang)
            if row.reason_ar or row.reason_en
            else NOTHING,
            ruling_note=row.ruling_note,
            ruled_at=format_datetime(row.ruled_at, cycle.time_zone),
            appeal=self.label("appeal", labels.APPEAL_STATES, row.appeal_state)
            if row.appeal_state
            else "",
            appeal_note=row.appeal_note,
            shortlist=row.shortlist,
            shortlist_url=shortlist_url if row.shortlist == "shortlisted" else "",
            draft=row.state == NominationState.DRAFT,
            edit_url=self.edit_url(row.id) if may_edit else "",
            appeal_url=self.appeal_url(row.id) if may_appeal else "",
            appeals_close=format_datetime(cycle.appeals_close, cycle.time_zone)
            if may_appeal
            else "",
        )
