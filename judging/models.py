"""Judging data: rounds and their rubrics, entries, judges, conflicts, assignments, score
sheets and what the organizer decides about results. Everything is scoped by
(scope_type, scope_id): an event or an award cycle, which judging never imports."""

from __future__ import annotations

import datetime as dt
from typing import Any

from tortoise import fields
from tortoise.models import Model

from core.clock import now
from judging.enums import (
    TIEBREAK_CHAIN,
    ConflictKind,
    ConflictOrigin,
    EntryRule,
    JudgeState,
    MarkKind,
    Method,
    RoundState,
    SheetState,
)


def _default_tiebreak() -> list[str]:
    return [step.value for step in TIEBREAK_CHAIN]


def effective_state(state: str, ends_at: dt.datetime | None, at: dt.datetime) -> RoundState:
    """A round's state at a moment: an open round whose end has passed is closed, whether or
    not anyone pressed it (Round.effective_state; the judge's queue reads rounds as rows)."""
    if state == RoundState.OPEN and ends_at is not None and at >= ends_at:
        return RoundState.CLOSED
    return RoundState(state)


class Round(Model):
    id = fields.IntField(primary_key=True)
    scope_type = fields.CharField(max_length=20)
    scope_id = fields.IntField()
    name_ar = fields.CharField(max_length=200, default="")
    name_en = fields.CharField(max_length=200, default="")
    starts_at = fields.DatetimeField(null=True)
    ends_at = fields.DatetimeField(null=True)
    judges_per_entry = fields.IntField(default=3)
    blind = fields.BooleanField(default=False)
    entry_rule = fields.CharEnumField(EntryRule, default=EntryRule.ALL_SUBMITTED)
    previous: fields.ForeignKeyNullableRelation[Round] = fields.ForeignKeyField(
        "models.Round", related_name="next_rounds", null=True, on_delete=fields.SET_NULL
    )
    method = fields.CharEnumField(Method, default=Method.MEAN)
    min_scores_for_zscore = fields.IntField(default=3)
    tiebreak: Any = fields.JSONField(default=_default_tiebreak)
    spread_threshold = fields.FloatField(default=20.0)
    state = fields.CharEnumField(RoundState, default=RoundState.DRAFT)
    publish_at = fields.DatetimeField(null=True)  # results are public from then on
    published_at = fields.DatetimeField(null=True)  # when the organizer pressed publish
    gallery = fields.BooleanField(default=False)
    # Only the candidates of this group (a track, a category) enter; "" = every group.
    group_key = fields.CharField(max_length=100, default="")
    # The ranking as published ({"method": ..., "ranking": [[entry id, rank, value], ...]}):
    # what the public reads, frozen at the moment of publishing.
    snapshot: Any = fields.JSONField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "judging_round"
        indexes = (("scope_type", "scope_id"),)
        ordering = ["id"]

    def effective_state(self, at: dt.datetime) -> RoundState:
        """An open round whose end has passed is closed, whether or not anyone pressed it."""
        return effective_state(self.state, self.ends_at, at)

    @property
    def current_state(self) -> RoundState:
        return self.effective_state(now())

    def accepts_scores(self, at: dt.datetime) -> bool:
        return self.effective_state(at) == RoundState.OPEN

    def publication_scheduled(self, at: dt.datetime) -> bool:
        """Published with a time still to come: the results are not public yet."""
        return (
            self.state == RoundState.PUBLISHED
            and self.publish_at is not None
            and self.publish_at > at
        )

    @property
    def scheduled(self) -> bool:
        return self.publication_scheduled(now())

    def results_public(self, at: dt.datetime) -> bool:
        return (
            self.state == RoundState.PUBLISHED
            and self.publish_at is not None
            and self.publish_at <= at
        )


