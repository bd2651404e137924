"""The award's states and phases."""

from __future__ import annotations

from enum import StrEnum


class Visibility(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"


class CyclePhase(StrEnum):
    """Where a cycle stands, derived from its timeline and the clock (never stored)."""

    UPCOMING = "upcoming"
    NOMINATIONS = "nominations"
    SCREENING = "screening"
    APPEALS = "appeals"
    JURY = "jury"
    SHORTLIST = "shortlist"
    VOTING = "voting"
    COUNTING = "counting"
    RESULTS = "results"


class Milestone(StrEnum):
    """The dates of a cycle's timeline, in order (the field names on Cycle)."""

    NOMINATIONS_OPEN = "nominations_open"
    NOMINATIONS_CLOSE = "nominations_close"
    SCREENING_ENDS = "screening_ends"
    APPEALS_CLOSE = "appeals_close"
    JURY_STARTS = "jury_starts"
    JURY_ENDS = "jury_ends"
    SHORTLIST_AT = "shortlist_at"
    VOTING_OPENS = "voting_opens"
    VOTING_CLOSES = "voting_closes"
    RESULTS_AT = "results_at"


class NomineeType(StrEnum):
    INDIVIDUAL = "individual"
    GROUP = "group"
    INSTITUTION = "institution"


class Relation(StrEnum):
    """How a nominator knows the nominee."""

    SELF = "self"
    COLLEAGUE = "colleague"
    EMPLOYER = "employer"
    EDITOR = "editor"
    AUDIENCE = "audience"
    OTHER = "other"


class NominationState(StrEnum):
    DRAFT = "draft"
    AWAITING_NOMINEE = "awaiting_nominee"  # submitted; the nominee has not accepted yet
    SUBMITTED = "submitted"  # submitted and accepted (or a self-nomination): to be screened
    DECLINED = "declined"  # the nominee declined: out of the race
    ELIGIBLE = "eligible"
    INELIGIBLE = "ineligible"
    MERGED = "merged"  # folded into another nomination of the same nominee or work


SCREENABLE = (NominationState.SUBMITTED, NominationState.ELIGIBLE, NominationState.INELIGIBLE)
IN_RACE = (
    NominationState.AWAITING_NOMINEE,
    NominationState.SUBMITTED,
    NominationState.ELIGIBLE,
    NominationState.INELIGIBLE,
)


class Ruling(StrEnum):
    ELIGIBLE = "eligible"
    INELIGIBLE = "ineligible"


class AppealState(StrEnum):
    PENDING = "pending"
    UPHELD = "upheld"  # the appeal succeeds: the nomination becomes eligible
    DISMISSED = "dismissed"  # the ineligible ruling stands


class MergeReason(StrEnum):
    SAME_EMAIL = "same_email"
    SAME_URL = "same_url"
    CONFIRMED = "confirmed"  # an organizer confirmed a likely duplicate


class EvidenceField(StrEnum):
    """Nomination fields a category may require."""

    WORK_TITLE = "work_title"
    WORK_OUTLET = "work_outlet"
    WORK_PUBLISHED_ON = "work_published_on"
    STATEMENT = "statement"
    NOMINEE_ORGANIZATION = "nominee_organization"
