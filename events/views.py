"""The events pages' display values, made once per page in the reader's language: labels
translated, dates formatted in the event's time zone, organizer texts and what someone typed
isolated in their direction (as `|auto` does), sentences with values made as the templates'
`_()` makes them. The handlers load, check and read; these build what the templates show, so
that a template does not call a helper for each value."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup, escape
from starlette.requests import Request

from core.i18n import format_datetime, localized_in, ngettext, zone_name
from core.i18n import gettext as _
from core.templating import Fragment, site_of, url_for, user_written
from events import labels, phases
from events.labels import label
from events.models import Event
from events.services import event_page as event_page_service
from events.services.dashboard import Card


def sentence(translated: str, **values: Markup | int) -> Markup:
    """A translated sentence as the template's _() shows it: the translation escaped as text,
    the values put in as they are (markup already, or numbers), without Markup's % (which
    escapes each value again, through a helper object per value)."""
    return Markup(str(escape(translated)) % values)  # noqa: S704 - escaped text, safe values


# --- an event's page -------------------------------------------------------------------------


def organizer_text(obj: Any, field: str) -> Markup:
    """Organizer content in the reader's language (else the other), isolated as |auto does."""
    value, lang = localized_in(obj, field)
    return user_written(value, lang)


@dataclass(slots=True)
class ShownEvent:
    """An event's page as shown: values made in the reader's language, organizer texts
    isolated in their direction (as |auto does)."""

    title: str  # the page's title, plain
    hero: Markup  # the phase, the event's title and description, and what to do now
    about: Markup  # the tracks, timeline, team size and rules (_event_about.html)


@dataclass(frozen=True, slots=True)
class Doing:
    """What a visitor may do on an event's page now, as its handler found it: the clock's,
    the visitor's and the permission rules' answers."""

    phase: str
    registration_open: bool
    teams_open: bool
    can_manage: bool
    signed_in: bool


def event_page(
    request: Request,
    event: Event,
    found: event_page_service.EventPage,
    timeline: phases.Timeline,
    doing: Doing,
    moment: dt.datetime,
) -> ShownEvent:
    """The page's display values, made once here instead of by a helper call per value in
    the template; its sentences with values as the template's _() makes them (the
    translation escaped as text, then each value escaped unless it is markup)."""
    return ShownEvent(
        title=localized_in(event, "title")[0],
        hero=_hero(request, event, found, doing),
        about=_about(event, found, timeline, moment),
    )


HERO = Fragment("events/_event_hero.html")
"""The first section of an event's page (its phase, title, description and what the visitor
may do now), kept by every value it shows (core.templating.Fragment)."""


@dataclass(frozen=True, slots=True)
class ShownHero:
    published: bool
    phase: str  # the phase's label
    phase_key: str
    heading: Markup
    description: Markup
    registration_open: bool
    registered: bool
    signed_in: bool
    teams_open: bool
    registration_opens: dt.datetime
    registration_closes: dt.datetime
    time_zone: str
    my_team: Markup  # the link to the visitor's team says this ("" without a team)
    team_url: str  # "" without a team
    register_url: str
    register_path: str
    login_url: str
    signup_url: str
    team_new_url: str
    join_url: str
    manage_url: str  # "" for a visitor who may not manage it


def _hero(
    request: Request, event: Event, found: event_page_service.EventPage, doing: Doing
) -> Markup:
    team = found.team
    key = (
        site_of(request),
        event.id,
        event.slug,
        event.published,
        event.title_ar,
        event.title_en,
        event.description_ar,
        event.description_en,
        event.registration_opens,
        event.registration_closes,
        event.time_zone,
        found.registered,
        None if team is None else (team.id, team.name),
        doing,
    )
    return HERO(key, lambda: {"hero": _hero_values(request, event, found, doing)})