class Criterion(Model):
    id = fields.IntField(primary_key=True)
    round: fields.ForeignKeyRelation[Round] = fields.ForeignKeyField(
        "models.Round", related_name="criteria", on_delete=fields.CASCADE
    )
    key = fields.CharField(max_length=20)
    position = fields.IntField(default=0)
    name_ar = fields.CharField(max_length=200, default="")
    name_en = fields.CharField(max_length=200, default="")
    guidance_ar = fields.TextField(default="")
    guidance_en = fields.TextField(default="")
    # [{"score": 5.0, "ar": "...", "en": "..."}], highest first
    levels: Any = fields.JSONField(default=list)
    weight = fields.FloatField(default=1.0)
    min_score = fields.FloatField(default=1.0)
    max_score = fields.FloatField(default=5.0)
    step = fields.FloatField(default=1.0)
    independent = fields.BooleanField(default=False)
    priority = fields.IntField(null=True)  # tie-break order, 1 first

    class Meta:
        table = "judging_criterion"
        unique_together = (("round", "key"),)
        ordering = ["position", "id"]

    def level_text(self, level: dict[str, Any], lang: str) -> str:
        other = "en" if lang == "ar" else "ar"
        return str(level.get(lang) or level.get(other) or "")


class Entry(Model):
    """Something judged in one round: a snapshot of an EntrySource candidate."""

    id = fields.IntField(primary_key=True)
    round: fields.ForeignKeyRelation[Round] = fields.ForeignKeyField(
        "models.Round", related_name="entries", on_delete=fields.CASCADE
    )
    source = fields.CharField(max_length=60)
    source_id = fields.IntField()
    title_ar = fields.CharField(max_length=300, default="")
    title_en = fields.CharField(max_length=300, default="")
    group_key = fields.CharField(max_length=100, default="")
    group_label_ar = fields.CharField(max_length=200, default="")
    group_label_en = fields.CharField(max_length=200, default="")
    team_key = fields.CharField(max_length=100, default="")
    team_label = fields.CharField(max_length=300, default="")
    # [{"email", "language", "name", "organization"}]
    members: Any = fields.JSONField(default=list)
    organizations: Any = fields.JSONField(default=list)
    created_at = fields.DatetimeField(auto_now_add=True)
    # set by every refresh that changes the snapshot (titles, groups, members): the results
    # cache's fingerprint reads it
    updated_at = fields.DatetimeField(null=True)

    class Meta:
        table = "judging_entry"
        unique_together = (("round", "source", "source_id"),)
        indexes = (("source", "source_id"),)
        ordering = ["id"]

    @property
    def member_emails(self) -> set[str]:
        return {str(m.get("email", "")).lower() for m in self.members if m.get("email")}


class Judge(Model):
    """A judge of one scope, from the invitation on: invited, accepted, declined, withdrawn."""

    id = fields.IntField(primary_key=True)
    scope_type = fields.CharField(max_length=20)
    scope_id = fields.IntField()
    email = fields.CharField(max_length=254)
    name = fields.CharField(max_length=200, default="")
    language = fields.CharField(max_length=5, default="ar")
    # The group (a track, a category) this judge is invited for: assigned only to the rounds
    # of that group; "" = every round of the scope.
    group_key = fields.CharField(max_length=100, default="")
    user: fields.ForeignKeyNullableRelation[Any] = fields.ForeignKeyField(
        "models.User", related_name="judge_seats", null=True, on_delete=fields.SET_NULL
    )
    state = fields.CharEnumField(JudgeState, default=JudgeState.INVITED)
    token_hash = fields.CharField(max_length=64, unique=True)
    invited_at = fields.DatetimeField(auto_now_add=True)
    responded_at = fields.DatetimeField(null=True)

    class Meta:
        table = "judging_judge"
        unique_together = (("scope_type", "scope_id", "email"),)
        indexes = (("user_id",),)  # a person's judging seats (their queue)
        ordering = ["id"]

    @property
    def label(self) -> str:
        """What organizers read: once the judge accepted, their own profile name in the page's
        language (when the query fetched the user with the judge), else the name given with
        the invitation, else the e-mail address."""
        user = getattr(self, "_user", None)  # set by select_related("user")
        if user is not None:
            return str(user.display_name)
        return self.name or self.email


