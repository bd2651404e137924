"""A message an organizer writes to a group (a Mediathon's teams, an award's nominators): the
placeholders it may hold, the language each person gets it in, one letter per person, and one
sample per language for the preview. The domains choose the people and fill the values."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

PLACEHOLDER_RE = re.compile(r"\{([^{}\s]{0,40})\}")


def fill_placeholders(text: str, values: Mapping[str, str]) -> str:
    """`text` with each known {placeholder} replaced; unknown ones are left as written."""
    return PLACEHOLDER_RE.sub(lambda m: values.get(m.group(1), m.group(0)), text)


def letter_language(preferred: str, values: Mapping[str, Any]) -> str:
    """The person's own language if the organizer wrote the message in it, else the other."""
    if values.get(f"subject_{preferred}"):
        return preferred
    return "en" if values.get("subject_en") else "ar"


@dataclass(frozen=True)
class Letter:
    recipient: str
    language: str
    subject: str
    body: str


def letter(
    recipient: str, lang: str, values: Mapping[str, Any], filled: Mapping[str, str]
) -> Letter:
    return Letter(
        recipient=recipient,
        language=lang,
        subject=fill_placeholders(values[f"subject_{lang}"], filled),
        body=fill_placeholders(values[f"body_{lang}"], filled),
    )


@dataclass(frozen=True)
class Sample:
    letter: Letter  # the first recipient's mail in this language
    count: int  # how many people get the mail in this language


def samples(letters: Iterable[Letter]) -> list[Sample]:
    """One sample mail per language that will be sent (Arabic first), with its count."""
    first: dict[str, Letter] = {}
    counts: dict[str, int] = {}
    for one in letters:
        first.setdefault(one.language, one)
        counts[one.language] = counts.get(one.language, 0) + 1
    return [Sample(first[lang], counts[lang]) for lang in ("ar", "en") if lang in first]