def _hero_values(
    request: Request, event: Event, found: event_page_service.EventPage, doing: Doing
) -> ShownHero:
    title, title_lang = localized_in(event, "title")
    team, slug = found.team, event.slug
    register = url_for(request, "events:register", slug=slug)
    return ShownHero(
        published=event.published,
        phase=labels.label(labels.PHASES, doing.phase),
        phase_key=doing.phase,
        heading=user_written(title, title_lang),
        description=organizer_text(event, "description"),
        registration_open=doing.registration_open,
        registered=found.registered,
        signed_in=doing.signed_in,
        teams_open=doing.teams_open,
        registration_opens=event.registration_opens,
        registration_closes=event.registration_closes,
        time_zone=event.time_zone,
        my_team=(
            sentence(_("Go to your team: %(team)s"), team=user_written(team.name))
            if team is not None
            else Markup()
        ),
        team_url=(
            str(url_for(request, "events:team", slug=slug, team_id=team.id))
            if team is not None
            else ""
        ),
        register_url=str(register),
        register_path=register.path,
        login_url=str(url_for(request, "accounts:login")),
        signup_url=str(url_for(request, "accounts:signup")),
        team_new_url=str(url_for(request, "events:team_new", slug=slug)),
        join_url=str(url_for(request, "events:join", slug=slug)),
        manage_url=str(url_for(request, "events:manage", slug=slug)) if doing.can_manage else "",
    )


ABOUT = Fragment("events/_event_about.html")
"""The sections of an event's page that are the same for every visitor (tracks, timeline,
team size, rules), kept by every value they show (core.templating.Fragment): the timeline's
milestones come with whether each has passed at this request's moment."""


@dataclass(slots=True)
class ShownAbout:
    """The tracks, timeline, team size and rules of an event's page as shown."""

    tracks: list[tuple[Markup, Markup]]  # name, description
    timeline: list[tuple[str, str, str, str, str]]  # class, key, name, ISO time, shown time
    time_zone: Markup  # the sentence naming the timeline's time zone
    team_size: Markup  # the sentence saying how many members a team has
    rules: Markup


def _about(
    event: Event,
    found: event_page_service.EventPage,
    timeline: phases.Timeline,
    moment: dt.datetime,
) -> Markup:
    milestones = tuple((key, when, when <= moment) for key, when in timeline.milestones())
    tracks = tuple(
        (t["name_ar"], t["name_en"], t["description_ar"], t["description_en"]) for t in found.tracks
    )
    key = (
        event.time_zone,
        event.team_min,
        event.team_max,
        event.rules_ar,
        event.rules_en,
        tracks,
        milestones,
    )
    return ABOUT(key, lambda: {"about": _about_values(event, found, milestones)})


def _about_values(
    event: Event,
    found: event_page_service.EventPage,
    milestones: tuple[tuple[str, dt.datetime, bool], ...],
) -> ShownAbout:
    tz = event.time_zone
    return ShownAbout(
        tracks=[
            (organizer_text(track, "name"), organizer_text(track, "description"))
            for track in found.tracks
        ],
        timeline=[
            (
                "passed" if passed else "ahead",
                key,
                _(labels.MILESTONES[key]),
                when.isoformat(),
                format_datetime(when, tz),
            )
            for key, when, passed in milestones
        ],
        time_zone=sentence(
            _("Times are shown in the event's time zone (%(zone)s)."), zone=escape(zone_name(tz))
        ),
        team_size=sentence(
            _("Teams have %(min)s to %(max)s members."), min=event.team_min, max=event.team_max
        ),
        rules=organizer_text(event, "rules"),
    )


# --- the participant's dashboard ---------------------------------------------------------------


@dataclass(slots=True)
class ShownCard:
    """A card of the dashboard as shown: values made in the reader's language, user-written
    ones isolated in their direction (as |auto does), links made."""

    event_id: int
    url: str  # the event's page
    title: Markup
    phase: str
    next: tuple[str, str, str] | None = None  # milestone, when, countdown
    team_id: int | None = None  # None: registered, in no team yet
    team_url: str = ""
    team_name: Markup = Markup()
    track: Markup = Markup()  # " · " and the track's name, when it has one
    members: Markup = Markup()
    invited: Markup = Markup()
    submission: tuple[str, Markup] | None = None  # state, title
    feedback_url: str = ""  # the team's feedback page, once the judges' results are published
    submission_url: str = ""  # while submissions are open
    closes: str = ""  # when submissions close, while they are open
    team_new_url: str = ""  # without a team: where to make one, or join one
    join_url: str = ""


CARD = Fragment("events/_dashboard_card.html")
"""A card of the participant's dashboard, kept by every value it shows (core.templating
.Fragment): what the clock decides (the phase, the next deadline and the time left to the
minute, whether submissions are open) is worked out on every request, and is in the key."""


