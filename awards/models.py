"""Award cycles, their categories and screening reasons, nominations with their nominators,
versions, files, rulings, appeals and merges.

Rules that must hold under concurrency live in the database:
- one credit per nominator and nomination (unique nomination+user);
- one claim per nominee e-mail or canonical work URL and category (`NomineeClaim`): two
  nominations of the same nominee submitted at the same moment cannot both claim it, and the
  second becomes a merge into the first;
- one appeal per ruling (unique ruling), and version numbers unique per nomination;
- a nominator's count per category goes up by a conditional update (`NominatorTally`).

`Meta.indexes` name a relation's column (`cycle_id`), not the relation.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, TypeVar

from tortoise import fields
from tortoise.models import Model
from tortoise.queryset import QuerySet

from awards import timeline
from awards.enums import (
    AppealState,
    CyclePhase,
    MergeReason,
    NominationState,
    NomineeType,
    Relation,
    Ruling,
    Visibility,
)
from awards.tabulation import Fallback, Method
from core.questions import QuestionKind

M = TypeVar("M", bound=Model)
DEFAULT_TIME_ZONE = "Asia/Riyadh"
SLUG_MAX = 60


class Cycle(Model):
    """One year of the Media Excellence Award."""

    id = fields.IntField(primary_key=True)
    slug = fields.CharField(max_length=SLUG_MAX, unique=True)
    year = fields.IntField()
    name_ar = fields.CharField(max_length=200, default="")
    name_en = fields.CharField(max_length=200, default="")
    description_ar = fields.TextField(default="")
    description_en = fields.TextField(default="")
    rules_ar = fields.TextField(default="")
    rules_en = fields.TextField(default="")
    time_zone = fields.CharField(max_length=64, default=DEFAULT_TIME_ZONE)
    visibility = fields.CharEnumField(Visibility, default=Visibility.DRAFT, db_index=True)
    nominations_open = fields.DatetimeField()
    nominations_close = fields.DatetimeField()
    screening_ends = fields.DatetimeField()
    appeals_close = fields.DatetimeField()
    jury_starts = fields.DatetimeField(null=True)
    jury_ends = fields.DatetimeField(null=True)
    shortlist_at = fields.DatetimeField(null=True)
    voting_opens = fields.DatetimeField(null=True)
    voting_closes = fields.DatetimeField(null=True)
    results_at = fields.DatetimeField(null=True)
    # How long after nominations close a nominee may still accept (then it is not screened).
    acceptance_grace_hours = fields.IntField(default=72)
    # When the organizer published the jury's shortlist (the approved categories' shortlists).
    shortlist_published_at = fields.DatetimeField(null=True)
    # The results: approved by an organizer, public from `results_publish_at` (now or an
    # embargo); the bundle's fingerprint is fixed when voting closes (see ResultsBundle).
    results_approved_at = fields.DatetimeField(null=True)
    results_publish_at = fields.DatetimeField(null=True)
    results_announced_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "awards_cycle"
        ordering = ["-year", "-id"]

    @property
    def timeline(self) -> timeline.Timeline:
        return timeline.Timeline(
            **{name: getattr(self, name) for name in timeline.Timeline.__dataclass_fields__}
        )

    def phase(self, now: dt.datetime) -> CyclePhase:
        return timeline.phase(self.timeline, now)

    @property
    def acceptance_deadline(self) -> dt.datetime:
        return self.nominations_close + dt.timedelta(hours=self.acceptance_grace_hours)

    @property
    def published(self) -> bool:
        return self.visibility == Visibility.PUBLISHED


def of_cycle(model: type[M], cycle: Cycle | int) -> QuerySet[M]:
    """The one way into a cycle's data: every query is scoped by the cycle."""
    cycle_id = cycle if isinstance(cycle, int) else cycle.id
    return model.filter(cycle_id=cycle_id)


