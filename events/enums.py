"""States and kinds of the Mediathon domain."""

from __future__ import annotations

from enum import StrEnum


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


class QuestionKind(StrEnum):
    SHORT_TEXT = "short_text"
    LONG_TEXT = "long_text"
    SINGLE_CHOICE = "single_choice"
    MULTIPLE_CHOICE = "multiple_choice"
    YES_NO = "yes_no"
    URL = "url"
    NUMBER = "number"
    FILE = "file"


CHOICE_KINDS = frozenset({QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE})


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
