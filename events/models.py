"""Mediathon editions, their tracks and questions, registrations, teams and submissions.

Every table of an event's data carries the event (or hangs off a submission that does), and
queries start from `of_event(Model, event)` so one event's data never leaks into another's.
Limits that must hold under concurrency live in the database: one team per person per event
(unique event+user on TeamMember), team names unique per event, one submission per team, and
the team size guarded by a conditional update of `Team.member_count`.

`Meta.indexes` name a relation's column (`event_id`), not the relation: migrations write index
fields as given, and an index on "event" indexes nothing on SQLite and fails on PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, TypeVar

from tortoise import fields
from tortoise.models import Model
from tortoise.queryset import QuerySet

from events import phases
from events.enums import (
    InvitationState,
    Phase,
    QuestionKind,
    QuestionScope,
    SubmissionState,
    TeamState,
    Visibility,
)

M = TypeVar("M", bound=Model)
DEFAULT_TIME_ZONE = "Asia/Riyadh"


SLUG_MAX = 60
"""The longest event slug (the form allows 3 to 60 characters)."""


class Event(Model):
    """One Mediathon edition."""

    id = fields.IntField(primary_key=True)
    slug = fields.CharField(max_length=SLUG_MAX, unique=True)
    title_ar = fields.CharField(max_length=200, default="")
    title_en = fields.CharField(max_length=200, default="")
    description_ar = fields.TextField(default="")
    description_en = fields.TextField(default="")
    rules_ar = fields.TextField(default="")
    rules_en = fields.TextField(default="")
    time_zone = fields.CharField(max_length=64, default=DEFAULT_TIME_ZONE)
    visibility = fields.CharEnumField(Visibility, default=Visibility.DRAFT, db_index=True)
    team_min = fields.IntField(default=1)
    team_max = fields.IntField(default=5)
    registration_opens = fields.DatetimeField()
    registration_closes = fields.DatetimeField()
    submissions_open = fields.DatetimeField()
    submissions_close = fields.DatetimeField()
    judging_starts = fields.DatetimeField(null=True)
    judging_ends = fields.DatetimeField(null=True)
    results_at = fields.DatetimeField(null=True)
    max_attachments = fields.IntField(default=5)
    max_attachment_mb = fields.IntField(default=20)
    gallery_public = fields.BooleanField(default=False)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "events_event"
        ordering = ["-registration_opens", "id"]

    @property
    def timeline(self) -> phases.Timeline:
        return phases.Timeline(
            registration_opens=self.registration_opens,
            registration_closes=self.registration_closes,
            submissions_open=self.submissions_open,
            submissions_close=self.submissions_close,
            judging_starts=self.judging_starts,
            judging_ends=self.judging_ends,
            results_at=self.results_at,
        )

    def phase(self, now: dt.datetime) -> Phase:
        return phases.phase(self.timeline, now)

    @property
    def published(self) -> bool:
        return self.visibility == Visibility.PUBLISHED


def of_event(model: type[M], event: Event | int) -> QuerySet[M]:
    """The one way into an event's data: every query is scoped by the event."""
    event_id = event if isinstance(event, int) else event.id
    return model.filter(event_id=event_id)


class Track(Model):
    """A media challenge that teams choose."""

    id = fields.IntField(primary_key=True)
    event: fields.ForeignKeyRelation[Event] = fields.ForeignKeyField(
        "models.Event", related_name="tracks", on_delete=fields.CASCADE
    )
    name_ar = fields.CharField(max_length=200, default="")
    name_en = fields.CharField(max_length=200, default="")
    description_ar = fields.TextField(default="")
    description_en = fields.TextField(default="")
    position = fields.IntField(default=0)

    class Meta:
        table = "events_track"
        indexes = (("event_id", "position"),)
        ordering = ["position", "id"]


class Question(Model):
    """An organizer's question on the registration or the submission form."""

    id = fields.IntField(primary_key=True)
    event: fields.ForeignKeyRelation[Event] = fields.ForeignKeyField(
        "models.Event", related_name="questions", on_delete=fields.CASCADE
    )
    scope = fields.CharEnumField(QuestionScope, max_length=20)
    kind = fields.CharEnumField(QuestionKind, max_length=20)
    label_ar = fields.CharField(max_length=300, default="")
    label_en = fields.CharField(max_length=300, default="")
    help_ar = fields.TextField(default="")
    help_en = fields.TextField(default="")
    required = fields.BooleanField(default=False)
    position = fields.IntField(default=0)
    # [{"key": "o1", "ar": "...", "en": "..."}] for the choice kinds
    options: Any = fields.JSONField(default=list)

    class Meta:
        table = "events_question"
        indexes = (("event_id", "scope", "position"),)
        ordering = ["position", "id"]

    @property
    def field_name(self) -> str:
        return f"q{self.id}"