class Category(Model):
    id = fields.IntField(primary_key=True)
    cycle: fields.ForeignKeyRelation[Cycle] = fields.ForeignKeyField(
        "models.Cycle", related_name="categories", on_delete=fields.CASCADE
    )
    position = fields.IntField(default=0)
    name_ar = fields.CharField(max_length=200, default="")
    name_en = fields.CharField(max_length=200, default="")
    description_ar = fields.TextField(default="")
    description_en = fields.TextField(default="")
    citation_guidance_ar = fields.TextField(default="")
    citation_guidance_en = fields.TextField(default="")
    nominee_type = fields.CharEnumField(NomineeType, max_length=20)
    # The work must be published within [published_from, published_until] (either may be open).
    published_from = fields.DateField(null=True)
    published_until = fields.DateField(null=True)
    self_nomination = fields.BooleanField(default=True)
    max_per_nominator = fields.IntField(default=1)
    # Evidence: the nomination fields that must be filled (EvidenceField values), how many
    # links at least, which file kinds (core.storage kinds) and how many files.
    required_fields: Any = fields.JSONField(default=list)
    min_links = fields.IntField(default=0)
    file_kinds: Any = fields.JSONField(default=list)
    min_files = fields.IntField(default=0)
    max_files = fields.IntField(default=5)
    shortlist_size = fields.IntField(default=5)
    public_vote = fields.BooleanField(default=False)
    # The jury round (judging) whose results made the approved shortlist, and when.
    shortlist_round_id = fields.IntField(null=True)
    shortlist_approved_at = fields.DatetimeField(null=True)
    # The final vote's declared rules (awards.tabulation.CategoryConfig), editable until voting
    # opens (the cycle's `voting_opens`), then locked. The jury weight w is in percent.
    jury_method = fields.CharEnumField(Method, max_length=20, default=Method.IRV)
    partial_ballots = fields.BooleanField(default=True)
    jury_weight_percent = fields.IntField(default=50)
    quorum = fields.IntField(default=3)
    quorum_fallback = fields.CharEnumField(Fallback, max_length=20, default=Fallback.PUBLIC_ONLY)
    # Decisions recorded after voting: the public vote voided as a whole, or "no award".
    public_voided = fields.BooleanField(default=False)
    public_void_reason = fields.TextField(default="")
    no_award = fields.BooleanField(default=False)
    no_award_reason = fields.TextField(default="")
    # The fraud review of the public vote, signed off (its decisions then freeze).
    fraud_review_signed_at = fields.DatetimeField(null=True)

    class Meta:
        table = "awards_category"
        indexes = (("cycle_id", "position"),)
        ordering = ["position", "id"]


class CategoryQuestion(Model):
    """A category's own question on the nomination form (core.questions kinds, file aside:
    a nomination's files are its evidence)."""

    id = fields.IntField(primary_key=True)
    category: fields.ForeignKeyRelation[Category] = fields.ForeignKeyField(
        "models.Category", related_name="questions", on_delete=fields.CASCADE
    )
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
        table = "awards_category_question"
        indexes = (("category_id", "position"),)
        ordering = ["position", "id"]

    @property
    def field_name(self) -> str:
        return f"q{self.id}"


class ScreeningReason(Model):
    """A coded reason for a ruling, in both languages, that the organizer keeps per cycle."""

    id = fields.IntField(primary_key=True)
    cycle: fields.ForeignKeyRelation[Cycle] = fields.ForeignKeyField(
        "models.Cycle", related_name="screening_reasons", on_delete=fields.CASCADE
    )
    code = fields.CharField(max_length=30)
    label_ar = fields.CharField(max_length=300, default="")
    label_en = fields.CharField(max_length=300, default="")
    position = fields.IntField(default=0)
    active = fields.BooleanField(default=True)

    class Meta:
        table = "awards_screening_reason"
        unique_together = (("cycle", "code"),)
        ordering = ["position", "id"]