class Conflict(Model):
    id = fields.IntField(primary_key=True)
    judge: fields.ForeignKeyRelation[Judge] = fields.ForeignKeyField(
        "models.Judge", related_name="conflicts", on_delete=fields.CASCADE
    )
    scope_type = fields.CharField(max_length=20)
    scope_id = fields.IntField()
    kind = fields.CharEnumField(ConflictKind)
    value = fields.CharField(max_length=300)
    label = fields.CharField(max_length=300, default="")  # what the organizer reads
    reason = fields.TextField(default="")
    origin = fields.CharEnumField(ConflictOrigin)
    active = fields.BooleanField(default=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "judging_conflict"
        unique_together = (("judge", "kind", "value"),)
        indexes = (("scope_type", "scope_id"),)
        ordering = ["id"]


class Assignment(Model):
    id = fields.IntField(primary_key=True)
    round: fields.ForeignKeyRelation[Round] = fields.ForeignKeyField(
        "models.Round", related_name="assignments", on_delete=fields.CASCADE
    )
    entry: fields.ForeignKeyRelation[Entry] = fields.ForeignKeyField(
        "models.Entry", related_name="assignments", on_delete=fields.CASCADE
    )
    judge: fields.ForeignKeyRelation[Judge] = fields.ForeignKeyField(
        "models.Judge", related_name="assignments", on_delete=fields.CASCADE
    )
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "judging_assignment"
        unique_together = (("entry", "judge"),)
        indexes = (("judge_id",),)  # a judge's queue: their assignments, whatever the scope
        ordering = ["id"]


class ScoreSheet(Model):
    id = fields.IntField(primary_key=True)
    assignment: fields.OneToOneRelation[Assignment] = fields.OneToOneField(
        "models.Assignment", related_name="sheet", on_delete=fields.CASCADE
    )
    scores: Any = fields.JSONField(default=dict)  # {criterion key: number}
    total = fields.FloatField(null=True)  # weighted, 0..100, once every counted score is in
    comment_for_team = fields.TextField(default="")
    note_for_organizers = fields.TextField(default="")
    state = fields.CharEnumField(SheetState, default=SheetState.DRAFT)
    version = fields.IntField(default=1)  # optimistic concurrency: every save adds one
    submitted_at = fields.DatetimeField(null=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "judging_score_sheet"


class TieDecision(Model):
    """The organizer's order among entries still tied after the other tie-breaks."""

    id = fields.IntField(primary_key=True)
    round: fields.ForeignKeyRelation[Round] = fields.ForeignKeyField(
        "models.Round", related_name="tie_decisions", on_delete=fields.CASCADE
    )
    entry: fields.ForeignKeyRelation[Entry] = fields.ForeignKeyField(
        "models.Entry", related_name="tie_decisions", on_delete=fields.CASCADE
    )
    position = fields.IntField()  # 1 goes first
    reason = fields.TextField(default="")
    decided_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "judging_tie_decision"
        unique_together = (("round", "entry"),)


class Shortlist(Model):
    """An entry of this round promoted to the next round."""

    id = fields.IntField(primary_key=True)
    round: fields.ForeignKeyRelation[Round] = fields.ForeignKeyField(
        "models.Round", related_name="shortlist", on_delete=fields.CASCADE
    )
    entry: fields.ForeignKeyRelation[Entry] = fields.ForeignKeyField(
        "models.Entry", related_name="shortlisted", on_delete=fields.CASCADE
    )
    rank = fields.IntField()
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "judging_shortlist"
        unique_together = (("round", "entry"),)
        ordering = ["rank", "id"]


class Mark(Model):
    """A winner's place (overall or in its group) or an honourable mention.

    ``slot`` makes the database refuse a second first place in the same group:
    ``"winner:<group>:<place>"``, or ``"mention:<entry id>"``.
    """

    id = fields.IntField(primary_key=True)
    round: fields.ForeignKeyRelation[Round] = fields.ForeignKeyField(
        "models.Round", related_name="marks", on_delete=fields.CASCADE
    )
    entry: fields.ForeignKeyRelation[Entry] = fields.ForeignKeyField(
        "models.Entry", related_name="marks", on_delete=fields.CASCADE
    )
    kind = fields.CharEnumField(MarkKind)
    place = fields.IntField(null=True)
    group_key = fields.CharField(max_length=100, default="")  # "" = overall
    slot = fields.CharField(max_length=160)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "judging_mark"
        unique_together = (("round", "slot"), ("round", "entry"))
        ordering = ["group_key", "place", "id"]
