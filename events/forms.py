"""Parse and check the Mediathon forms into clean values or per-field messages."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from core import answers, questions
from core.forms import SLUG_RE, TIME_ZONES, Form, local_input, normalize_text
from core.i18n import gettext as _
from core.mail.letters import PLACEHOLDER_RE
from events import phases
from events.enums import Deadline, MailGroup, QuestionScope
from events.labels import MILESTONES, label

RESERVED_SLUGS = frozenset({"new", "api", "manage", "join"})
TIMELINE_FIELDS = (
    "registration_opens",
    "registration_closes",
    "submissions_open",
    "submissions_close",
    "judging_starts",
    "judging_ends",
    "results_at",
)
OPTIONAL_DATES = frozenset({"judging_starts", "judging_ends", "results_at"})
SUBMISSION_TEXTS = (  # name, max length, multiline
    ("title", 200, False),
    ("summary", 1000, True),
    ("problem", 5000, True),
    ("solution", 5000, True),
    ("audience", 2000, True),
)
PLACEHOLDERS = ("name", "team", "event")
# What the mail to a group's message fields hold when the page opens.
MAIL_GREETINGS = {"ar": "مرحبًا {name}،\n\n", "en": "Hello {name},\n\n"}


def _not_a_date() -> str:
    return _("Enter a date and time, like 2026-12-01T09:00.")


def _either_language() -> str:
    return _("Write it in Arabic, in English, or both.")


def event(data: Mapping[str, Any]) -> Form:
    form = Form(data)
    slug = normalize_text(form.raw("slug")).lower()
    form.values["slug"] = slug
    if not slug:
        form.error("slug", _("This field is required."))
    elif not SLUG_RE.fullmatch(slug) or slug in RESERVED_SLUGS:
        form.error(
            "slug",
            _("Use 3 to 60 lowercase Latin letters, digits and hyphens, like mediathon-2026."),
        )
    form.bilingual("title", max_length=200, missing=_either_language())
    form.bilingual("description", max_length=20000, multiline=True)
    form.bilingual("rules", max_length=20000, multiline=True)
    tz = form.choice("time_zone", TIME_ZONES, default="Asia/Riyadh")
    _team_size(form)
    form.integer("max_attachments", minimum=0, maximum=20)
    form.integer("max_attachment_mb", minimum=1, maximum=1024)
    form.checkbox("gallery_public")
    _timeline(form, tz if tz in TIME_ZONES else "Asia/Riyadh")
    return form


def _team_size(form: Form) -> None:
    low = form.integer("team_min", minimum=1, maximum=20)
    high = form.integer("team_max", minimum=1, maximum=20)
    if low is not None and high is not None and high < low:
        form.error("team_max", _("The largest team size cannot be smaller than the smallest."))


def _timeline(form: Form, tz: str) -> None:
    dates = {
        name: form.moment(name, tz, required=name not in OPTIONAL_DATES, invalid=_not_a_date())
        for name in TIMELINE_FIELDS
    }
    for later, earlier in phases.timeline_problems(dates).items():
        form.error(
            later, _("This date must come after “%(other)s”.", other=label(MILESTONES, earlier))
        )
    form.values["dates"] = dates


def event_values(form: Form) -> dict[str, Any]:
    """The model fields from a valid event form."""
    v = form.values
    keys = (
        "slug",
        "title_ar",
        "title_en",
        "description_ar",
        "description_en",
        "rules_ar",
        "rules_en",
        "time_zone",
        "team_min",
        "team_max",
        "max_attachments",
        "max_attachment_mb",
        "gallery_public",
    )
    return {**{k: v[k] for k in keys}, **v["dates"]}


def event_initial(obj: Any) -> dict[str, Any]:
    """Form values showing a saved event (dates in its own time zone)."""
    keys = (
        "slug",
        "title_ar",
        "title_en",
        "description_ar",
        "description_en",
        "rules_ar",
        "rules_en",
        "time_zone",
        "team_min",
        "team_max",
        "max_attachments",
        "max_attachment_mb",
        "gallery_public",
    )
    values = {k: getattr(obj, k) for k in keys}
    values.update({k: local_input(getattr(obj, k), obj.time_zone) for k in TIMELINE_FIELDS})
    return values


def extend(data: Mapping[str, Any], tz: str) -> Form:
    form = Form(data)
    form.choice("deadline", [d.value for d in Deadline])
    form.values["until_utc"] = form.moment("until", tz, required=True, invalid=_not_a_date())
    return form


def track(data: Mapping[str, Any]) -> Form:
    form = Form(data)
    form.bilingual("name", max_length=200, missing=_either_language())
    form.bilingual("description", max_length=5000, multiline=True)
    return form


def question(data: Mapping[str, Any]) -> Form:
    form = Form(data)
    form.choice("scope", [s.value for s in QuestionScope])
    return questions.editor(form)


parse_options = questions.parse_options
options_text = questions.options_text


def team(data: Mapping[str, Any], track_ids: Sequence[int]) -> Form:
    form = Form(data)
    form.text("name", max_length=80, min_length=2)
    if track_ids:
        form.choice("track", [str(t) for t in track_ids])
    return form


def invite(data: Mapping[str, Any]) -> Form:
    form = Form(data)
    form.email()
    return form


def join(data: Mapping[str, Any]) -> Form:
    form = Form(data)
    code = re.sub(r"[\s-]", "", normalize_text(form.raw("code"))).upper()
    form.values["code"] = code
    if not code:
        form.error("code", _("This field is required."))
    elif not re.fullmatch(r"[A-Z0-9]{4,12}", code):
        form.error("code", _("A join code has 8 letters and digits, like K7M2QX9P."))
    return form


def submission(
    data: Mapping[str, Any],
    track_ids: Sequence[int],
    questions: Sequence[Any],
    existing_answers: Mapping[str, Any],
    *,
    submit: bool,
) -> tuple[Form, Any]:
    """The submission fields; on submit every required field must be there, a draft may be
    incomplete (but never over-long or malformed)."""
    form = Form(data)
    for name, max_length, multiline in SUBMISSION_TEXTS:
        form.text(name, required=submit, max_length=max_length, multiline=multiline)
    if not submit and not form.values["title"]:
        form.error("title", _("Give your idea a title, even a working one."))
    form.url("video_url")
    form.url("prototype_url")
    if track_ids:
        form.choice("track", [str(t) for t in track_ids], required=submit)
    parsed = answers.parse(form, questions, existing_answers, enforce_required=submit)
    return form, parsed


def group_mail(data: Mapping[str, Any], track_ids: Sequence[int]) -> Form:
    form = Form(data)
    group = form.choice("group", [g.value for g in MailGroup])
    if group == MailGroup.TRACK:
        form.choice("track", [str(t) for t in track_ids])
    form.bilingual("subject", max_length=200)
    form.bilingual("body", max_length=20000, multiline=True)
    # The page opens with a greeting in each language; a greeting left as it was, under no
    # subject, is a language the organizer did not write in (not half a message).
    for lang, greeting in MAIL_GREETINGS.items():
        untouched = form.values[f"body_{lang}"] == normalize_text(greeting, multiline=True)
        if untouched and not form.values[f"subject_{lang}"]:
            form.values[f"body_{lang}"] = form.clean[f"body_{lang}"] = ""
    for base in ("subject", "body"):
        if not (form.values[f"{base}_ar"] or form.values[f"{base}_en"]):
            form.error(f"{base}_ar", _either_language())
    for name in ("subject_ar", "subject_en", "body_ar", "body_en"):
        unknown = [p for p in PLACEHOLDER_RE.findall(form.values[name]) if p not in PLACEHOLDERS]
        if unknown:
            form.error(
                name,
                _(
                    "Unknown placeholder {%(name)s}. Use {name}, {team} or {event}.",
                    name=unknown[0],
                ),
            )
    both = [("subject_ar", "body_ar"), ("subject_en", "body_en")]
    for subject, body in both:
        if bool(form.values[subject]) != bool(form.values[body]):
            missing = body if form.values[subject] else subject
            form.error(missing, _("Write the subject and the message in the same language."))
    return form