class Nomination(Model):
    id = fields.IntField(primary_key=True)
    cycle: fields.ForeignKeyRelation[Cycle] = fields.ForeignKeyField(
        "models.Cycle", related_name="nominations", on_delete=fields.CASCADE
    )
    category: fields.ForeignKeyRelation[Category] = fields.ForeignKeyField(
        "models.Category", related_name="nominations", on_delete=fields.RESTRICT
    )
    # Who started it; every nominator (this one included) is credited in NominationCredit.
    created_by: fields.ForeignKeyRelation[Any] = fields.ForeignKeyField(
        "models.User", related_name="award_nominations", on_delete=fields.RESTRICT
    )
    state = fields.CharEnumField(
        NominationState, max_length=20, default=NominationState.DRAFT, db_index=True
    )
    self_nomination = fields.BooleanField(default=False)
    relation = fields.CharEnumField(Relation, max_length=20, default=Relation.OTHER)
    nominee_name_ar = fields.CharField(max_length=200, default="")
    nominee_name_en = fields.CharField(max_length=200, default="")
    nominee_email = fields.CharField(max_length=254, default="")
    nominee_organization = fields.CharField(max_length=200, default="")
    nominee_language = fields.CharField(max_length=5, default="ar")  # for the nominee's mails
    nominee_user: fields.ForeignKeyNullableRelation[Any] = fields.ForeignKeyField(
        "models.User", related_name="award_nominee_of", null=True, on_delete=fields.SET_NULL
    )
    # What the nominee adds after accepting: a short biography and a photo (an image).
    nominee_biography = fields.TextField(default="")
    nominee_photo: fields.ForeignKeyNullableRelation[Any] = fields.ForeignKeyField(
        "models.StoredFile", related_name=False, null=True, on_delete=fields.SET_NULL
    )
    work_title = fields.CharField(max_length=300, default="")
    work_outlet = fields.CharField(max_length=200, default="")
    work_published_on = fields.DateField(null=True)
    work_links: Any = fields.JSONField(default=list)
    statement = fields.TextField(default="")
    # The answers to the category's questions, by question id (a string key): core.answers
    answers: Any = fields.JSONField(default=dict)
    # A double-click on "save" sends the same form key twice: one draft, not two.
    form_key = fields.CharField(max_length=64, null=True)
    fingerprint = fields.CharField(max_length=64, default="")
    version_count = fields.IntField(default=0)
    submitted_at = fields.DatetimeField(null=True)
    # The acceptance link carries this nonce; using the link clears it, so it works once.
    acceptance_nonce = fields.CharField(max_length=32, default="")
    accepted_at = fields.DatetimeField(null=True)
    declined_at = fields.DatetimeField(null=True)
    merged_into: fields.ForeignKeyNullableRelation[Nomination] = fields.ForeignKeyField(
        "models.Nomination", related_name="merged_from", null=True, on_delete=fields.SET_NULL
    )
    final = fields.BooleanField(default=False)  # an appeal was decided: no more rulings
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "awards_nomination"
        unique_together = (("created_by", "form_key"),)
        # (cycle_id, id): the organizer's list reads a cycle's newest first, a page at a time
        indexes = (("cycle_id", "category_id", "state"), ("cycle_id", "id"))
        ordering = ["id"]


class NominationCredit(Model):
    """A nominator of a nomination: the one who started it, and those merged into it."""

    id = fields.IntField(primary_key=True)
    nomination: fields.ForeignKeyRelation[Nomination] = fields.ForeignKeyField(
        "models.Nomination", related_name="credits", on_delete=fields.CASCADE
    )
    user: fields.ForeignKeyRelation[Any] = fields.ForeignKeyField(
        "models.User", related_name="award_credits", on_delete=fields.CASCADE
    )
    relation = fields.CharEnumField(Relation, max_length=20, default=Relation.OTHER)
    # The nomination this credit came from when it was merged in (None for the original).
    source: fields.ForeignKeyNullableRelation[Nomination] = fields.ForeignKeyField(
        "models.Nomination", related_name="credits_given", null=True, on_delete=fields.SET_NULL
    )
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "awards_nomination_credit"
        unique_together = (("nomination", "user"),)
        indexes = (("user_id",),)  # a nominator's nominations (my nominations)
        ordering = ["created_at", "id"]


