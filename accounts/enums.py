from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    ORGANIZER = "organizer"
    JUDGE = "judge"
    PARTICIPANT = "participant"


class ScopeType(StrEnum):
    EVENT = "event"
    AWARD_CYCLE = "award_cycle"


LANGUAGE_CHOICES = ("ar", "en")
