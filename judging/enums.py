"""States and choices of judging: rounds, judges, conflicts, score sheets, results."""

from __future__ import annotations

from enum import StrEnum


class RoundState(StrEnum):
    DRAFT = "draft"  # being prepared: rubric, entries, assignment
    OPEN = "open"  # judges score (until the organizer closes it or its end passes)
    CLOSED = "closed"  # scoring is over; results are worked on
    PUBLISHED = "published"  # results are public (from publish_at on)


class EntryRule(StrEnum):
    ALL_SUBMITTED = "all_submitted"
    SHORTLIST_OF_PREVIOUS = "shortlist_of_previous"


class Method(StrEnum):
    """How judges' totals are combined; the values are the keys of scoring.METHODS."""

    MEAN = "mean"
    MEDIAN = "median"
    TRIMMED_MEAN = "trimmed_mean"
    ZSCORE = "zscore"
    LENIENCY = "leniency"


class TiebreakStep(StrEnum):
    CRITERIA = "criteria"  # averages of the criteria in priority order
    TOP_SCORES = "top_scores"  # how many judges gave the entry their own highest total
    DECISION = "decision"  # an organizer's recorded decision


TIEBREAK_CHAIN = (TiebreakStep.CRITERIA, TiebreakStep.TOP_SCORES, TiebreakStep.DECISION)


class JudgeState(StrEnum):
    INVITED = "invited"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"  # dropped out after accepting; their open work was handed over


class ConflictKind(StrEnum):
    ENTRY = "entry"  # value: the entry's source id
    TEAM = "team"  # value: the team key (or the nominee)
    ORGANIZATION = "organization"  # value: an organization name or an e-mail domain


class ConflictOrigin(StrEnum):
    DECLARED = "declared"  # by the judge
    DETECTED = "detected"  # shared organization or e-mail domain
    ORGANIZER = "organizer"


class SheetState(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"


class MarkKind(StrEnum):
    WINNER = "winner"
    HONOURABLE_MENTION = "honourable_mention"


PLACES = (1, 2, 3)

PUBLIC_MAIL_DOMAINS = frozenset(
    {
        "gmail.com",
        "googlemail.com",
        "hotmail.com",
        "hotmail.co.uk",
        "outlook.com",
        "outlook.sa",
        "live.com",
        "msn.com",
        "yahoo.com",
        "yahoo.co.uk",
        "ymail.com",
        "icloud.com",
        "me.com",
        "mac.com",
        "aol.com",
        "proton.me",
        "protonmail.com",
        "mail.com",
        "gmx.com",
        "zoho.com",
        "yandex.com",
    }
)
"""Free mail providers: sharing one says nothing about a shared employer."""