class NomineeClaim(Model):
    """One nomination per nominee e-mail or canonical work URL in a category, by the database."""

    id = fields.IntField(primary_key=True)
    category: fields.ForeignKeyRelation[Category] = fields.ForeignKeyField(
        "models.Category", related_name="claims", on_delete=fields.CASCADE
    )
    key = fields.CharField(max_length=400)  # "email:<address>" or "url:<canonical url>"
    nomination: fields.ForeignKeyRelation[Nomination] = fields.ForeignKeyField(
        "models.Nomination", related_name="claims", on_delete=fields.CASCADE
    )

    class Meta:
        table = "awards_nominee_claim"
        unique_together = (("category", "key"),)


class NominatorTally(Model):
    """How many nominations one person has submitted in a category (a conditional update
    keeps it under the category's limit)."""

    id = fields.IntField(primary_key=True)
    category: fields.ForeignKeyRelation[Category] = fields.ForeignKeyField(
        "models.Category", related_name="tallies", on_delete=fields.CASCADE
    )
    user: fields.ForeignKeyRelation[Any] = fields.ForeignKeyField(
        "models.User", related_name="award_tallies", on_delete=fields.CASCADE
    )
    count = fields.IntField(default=0)

    class Meta:
        table = "awards_nominator_tally"
        unique_together = (("category", "user"),)


class NominationVersion(Model):
    """What was submitted, each time it was submitted with a change."""

    id = fields.IntField(primary_key=True)
    nomination: fields.ForeignKeyRelation[Nomination] = fields.ForeignKeyField(
        "models.Nomination", related_name="versions", on_delete=fields.CASCADE
    )
    number = fields.IntField()
    snapshot: Any = fields.JSONField()
    fingerprint = fields.CharField(max_length=64)
    author: fields.ForeignKeyRelation[Any] = fields.ForeignKeyField(
        "models.User", related_name="award_versions", on_delete=fields.RESTRICT
    )
    created_at = fields.DatetimeField()

    class Meta:
        table = "awards_nomination_version"
        unique_together = (("nomination", "number"),)
        ordering = ["number"]


class NominationFile(Model):
    id = fields.IntField(primary_key=True)
    nomination: fields.ForeignKeyRelation[Nomination] = fields.ForeignKeyField(
        "models.Nomination", related_name="files", on_delete=fields.CASCADE
    )
    file: fields.ForeignKeyRelation[Any] = fields.ForeignKeyField(
        "models.StoredFile", related_name=False, on_delete=fields.CASCADE, unique=True
    )
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "awards_nomination_file"
        ordering = ["created_at", "id"]


class ScreeningRuling(Model):
    id = fields.IntField(primary_key=True)
    nomination: fields.ForeignKeyRelation[Nomination] = fields.ForeignKeyField(
        "models.Nomination", related_name="rulings", on_delete=fields.CASCADE
    )
    ruling = fields.CharEnumField(Ruling, max_length=20)
    reason: fields.ForeignKeyNullableRelation[ScreeningReason] = fields.ForeignKeyField(
        "models.ScreeningReason", related_name="rulings", null=True, on_delete=fields.RESTRICT
    )
    note = fields.TextField(default="")
    ruled_by: fields.ForeignKeyRelation[Any] = fields.ForeignKeyField(
        "models.User", related_name="award_rulings", on_delete=fields.RESTRICT
    )
    ruled_at = fields.DatetimeField()

    class Meta:
        table = "awards_screening_ruling"
        indexes = (("nomination_id", "ruled_at"),)
        ordering = ["ruled_at", "id"]


