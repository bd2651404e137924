"""States and kinds of the Mediathon domain."""

from __future__ import annotations

from enum import StrEnum

from core import questions


class Visibility(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"


class Phase(StrEnum):
    """Where an event stands on its timeline, derived from the clock (see events.phases)."""

    UPCOMING = "upcoming"  # registration has not opened yet
    REGISTRATION = "registration"  # registration open, submissions not yet open
    PREPARATION = "preparation"  # registration closed, submissions not yet open
    SUBMISSION = "submission"  # submissions open
    JUDGING = "judging"  # submissions closed, results not yet out
    RESULTS = "results"  # results time has come


class QuestionScope(StrEnum):
    REGISTRATION = "registration"
    SUBMISSION = "submission"


# The kinds of answer are the platform's (shared with the award's categories).
QuestionKind = questions.QuestionKind
CHOICE_KINDS = questions.CHOICE_KINDS


class TeamState(StrEnum):
    ACTIVE = "active"
    WITHDRAWN = "withdrawn"


class InvitationState(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    REVOKED = "revoked"


class SubmissionState(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    WITHDRAWN = "withdrawn"


class Deadline(StrEnum):
    """The timeline dates an organizer may extend."""

    REGISTRATION_CLOSES = "registration_closes"
    SUBMISSIONS_CLOSE = "submissions_close"
    JUDGING_ENDS = "judging_ends"


class MailGroup(StrEnum):
    """Who an organizer's group mail goes to."""

    REGISTRANTS = "registrants"
    WITHOUT_SUBMISSION = "without_submission"
    TRACK = "track"