def dashboard_card(
    request: Request,
    card: Card,
    moment: dt.datetime,
    separator: str,
    captain: str,
) -> Markup:
    """A card's HTML, made from its values only when no card with the same values was."""
    timeline = card.timeline
    phase = phases.phase(timeline, moment)
    upcoming = phases.next_deadline(timeline, moment)
    remaining = phases.remaining(upcoming[1], moment) if upcoming is not None else None
    closes = timeline.submissions_close if phases.submissions_open(timeline, moment) else None
    team = card.team
    key = (
        site_of(request),
        card.event_id,
        card.slug,
        card.title_ar,
        card.title_en,
        card.time_zone,
        phase,
        upcoming,
        remaining,
        closes,
        card.submission,
        None
        if team is None
        else (
            team.id,
            team.name,
            team.captain_id,
            team.track_name_ar,
            team.track_name_en,
            tuple(team.members),
            tuple(team.invited),
        ),
    )
    return CARD(
        key,
        lambda: {
            "card": _card_values(
                request, card, phase, upcoming, remaining, closes, separator, captain
            )
        },
    )


def _card_values(
    request: Request,
    card: Card,
    phase: str,
    upcoming: tuple[str, dt.datetime] | None,
    remaining: tuple[int, int, int] | None,
    closes: dt.datetime | None,
    separator: str,
    captain: str,
) -> ShownCard:
    """A card's display values (made only for a card not kept yet), and the scope of the
    team's feedback page once the judges' results are published."""
    slug = card.slug
    shown = ShownCard(
        card.event_id,
        str(url_for(request, "events:detail", slug=slug)),
        user_written(*localized_in(card, "title")),
        label(labels.PHASES, phase),
    )
    if upcoming is not None and remaining is not None:
        key, when = upcoming
        shown.next = (
            label(labels.MILESTONES, key),
            format_datetime(when, card.time_zone),
            countdown(remaining),
        )
    team = card.team
    if team is None:
        shown.team_new_url = str(url_for(request, "events:team_new", slug=slug))
        shown.join_url = str(url_for(request, "events:join", slug=slug))
        return shown
    shown.team_id = team.id
    shown.team_url = str(url_for(request, "events:team", slug=slug, team_id=team.id))
    shown.team_name = sentence(_("Team %(team)s"), team=user_written(team.name))
    if team.track_name_ar is not None:
        shown.track = Markup(" · ") + user_written(*localized_in(team, "track_name"))
    # Joined as text: every part is escaped already (the separator and the captain's mark,
    # each name isolated by user_written, each e-mail), which Markup's join, + and % would
    # each escape again, part by part.
    shown.members = Markup(  # noqa: S704 - escaped parts
        separator.join(
            f"{user_written(m.display_name)}{captain}"
            if m.user_id == team.captain_id
            else str(user_written(m.display_name))
            for m in team.members
        )
    )
    shown.invited = Markup(  # noqa: S704 - escaped parts
        separator.join(f'<span dir="ltr">{escape(email)}</span>' for email in team.invited)
    )
    submission = card.submission
    if submission is not None:
        shown.submission = (
            label(labels.SUBMISSION_STATES, submission.state),
            user_written(submission.title),
        )
        if submission.feedback is not None:
            scope_type, scope_id = submission.feedback
            shown.feedback_url = str(
                url_for(
                    request,
                    "judging:feedback",
                    scope_type=scope_type,
                    scope_id=scope_id,
                    source_id=submission.id,
                )
            )
    if closes is not None:
        shown.submission_url = str(
            url_for(request, "events:submission", slug=slug, team_id=team.id)
        )
        shown.closes = format_datetime(closes, card.time_zone)
    return shown


def countdown(remaining: tuple[int, int, int]) -> str:
    """Days (when any), hours and minutes left, as in "2 days 3 hours 30 minutes"."""
    days, hours, minutes = remaining
    parts = [
        ngettext("%(num)s hour", "%(num)s hours", hours),
        ngettext("%(num)s minute", "%(num)s minutes", minutes),
    ]
    if days:
        parts.insert(0, ngettext("%(num)s day", "%(num)s days", days))
    return " ".join(parts)