class Appeal(Model):
    id = fields.IntField(primary_key=True)
    nomination: fields.ForeignKeyRelation[Nomination] = fields.ForeignKeyField(
        "models.Nomination", related_name="appeals", on_delete=fields.CASCADE
    )
    ruling: fields.OneToOneRelation[ScreeningRuling] = fields.OneToOneField(
        "models.ScreeningRuling", related_name="appeal", on_delete=fields.CASCADE
    )
    statement = fields.TextField()
    filed_by: fields.ForeignKeyRelation[Any] = fields.ForeignKeyField(
        "models.User", related_name="award_appeals", on_delete=fields.RESTRICT
    )
    filed_at = fields.DatetimeField()
    state = fields.CharEnumField(AppealState, max_length=20, default=AppealState.PENDING)
    decision_note = fields.TextField(default="")
    decided_by: fields.ForeignKeyNullableRelation[Any] = fields.ForeignKeyField(
        "models.User", related_name="award_appeal_decisions", null=True, on_delete=fields.RESTRICT
    )
    decided_at = fields.DatetimeField(null=True)

    class Meta:
        table = "awards_appeal"
        indexes = (("nomination_id",),)  # a nomination's appeal (my nominations, screening)
        ordering = ["filed_at", "id"]


class NominationMerge(Model):
    """A nomination folded into the one kept, which can be undone until screening ends."""

    id = fields.IntField(primary_key=True)
    cycle: fields.ForeignKeyRelation[Cycle] = fields.ForeignKeyField(
        "models.Cycle", related_name="merges", on_delete=fields.CASCADE
    )
    kept: fields.ForeignKeyRelation[Nomination] = fields.ForeignKeyField(
        "models.Nomination", related_name="merges_kept", on_delete=fields.CASCADE
    )
    merged: fields.ForeignKeyRelation[Nomination] = fields.ForeignKeyField(
        "models.Nomination", related_name="merges_merged", on_delete=fields.CASCADE
    )
    reason = fields.CharEnumField(MergeReason, max_length=20)
    previous_state = fields.CharEnumField(NominationState, max_length=20)
    merged_by: fields.ForeignKeyNullableRelation[Any] = fields.ForeignKeyField(
        "models.User", related_name="award_merges", null=True, on_delete=fields.SET_NULL
    )
    merged_at = fields.DatetimeField()
    undone_at = fields.DatetimeField(null=True)
    undone_by: fields.ForeignKeyNullableRelation[Any] = fields.ForeignKeyField(
        "models.User", related_name="award_merges_undone", null=True, on_delete=fields.SET_NULL
    )

    class Meta:
        table = "awards_nomination_merge"
        indexes = (("cycle_id", "merged_at"),)
        ordering = ["merged_at", "id"]


class DuplicateDismissal(Model):
    """A pair of nominations the organizer said are not duplicates: never offered again.
    The pair is stored with the smaller id as `one`."""

    id = fields.IntField(primary_key=True)
    cycle: fields.ForeignKeyRelation[Cycle] = fields.ForeignKeyField(
        "models.Cycle", related_name="duplicate_dismissals", on_delete=fields.CASCADE
    )
    one: fields.ForeignKeyRelation[Nomination] = fields.ForeignKeyField(
        "models.Nomination", related_name="dismissals_first", on_delete=fields.CASCADE
    )
    other: fields.ForeignKeyRelation[Nomination] = fields.ForeignKeyField(
        "models.Nomination", related_name="dismissals_second", on_delete=fields.CASCADE
    )
    dismissed_by: fields.ForeignKeyNullableRelation[Any] = fields.ForeignKeyField(
        "models.User", related_name="award_dismissals", null=True, on_delete=fields.SET_NULL
    )
    dismissed_at = fields.DatetimeField()

    class Meta:
        table = "awards_duplicate_dismissal"
        unique_together = (("one", "other"),)
        indexes = (("cycle_id",),)


class ShortlistedNomination(Model):
    """A nomination on its category's shortlist, as the organizer approved it from the jury's
    results (public once the cycle's shortlist is published)."""

    id = fields.IntField(primary_key=True)
    category: fields.ForeignKeyRelation[Category] = fields.ForeignKeyField(
        "models.Category", related_name="shortlisted", on_delete=fields.CASCADE
    )
    nomination: fields.ForeignKeyRelation[Nomination] = fields.ForeignKeyField(
        "models.Nomination", related_name="shortlisted", on_delete=fields.CASCADE
    )
    rank = fields.IntField()
    score = fields.FloatField(null=True)  # the calibrated value it ranked by
    citation = fields.TextField(default="")  # short, from the nominator's statement
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "awards_shortlisted_nomination"
        unique_together = (("category", "nomination"),)
        indexes = (("nomination_id",),)  # a nomination's place on its shortlist
        ordering = ["rank", "id"]


