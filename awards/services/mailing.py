"""An organizer's mail to a chosen group of a cycle: its nominators, the nominees who have not
answered yet, or the shortlisted nominees. Written from a bilingual template with the
placeholders {name} and {cycle}, previewed first, then queued in one transaction, each person
in their own language when the organizer wrote it (else in the other)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from tortoise.transactions import in_transaction

from accounts.models import Someone
from awards.enums import IN_RACE, NominationState
from awards.models import Cycle, Nomination, NominationCredit, ShortlistedNomination, of_cycle
from awards.services.common import cycle_name, scope
from core import audit
from core.clock import now
from core.i18n import N_, localized, use_locale
from core.mail import letters, outbox
from core.mail.letters import Letter, Sample, letter, letter_language

GROUPS = {
    "nominators": N_("Nominators of the nominations in the race"),
    "awaiting": N_("Nominees who have not accepted yet"),
    "shortlisted": N_("Shortlisted nominees"),
}
PLACEHOLDERS = ("name", "cycle")
GREETINGS = {"ar": "مرحبًا {name}،\n\n", "en": "Hello {name},\n\n"}


@dataclass(frozen=True)
class Recipient:
    email: str
    language: str  # "ar" or "en": the person's profile, or the language given for a nominee
    name_ar: str
    name_en: str


def _person(user: Someone) -> Recipient:
    return Recipient(user.email, user.language, user.name_ar, user.name_en)


def _nominee(row: Nomination) -> Recipient:
    language = row.nominee_language if row.nominee_language in ("ar", "en") else "ar"
    return Recipient(row.nominee_email, language, row.nominee_name_ar, row.nominee_name_en)


def _once(people: list[Recipient]) -> list[Recipient]:
    seen: set[str] = set()
    kept = []
    for person in people:
        key = person.email.strip().lower()
        if key and key not in seen:
            seen.add(key)
            kept.append(person)
    return kept


async def recipients(cycle: Cycle, group: str) -> list[Recipient]:
    """The people of `group`, each e-mail once, in a stable order (one or two queries)."""
    if group == "nominators":
        credits = (
            await NominationCredit.filter(
                nomination__cycle_id=cycle.id, nomination__state__in=list(IN_RACE)
            )
            .select_related("user")
            .order_by("nomination_id", "created_at", "id")
        )
        return _once([_person(c.user) for c in credits])
    if group == "awaiting":
        rows = await (
            of_cycle(Nomination, cycle)
            .filter(state=NominationState.AWAITING_NOMINEE, self_nomination=False)
            .order_by("id")
        )
        deadline = cycle.acceptance_deadline
        return _once([_nominee(r) for r in rows]) if now() < deadline else []
    if group == "shortlisted":
        ids = await ShortlistedNomination.filter(nomination__cycle_id=cycle.id).values_list(
            "nomination_id", flat=True
        )
        rows = await (
            of_cycle(Nomination, cycle)
            .filter(id__in=sorted(set(ids)), state=NominationState.ELIGIBLE)
            .order_by("id")
        )
        return _once([_nominee(r) for r in rows])
    return []


def compose(cycle: Cycle, recipient: Recipient, values: Mapping[str, Any]) -> Letter:
    """The mail one person gets: their language if the organizer wrote it, else the other."""
    lang = letter_language(recipient.language, values)
    with use_locale(lang):
        name = localized(recipient, "name", lang) or recipient.email
    return letter(recipient.email, lang, values, {"name": name, "cycle": cycle_name(cycle, lang)})


def samples(cycle: Cycle, people: list[Recipient], values: Mapping[str, Any]) -> list[Sample]:
    """One sample mail per language that will be sent (Arabic first), with its count."""
    return letters.samples(compose(cycle, p, values) for p in people)


async def send(actor: Someone, cycle: Cycle, group: str, values: Mapping[str, Any]) -> int:
    """Queue the mail for every recipient; returns how many were queued."""
    people = await recipients(cycle, group)
    async with in_transaction():
        for person in people:
            letter = compose(cycle, person, values)
            await outbox.queue(
                letter.recipient,
                "awards/announcement",
                letter.language,
                subject=letter.subject,
                body=letter.body,
            )
        await audit.record(
            actor,
            "awards.mail_group",
            cycle,
            scope=scope(cycle),
            after={
                "group": group,
                "recipients": len(people),
                "subject_ar": values.get("subject_ar", ""),
                "subject_en": values.get("subject_en", ""),
            },
        )
    outbox.wake()
    return len(people)