class Registration(Model):
    id = fields.IntField(primary_key=True)
    event: fields.ForeignKeyRelation[Event] = fields.ForeignKeyField(
        "models.Event", related_name="registrations", on_delete=fields.CASCADE
    )
    user: fields.ForeignKeyRelation[Any] = fields.ForeignKeyField(
        "models.User", related_name="event_registrations", on_delete=fields.CASCADE
    )
    answers: Any = fields.JSONField(default=dict)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "events_registration"
        unique_together = (("event", "user"),)
        indexes = (
            ("event_id", "created_at"),  # the organizer's list, newest first
            ("user_id",),  # a person's registrations (their dashboard)
        )
        ordering = ["-created_at", "-id"]


class RegistrationFile(Model):
    """A file given as the answer to a registration question (for the download policy)."""

    id = fields.IntField(primary_key=True)
    event: fields.ForeignKeyRelation[Event] = fields.ForeignKeyField(
        "models.Event", related_name="registration_files", on_delete=fields.CASCADE
    )
    registration: fields.ForeignKeyRelation[Registration] = fields.ForeignKeyField(
        "models.Registration", related_name="files", on_delete=fields.CASCADE
    )
    question: fields.ForeignKeyRelation[Question] = fields.ForeignKeyField(
        "models.Question", related_name="registration_files", on_delete=fields.CASCADE
    )
    file: fields.ForeignKeyRelation[Any] = fields.ForeignKeyField(
        "models.StoredFile", related_name=False, on_delete=fields.CASCADE, unique=True
    )

    class Meta:
        table = "events_registration_file"


class Team(Model):
    id = fields.IntField(primary_key=True)
    event: fields.ForeignKeyRelation[Event] = fields.ForeignKeyField(
        "models.Event", related_name="teams", on_delete=fields.CASCADE
    )
    name = fields.CharField(max_length=80)
    name_key = fields.CharField(max_length=80)  # casefolded: names unique regardless of case
    track: fields.ForeignKeyNullableRelation[Track] = fields.ForeignKeyField(
        "models.Track", related_name="teams", null=True, on_delete=fields.SET_NULL
    )
    captain: fields.ForeignKeyRelation[Any] = fields.ForeignKeyField(
        "models.User", related_name="captained_teams", on_delete=fields.RESTRICT
    )
    join_code = fields.CharField(max_length=12, unique=True)
    state = fields.CharEnumField(TeamState, default=TeamState.ACTIVE, max_length=20, db_index=True)
    member_count = fields.IntField(default=0)  # guarded by a conditional update
    created_at = fields.DatetimeField(auto_now_add=True)
    withdrawn_at = fields.DatetimeField(null=True)
    # who was in the team when it withdrew (the members themselves are released)
    former_members: Any = fields.JSONField(default=list)

    class Meta:
        table = "events_team"
        unique_together = (("event", "name_key"),)
        ordering = ["name_key", "id"]

    @property
    def active(self) -> bool:
        return self.state == TeamState.ACTIVE


class TeamMember(Model):
    id = fields.IntField(primary_key=True)
    event: fields.ForeignKeyRelation[Event] = fields.ForeignKeyField(
        "models.Event", related_name="team_members", on_delete=fields.CASCADE
    )
    team: fields.ForeignKeyRelation[Team] = fields.ForeignKeyField(
        "models.Team", related_name="members", on_delete=fields.CASCADE
    )
    user: fields.ForeignKeyRelation[Any] = fields.ForeignKeyField(
        "models.User", related_name="team_memberships", on_delete=fields.CASCADE
    )
    joined_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "events_team_member"
        unique_together = (("event", "user"),)  # one team per person per event
        indexes = (("team_id", "joined_at"), ("user_id",))  # ("user_id",): my teams (dashboard)
        ordering = ["joined_at", "id"]