class JuryBallot(Model):
    """A juror's ranked ballot over a category's shortlist: `ranking` holds nomination ids from
    first preference down (partial where the category allows it). One per juror and category;
    the juror may change it until voting closes."""

    id = fields.IntField(primary_key=True)
    category: fields.ForeignKeyRelation[Category] = fields.ForeignKeyField(
        "models.Category", related_name="jury_ballots", on_delete=fields.CASCADE
    )
    juror: fields.ForeignKeyRelation[Any] = fields.ForeignKeyField(
        "models.User", related_name="jury_ballots", on_delete=fields.CASCADE
    )
    ranking: Any = fields.JSONField(default=list)
    version = fields.IntField(default=1)  # every change adds one
    cast_at = fields.DatetimeField()
    updated_at = fields.DatetimeField()

    class Meta:
        table = "awards_jury_ballot"
        unique_together = (("category", "juror"),)


class Voter(Model):
    """A public voter of a cycle, known only by the keyed hash of the canonical e-mail
    (`awards.voters.voter_key`); verified once for the whole cycle."""

    id = fields.IntField(primary_key=True)
    cycle: fields.ForeignKeyRelation[Cycle] = fields.ForeignKeyField(
        "models.Cycle", related_name="voters", on_delete=fields.CASCADE
    )
    key = fields.CharField(max_length=64)
    verified_at = fields.DatetimeField()
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "awards_voter"
        unique_together = (("cycle", "key"),)


class VoteCode(Model):
    """A 6-digit code sent to a would-be voter's e-mail: kept as a keyed hash, valid until
    `expires_at`, dead after `max tries` wrong tries or once used."""

    id = fields.IntField(primary_key=True)
    cycle: fields.ForeignKeyRelation[Cycle] = fields.ForeignKeyField(
        "models.Cycle", related_name="vote_codes", on_delete=fields.CASCADE
    )
    key = fields.CharField(max_length=64)  # the voter key it verifies
    code_hash = fields.CharField(max_length=64)
    sent_at = fields.DatetimeField()
    expires_at = fields.DatetimeField()
    tries = fields.IntField(default=0)
    used_at = fields.DatetimeField(null=True)

    class Meta:
        table = "awards_vote_code"
        indexes = (("cycle_id", "key"),)


class PublicVote(Model):
    """A verified voter's current vote in a category (one per voter and category: the last
    choice counts; `VoteLog` keeps every change). `voided` by the fraud review."""

    id = fields.BigIntField(primary_key=True)
    category: fields.ForeignKeyRelation[Category] = fields.ForeignKeyField(
        "models.Category", related_name="public_votes", on_delete=fields.CASCADE
    )
    voter: fields.ForeignKeyRelation[Voter] = fields.ForeignKeyField(
        "models.Voter", related_name="votes", on_delete=fields.CASCADE
    )
    nomination: fields.ForeignKeyRelation[Nomination] = fields.ForeignKeyField(
        "models.Nomination", related_name="public_votes", on_delete=fields.CASCADE
    )
    cast_at = fields.DatetimeField()
    changes = fields.IntField(default=0)
    voided = fields.BooleanField(default=False)

    class Meta:
        table = "awards_public_vote"
        unique_together = (("category", "voter"),)
        # the second serves the count: the tally (GROUP BY nomination) and the bundle's
        # per-vote pages read only this index for the votes that stand
        indexes = (("category_id", "nomination_id"), ("category_id", "voided", "nomination_id"))


