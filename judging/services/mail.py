"""Mail to the people of entries, each address once, in the language they chose."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from core.mail import outbox
from core.mail.models import OutboxMessage
from judging.models import Entry


@dataclass(frozen=True)
class Recipient:
    entry: Entry
    email: str
    language: str
    name: str


def recipients(entries: Iterable[Entry]) -> Iterator[Recipient]:
    """Every member of the entries with an address, each address once."""
    seen: set[str] = set()
    for entry in entries:
        for member in entry.members:
            email = str(member.get("email", "")).lower()
            if email and email not in seen:
                seen.add(email)
                yield Recipient(
                    entry, email, str(member.get("language") or "ar"), str(member.get("name", ""))
                )


async def queue_to(person: Recipient, template: str, **context: Any) -> OutboxMessage:
    """Queue one mail to one member; the template gets the entry and the member's name."""
    return await outbox.queue(
        person.email,
        template,
        person.language,
        entry=person.entry,
        member_name=person.name,
        **context,
    )


async def mail_members(entry: Entry, template: str, **context: Any) -> None:
    """Queue one mail to each member of the entry."""
    for person in recipients([entry]):
        await queue_to(person, template, **context)