class TeamInvitation(Model):
    id = fields.IntField(primary_key=True)
    event: fields.ForeignKeyRelation[Event] = fields.ForeignKeyField(
        "models.Event", related_name="team_invitations", on_delete=fields.CASCADE
    )
    team: fields.ForeignKeyRelation[Team] = fields.ForeignKeyField(
        "models.Team", related_name="invitations", on_delete=fields.CASCADE
    )
    email = fields.CharField(max_length=254, db_index=True)
    token = fields.CharField(max_length=64, unique=True)  # random nonce inside the signed link
    state = fields.CharEnumField(InvitationState, default=InvitationState.PENDING, max_length=20)
    invited_by: fields.ForeignKeyNullableRelation[Any] = fields.ForeignKeyField(
        "models.User", related_name="sent_team_invitations", null=True, on_delete=fields.SET_NULL
    )
    created_at = fields.DatetimeField(auto_now_add=True)
    expires_at = fields.DatetimeField()
    answered_at = fields.DatetimeField(null=True)

    class Meta:
        table = "events_team_invitation"
        indexes = (("team_id", "state"),)
        ordering = ["-created_at", "-id"]

    def usable(self, now: dt.datetime) -> bool:
        return self.state == InvitationState.PENDING and now < self.expires_at


class Submission(Model):
    """A team's idea: one per team, edited as a draft, submitted (as versions), withdrawn."""

    id = fields.IntField(primary_key=True)
    event: fields.ForeignKeyRelation[Event] = fields.ForeignKeyField(
        "models.Event", related_name="submissions", on_delete=fields.CASCADE
    )
    team: fields.OneToOneRelation[Team] = fields.OneToOneField(
        "models.Team", related_name="submission", on_delete=fields.CASCADE
    )
    track: fields.ForeignKeyNullableRelation[Track] = fields.ForeignKeyField(
        "models.Track", related_name="submissions", null=True, on_delete=fields.SET_NULL
    )
    title = fields.CharField(max_length=200, default="")
    summary = fields.TextField(default="")
    problem = fields.TextField(default="")
    solution = fields.TextField(default="")
    audience = fields.TextField(default="")
    video_url = fields.CharField(max_length=2000, default="")
    prototype_url = fields.CharField(max_length=2000, default="")
    answers: Any = fields.JSONField(default=dict)
    state = fields.CharEnumField(
        SubmissionState, default=SubmissionState.DRAFT, max_length=20, db_index=True
    )
    submitted_at = fields.DatetimeField(null=True)
    fingerprint = fields.CharField(max_length=64, default="")
    version_count = fields.IntField(default=0)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "events_submission"
        indexes = (("event_id", "updated_at"), ("event_id", "state"))  # the organizer's list
        ordering = ["-updated_at", "-id"]


class SubmissionVersion(Model):
    """What was submitted at one submit, kept for the history and the receipt."""

    id = fields.IntField(primary_key=True)
    submission: fields.ForeignKeyRelation[Submission] = fields.ForeignKeyField(
        "models.Submission", related_name="versions", on_delete=fields.CASCADE
    )
    number = fields.IntField()
    snapshot: Any = fields.JSONField()
    files: Any = fields.JSONField(default=list)  # [{"id", "name", "sha256", "size"}]
    changes: Any = fields.JSONField(default=dict)
    fingerprint = fields.CharField(max_length=64)
    created_at = fields.DatetimeField()
    author: fields.ForeignKeyNullableRelation[Any] = fields.ForeignKeyField(
        "models.User", related_name="submission_versions", null=True, on_delete=fields.SET_NULL
    )

    class Meta:
        table = "events_submission_version"
        unique_together = (("submission", "number"),)
        ordering = ["-number"]


class SubmissionFile(Model):
    """An attachment (or a file answer) of a submission. A file that was part of a submitted
    version is detached rather than deleted when removed, so the history keeps it."""

    id = fields.IntField(primary_key=True)
    submission: fields.ForeignKeyRelation[Submission] = fields.ForeignKeyField(
        "models.Submission", related_name="files", on_delete=fields.CASCADE
    )
    file: fields.ForeignKeyRelation[Any] = fields.ForeignKeyField(
        "models.StoredFile", related_name=False, on_delete=fields.CASCADE, unique=True
    )
    question: fields.ForeignKeyNullableRelation[Question] = fields.ForeignKeyField(
        "models.Question", related_name="submission_files", null=True, on_delete=fields.SET_NULL
    )
    created_at = fields.DatetimeField(auto_now_add=True)
    detached_at = fields.DatetimeField(null=True)

    class Meta:
        table = "events_submission_file"
        indexes = (("submission_id", "detached_at"),)
        ordering = ["created_at", "id"]