class VoteLog(Model):
    """Every public vote and change, with the signals the fraud review reads: hashes of the
    client address, of its /24 (or /48) and of the user agent, the seconds from the code to the
    vote, and the flags raised (`flags`: a list of flag names). Never the raw address."""

    id = fields.BigIntField(primary_key=True)
    category: fields.ForeignKeyRelation[Category] = fields.ForeignKeyField(
        "models.Category", related_name="vote_log", on_delete=fields.CASCADE
    )
    voter: fields.ForeignKeyRelation[Voter] = fields.ForeignKeyField(
        "models.Voter", related_name="log", on_delete=fields.CASCADE
    )
    nomination: fields.ForeignKeyRelation[Nomination] = fields.ForeignKeyField(
        "models.Nomination", related_name="vote_log", on_delete=fields.CASCADE
    )
    at = fields.DatetimeField()
    address_hash = fields.CharField(max_length=64, default="")
    subnet_hash = fields.CharField(max_length=64, default="")
    agent_hash = fields.CharField(max_length=64, default="")
    # A keyed hash of the e-mail's shape (digits, dots and +tags dropped from its local part),
    # shared by sequential or near-identical addresses (voter1@, voter2@, v.oter@ ...).
    shape_hash = fields.CharField(max_length=64, default="")
    seconds_from_code = fields.IntField(null=True)
    flags: Any = fields.JSONField(default=list)

    class Meta:
        table = "awards_vote_log"
        indexes = (("category_id", "at"), ("shape_hash",))


class FraudDecision(Model):
    """An organizer's decision on a cluster of flagged votes (`cluster`, its key) or on one vote
    (`vote`): void or keep, with a coded reason. Audited; frozen once the review is signed off."""

    id = fields.IntField(primary_key=True)
    category: fields.ForeignKeyRelation[Category] = fields.ForeignKeyField(
        "models.Category", related_name="fraud_decisions", on_delete=fields.CASCADE
    )
    cluster = fields.CharField(max_length=200, default="")
    vote: fields.ForeignKeyNullableRelation[PublicVote] = fields.ForeignKeyField(
        "models.PublicVote", related_name="decisions", on_delete=fields.CASCADE, null=True
    )
    action = fields.CharField(max_length=10)  # "void" or "keep" (awards.bundle.FRAUD_ACTIONS)
    reason = fields.CharField(max_length=40)
    note = fields.TextField(default="")
    votes = fields.IntField(default=0)  # how many votes it covered
    # The ids of the PublicVotes it covered when it was recorded (what an undo restores).
    vote_ids: Any = fields.JSONField(default=list)
    decided_by: fields.ForeignKeyNullableRelation[Any] = fields.ForeignKeyField(
        "models.User", related_name="fraud_decisions", on_delete=fields.SET_NULL, null=True
    )
    decided_at = fields.DatetimeField()

    class Meta:
        table = "awards_fraud_decision"
        indexes = (("category_id",),)


class CategoryResult(Model):
    """A category's counted result as the organizer approves it: the outcome, the winner (none
    for "no award"), the bilingual citation and the report (result.json's category document)."""

    id = fields.IntField(primary_key=True)
    category: fields.OneToOneRelation[Category] = fields.OneToOneField(
        "models.Category", related_name="result", on_delete=fields.CASCADE
    )
    outcome = fields.CharField(max_length=20)
    winner: fields.ForeignKeyNullableRelation[Nomination] = fields.ForeignKeyField(
        "models.Nomination", related_name="wins", on_delete=fields.SET_NULL, null=True
    )
    citation_ar = fields.TextField(default="")
    citation_en = fields.TextField(default="")
    report: Any = fields.JSONField(default=dict)
    counted_at = fields.DatetimeField()

    class Meta:
        table = "awards_category_result"


class ResultsBundle(Model):
    """A cycle's results bundle (awards.bundle): the zip kept in the database, its fingerprint
    (the SHA-256 of its manifest) and seed, fixed when voting closes and rebuilt only while the
    results are not approved."""

    id = fields.IntField(primary_key=True)
    cycle: fields.OneToOneRelation[Cycle] = fields.OneToOneField(
        "models.Cycle", related_name="bundle", on_delete=fields.CASCADE
    )
    fingerprint = fields.CharField(max_length=64)
    seed = fields.CharField(max_length=64)
    data = fields.BinaryField()
    built_at = fields.DatetimeField()

    class Meta:
        table = "awards_results_bundle"
