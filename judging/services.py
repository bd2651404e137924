"""Judging use cases: rounds, rubrics, judges and conflicts, assignment, scoring, results.

Every function that changes state owns its transaction, writes an audit entry and queues its
mail (woken after commit). What is judged comes from an EntrySource (judging/sources.py);
this module never imports the domain that owns it. The algorithms live in the pure modules
judging.scoring and judging.assignment.
"""

from __future__ import annotations

import csv
import hashlib
import io
import secrets
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from functools import partial
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from accounts import services as accounts_services
from accounts.enums import Role, ScopeType
from accounts.models import User
from core import audit
from core.clock import now
from core.errors import Conflict as ConflictError
from core.errors import Forbidden, Invalid, NotFound
from core.i18n import gettext as _
from core.i18n import localized
from core.mail import outbox
from judging import assignment as assignment_algo
from judging import scoring
from judging.enums import (
    PLACES,
    PUBLIC_MAIL_DOMAINS,
    ConflictKind,
    ConflictOrigin,
    EntryRule,
    JudgeState,
    MarkKind,
    Method,
    RoundState,
    SheetState,
    TiebreakStep,
)
from judging.models import (
    Assignment,
    Conflict,
    Criterion,
    Entry,
    Judge,
    Mark,
    Round,
    ScoreSheet,
    Shortlist,
    TieDecision,
)
from judging.sources import Candidate, EntrySource, ScopeInfo

DECISION_BASE = 1_000_000
"""Recorded tie decisions become ``DECISION_BASE - position`` so any decision beats none."""


@dataclass(frozen=True)
class Links:
    """Absolute links for mails; ``path_for`` is the app's ``url_path_for``."""

    base_url: str
    path_for: Callable[..., Any]

    def url(self, name: str, **params: Any) -> str:
        return self.absolute(str(self.path_for(name, **params)))

    def absolute(self, path: str) -> str:
        """A path of this site as a full link ("" stays ""; full links stay as they are)."""
        return self.base_url.rstrip("/") + path if path.startswith("/") else path


def _fmt(value: float) -> str:
    return f"{value:g}"


def _scope_of(obj: Any) -> tuple[str, int]:
    return (obj.scope_type, obj.scope_id)


# --- conflicts: what an entry and a judge are made of ----------------------------------------


def normalize_org(value: str) -> str:
    return " ".join(value.split()).casefold()


def email_domain(email: str) -> str:
    return email.rsplit("@", 1)[-1].strip().lower() if "@" in email else ""


def organizations_of(members: Iterable[Mapping[str, Any]], organizations: Iterable[str]
                     ) -> set[str]:
    """Organizations and non-public e-mail domains of an entry's people."""
    names = {normalize_org(o) for o in organizations}
    for member in members:
        names.add(normalize_org(str(member.get("organization", ""))))
        names.add(email_domain(str(member.get("email", ""))))
    return {n for n in names if n and n not in PUBLIC_MAIL_DOMAINS}


def entry_markers(entry: Entry) -> set[tuple[str, str]]:
    """Everything a conflict can name about this entry, as (kind, value)."""
    found = {(ConflictKind.ENTRY.value, str(entry.source_id))}
    if entry.team_key:
        found.add((ConflictKind.TEAM.value, entry.team_key))
    found |= {(ConflictKind.ORGANIZATION.value, o)
              for o in organizations_of(entry.members, entry.organizations)}
    return found


def judge_markers(judge: Judge, user: User | None) -> set[str]:
    """The judge's own organization and e-mail domains, for detection."""
    values = {email_domain(judge.email)}
    if user is not None:
        values |= {email_domain(user.email), normalize_org(user.organization)}
    return {v for v in values if v and v not in PUBLIC_MAIL_DOMAINS}


async def active_conflicts(scope_type: str, scope_id: int) -> dict[int, set[tuple[str, str]]]:
    """Per judge id, the (kind, value) pairs they are conflicted with."""
    rows = await Conflict.filter(scope_type=scope_type, scope_id=scope_id,
                                 active=True).values_list("judge_id", "kind", "value")
    found: dict[int, set[tuple[str, str]]] = defaultdict(set)
    for judge_id, kind, value in rows:
        found[judge_id].add((str(kind), value))
    return found


def conflicted_pairs(entries: Sequence[Entry], judge_ids: Iterable[int],
                     conflicts: Mapping[int, set[tuple[str, str]]]) -> set[tuple[int, int]]:
    """(judge id, entry id) pairs that must never meet."""
    markers = {entry.id: entry_markers(entry) for entry in entries}
    return {(judge_id, entry_id) for judge_id in judge_ids if conflicts.get(judge_id)
            for entry_id, marks in markers.items() if conflicts[judge_id] & marks}


async def is_conflicted(judge_id: int, entry: Entry) -> bool:
    rows = await Conflict.filter(judge_id=judge_id, active=True).values_list("kind", "value")
    return bool({(str(kind), value) for kind, value in rows} & entry_markers(entry))


# --- what other domains ask --------------------------------------------------------------------


async def judge_may_read(user_id: int, source: str, source_id: int) -> bool:
    """Whether the user is an accepted judge assigned (and not conflicted) to an entry with
    this source and source id in a round that is open or closed. The events domain's file
    policy asks this so assigned judges can download submission files."""
    assignments = await Assignment.filter(
        judge__user_id=user_id, judge__state=JudgeState.ACCEPTED, entry__source=source,
        entry__source_id=source_id, round__state__in=[RoundState.OPEN, RoundState.CLOSED],
    ).select_related("entry", "judge")
    for row in assignments:
        if not await is_conflicted(row.judge_id, row.entry):
            return True
    return False


# --- rounds ------------------------------------------------------------------------------------


ROUND_FIELDS = ("name_ar", "name_en", "starts_at", "ends_at", "judges_per_entry", "blind",
                "entry_rule", "previous_id", "min_scores_for_zscore", "tiebreak",
                "spread_threshold", "gallery")


async def scope_rounds(scope_type: str, scope_id: int) -> list[Round]:
    return await Round.filter(scope_type=scope_type, scope_id=scope_id).order_by("id")


async def round_in_scope(scope_type: str, scope_id: int, round_id: int) -> Round:
    found = await Round.get_or_none(id=round_id, scope_type=scope_type, scope_id=scope_id)
    if found is None:
        raise NotFound(_("This round does not exist."))
    return found


async def _check_round_values(scope_type: str, scope_id: int, values: Mapping[str, Any],
                              round_id: int | None = None) -> None:
    errors: dict[str, str] = {}
    previous_id = values.get("previous_id")
    if previous_id is not None:
        previous = await Round.get_or_none(id=previous_id, scope_type=scope_type,
                                           scope_id=scope_id)
        if previous is None or previous.id == round_id:
            errors["previous_id"] = _("Choose an earlier round of this competition.")
    if values.get("entry_rule") == EntryRule.SHORTLIST_OF_PREVIOUS and previous_id is None:
        errors["previous_id"] = _("Choose the round whose shortlist enters this one.")
    starts, ends = values.get("starts_at"), values.get("ends_at")
    if starts is not None and ends is not None and ends <= starts:
        errors["ends_at"] = _("The end must come after the start.")
    if errors:
        raise Invalid(errors)


async def create_round(actor: User, scope_type: str, scope_id: int,
                       values: Mapping[str, Any]) -> Round:
    await _check_round_values(scope_type, scope_id, values)
    async with in_transaction():
        created = await Round.create(scope_type=scope_type, scope_id=scope_id,
                                     **{k: values[k] for k in ROUND_FIELDS if k in values})
        await audit.record(actor, "judging.round_created", created,
                           scope=(scope_type, scope_id), after=_round_values(created))
    return created


def _round_values(round_: Round) -> dict[str, Any]:
    return {k: getattr(round_, k) for k in ROUND_FIELDS}


async def update_round(actor: User, round_: Round, values: Mapping[str, Any]) -> Round:
    if round_.state == RoundState.PUBLISHED:
        raise ConflictError(_("The results of this round are published: it can no longer "
                              "change."))
    await _check_round_values(round_.scope_type, round_.scope_id, values, round_.id)
    before = _round_values(round_)
    async with in_transaction():
        for key in ROUND_FIELDS:
            if key in values:
                setattr(round_, key, values[key])
        await round_.save()
        old, new = audit.changes(before, _round_values(round_))
        await audit.record(actor, "judging.round_updated", round_, scope=_scope_of(round_),
                           before=old, after=new)
    return round_


async def delete_round(actor: User, round_: Round) -> None:
    if round_.state != RoundState.DRAFT:
        raise ConflictError(_("Only a round in preparation can be deleted."))
    if await ScoreSheet.filter(assignment__round_id=round_.id).exists():
        raise ConflictError(_("This round already has scores and cannot be deleted."))
    async with in_transaction():
        await audit.record(actor, "judging.round_deleted", round_, scope=_scope_of(round_),
                           before=_round_values(round_))
        await round_.delete()


async def change_state(actor: User, round_: Round, action: str) -> Round:
    """Open, close or reopen a round."""
    at = now()
    current = round_.effective_state(at)
    if action == "open" and current == RoundState.DRAFT:
        await _check_ready(round_)
    elif action == "close" and current == RoundState.OPEN:
        pass
    elif action == "reopen" and current == RoundState.CLOSED:
        if round_.ends_at is not None and round_.ends_at <= at:
            raise ConflictError(_("The round's end has passed. Move the end later before "
                                  "reopening it."))
    else:
        raise ConflictError(_("This round cannot do that in its current state."))
    target = {"open": RoundState.OPEN, "close": RoundState.CLOSED, "reopen": RoundState.OPEN}
    async with in_transaction():
        round_.state = target[action]
        await round_.save(update_fields=["state"])
        await audit.record(actor, f"judging.round_{action}", round_, scope=_scope_of(round_),
                           before={"state": current.value}, after={"state": round_.state})
    return round_


async def _check_ready(round_: Round) -> None:
    criteria = await Criterion.filter(round=round_)
    if not any(c.weight > 0 and not c.independent for c in criteria):
        raise ConflictError(_("Add at least one weighted criterion to the rubric before "
                              "opening the round."))
    if not await Assignment.filter(round=round_).exists():
        raise ConflictError(_("Assign judges to the entries before opening the round."))


# --- rubric -----------------------------------------------------------------------------------


CRITERION_FIELDS = ("name_ar", "name_en", "guidance_ar", "guidance_en", "levels", "weight",
                    "min_score", "max_score", "step", "independent", "priority")


async def rubric_locked(round_: Round) -> bool:
    """The rubric locks once the first score of the round is saved."""
    return await ScoreSheet.filter(assignment__round_id=round_.id).exists()


async def _refuse_if_locked(round_: Round) -> None:
    if round_.state == RoundState.PUBLISHED or await rubric_locked(round_):
        raise ConflictError(_("The rubric is locked because scoring has started: its "
                              "criteria can no longer be changed."))


async def criteria_of(round_: Round) -> list[Criterion]:
    return await Criterion.filter(round=round_).order_by("position", "id")


async def save_criterion(actor: User, round_: Round, values: Mapping[str, Any],
                         criterion: Criterion | None = None) -> Criterion:
    await _refuse_if_locked(round_)
    async with in_transaction():
        before = {k: getattr(criterion, k) for k in CRITERION_FIELDS} if criterion else {}
        if criterion is None:
            criterion = await _new_criterion(round_, values)
        else:
            for key in CRITERION_FIELDS:
                setattr(criterion, key, values[key])
            await criterion.save()
        after = {k: getattr(criterion, k) for k in CRITERION_FIELDS}
        old, new = audit.changes(before, after)
        await audit.record(actor, "judging.criterion_saved", criterion,
                           scope=_scope_of(round_), before=old or None, after=new)
    return criterion


async def _new_criterion(round_: Round, values: Mapping[str, Any]) -> Criterion:
    keys = await Criterion.filter(round=round_).values_list("key", flat=True)
    numbers = [int(k[1:]) for k in keys if k[1:].isdigit()]
    number = max(numbers, default=0) + 1
    return await Criterion.create(round=round_, key=f"c{number}", position=number,
                                  **{k: values[k] for k in CRITERION_FIELDS})


async def delete_criterion(actor: User, round_: Round, criterion: Criterion) -> None:
    await _refuse_if_locked(round_)
    async with in_transaction():
        await audit.record(actor, "judging.criterion_deleted", criterion,
                           scope=_scope_of(round_),
                           before={k: getattr(criterion, k) for k in CRITERION_FIELDS})
        await criterion.delete()


def pure_criterion(criterion: Criterion) -> scoring.Criterion:
    return scoring.Criterion(criterion.key, criterion.weight, criterion.min_score,
                             criterion.max_score, criterion.step, criterion.independent,
                             criterion.priority)


# --- entries ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class EntriesRefreshed:
    added: int
    updated: int
    removed: int
    kept: int  # gone from the source but already scored, so kept


def _snapshot(source: str, candidate: Candidate) -> dict[str, Any]:
    return {
        "source": source,
        "title_ar": candidate.title_ar, "title_en": candidate.title_en,
        "group_key": candidate.group_key, "group_label_ar": candidate.group_label_ar,
        "group_label_en": candidate.group_label_en, "team_key": candidate.team_key,
        "team_label": candidate.team_label,
        "members": [asdict(member) for member in candidate.members],
        "organizations": list(candidate.organizations),
    }


_ENTRY_FIELDS = ("source", "title_ar", "title_en", "group_key", "group_label_ar", "group_label_en",
                 "team_key", "team_label", "members", "organizations")


def _entry_snapshot(entry: Entry) -> dict[str, Any]:
    return {k: getattr(entry, k) for k in _ENTRY_FIELDS}


async def _shortlisted(round_id: int | None) -> dict[int, dict[str, Any]]:
    rows = await Shortlist.filter(round_id=round_id).select_related("entry")
    return {row.entry.source_id: _entry_snapshot(row.entry) for row in rows}


async def _wanted_entries(round_: Round, source: EntrySource) -> dict[int, dict[str, Any]]:
    if round_.entry_rule == EntryRule.SHORTLIST_OF_PREVIOUS:
        return await _shortlisted(round_.previous_id)
    return {c.source_id: _snapshot(source.source, c)
            for c in await source.candidates(round_.scope_id)}


async def refresh_entries(actor: User | None, round_: Round,
                          source: EntrySource) -> EntriesRefreshed:
    """Bring the round's entries in line with the source (all submitted entries) or with the
    previous round's shortlist. An entry that left but already has a score sheet is kept."""
    if round_.effective_state(now()) in {RoundState.CLOSED, RoundState.PUBLISHED}:
        raise ConflictError(_("The entries of a closed round can no longer change."))
    wanted = await _wanted_entries(round_, source)
    async with in_transaction():
        result = await _sync_entries(round_, wanted)
        await audit.record(actor, "judging.entries_refreshed", round_, scope=_scope_of(round_),
                           after=asdict(result))
    await detect_conflicts(None, round_.scope_type, round_.scope_id)
    return result


async def _sync_entries(round_: Round, wanted: Mapping[int, dict[str, Any]]
                        ) -> EntriesRefreshed:
    existing = {e.source_id: e for e in await Entry.filter(round=round_)}
    added = updated = removed = kept = 0
    for source_id, values in wanted.items():
        entry = existing.get(source_id)
        if entry is None:
            await Entry.create(round=round_, source_id=source_id, **values)
            added += 1
        elif _entry_snapshot(entry) != values:
            await Entry.filter(id=entry.id).update(**values)
            updated += 1
    scored = set(await ScoreSheet.filter(assignment__round_id=round_.id)
                 .values_list("assignment__entry_id", flat=True))
    for source_id, entry in existing.items():
        if source_id in wanted:
            continue
        if entry.id in scored:
            kept += 1
        else:
            await entry.delete()
            removed += 1
    return EntriesRefreshed(added, updated, removed, kept)


async def entries_of(round_: Round) -> list[Entry]:
    return await Entry.filter(round=round_).order_by("id")


# --- judges -------------------------------------------------------------------------------------


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def judges_of(scope_type: str, scope_id: int) -> list[Judge]:
    return await Judge.filter(scope_type=scope_type, scope_id=scope_id).order_by("id")


async def judge_in_scope(scope_type: str, scope_id: int, judge_id: int) -> Judge:
    judge = await Judge.get_or_none(id=judge_id, scope_type=scope_type, scope_id=scope_id)
    if judge is None:
        raise NotFound(_("This judge does not exist."))
    return judge


async def invite_judge(actor: User, scope: ScopeInfo, links: Links, *, email: str,
                       name: str = "", language: str = "ar") -> Judge:
    """Invite someone to judge in this scope; inviting again sends a fresh link."""
    email = email.strip().lower()
    user = await User.get_or_none(email=email)
    language = user.language if user else language
    token = secrets.token_urlsafe(32)
    async with in_transaction():
        judge = await Judge.get_or_none(scope_type=scope.scope_type, scope_id=scope.scope_id,
                                        email=email)
        if judge is not None and judge.state == JudgeState.ACCEPTED:
            raise ConflictError(_("%(email)s is already a judge here.", email=email))
        if judge is None:
            judge = await Judge.create(scope_type=scope.scope_type, scope_id=scope.scope_id,
                                       email=email, name=name, language=language,
                                       token_hash=_token_hash(token))
        else:
            judge.state, judge.token_hash, judge.language = (
                JudgeState.INVITED, _token_hash(token), language)
            judge.name = name or judge.name
            await judge.save()
        await outbox.queue(email, "judging/invitation", language, scope=scope,
                           name=name or (user.display_name if user else ""),
                           url=links.url("judging:invitation", token=token))
        await audit.record(actor, "judging.judge_invited", judge, scope=_scope_of(judge),
                           after={"email": email})
    outbox.wake()
    return judge


async def judge_for_token(token: str) -> Judge:
    judge = await Judge.get_or_none(token_hash=_token_hash(token))
    if judge is None:
        raise NotFound(_("This invitation link is not valid. Ask the organizer for a new "
                         "one."))
    return judge


async def answer_invitation(user: User, judge: Judge, *, accept: bool) -> Judge:
    """Accept (which grants the judge role in the scope) or decline an invitation."""
    if user.email.lower() != judge.email.lower():
        raise Forbidden(_("This invitation was sent to %(email)s. Sign in with that address "
                          "to answer it.", email=judge.email))
    if judge.state != JudgeState.INVITED:
        raise ConflictError(_("This invitation has already been answered."))
    async with in_transaction():
        judge.state = JudgeState.ACCEPTED if accept else JudgeState.DECLINED
        judge.user_id = user.id
        judge.responded_at = now()
        await judge.save(update_fields=["state", "user_id", "responded_at"])
        if accept:
            await accounts_services.grant_role(user, user, ScopeType(judge.scope_type),
                                               judge.scope_id, Role.JUDGE)
        action = "judging.invitation_accepted" if accept else "judging.invitation_declined"
        await audit.record(user, action, judge, scope=_scope_of(judge),
                           after={"state": judge.state})
    if accept:
        await detect_conflicts(None, judge.scope_type, judge.scope_id)
    return judge


async def judge_seats(user: User) -> list[Judge]:
    return await Judge.filter(user_id=user.id, state=JudgeState.ACCEPTED).order_by("id")


async def seat_in_scope(user: User, scope_type: str, scope_id: int) -> Judge:
    judge = await Judge.get_or_none(user_id=user.id, scope_type=scope_type, scope_id=scope_id,
                                    state=JudgeState.ACCEPTED)
    if judge is None:
        raise NotFound(_("You are not a judge here."))
    return judge


# --- conflicts ----------------------------------------------------------------------------------


async def conflicts_of(scope_type: str, scope_id: int) -> list[Conflict]:
    return await Conflict.filter(scope_type=scope_type, scope_id=scope_id).select_related(
        "judge").order_by("judge_id", "id")


async def detect_conflicts(actor: User | None, scope_type: str, scope_id: int) -> int:
    """Record a conflict for each judge sharing an organization or a non-public e-mail domain
    with any member of any entry of the scope. A conflict an organizer lifted stays lifted."""
    judges = await Judge.filter(scope_type=scope_type, scope_id=scope_id,
                                state__in=[JudgeState.INVITED, JudgeState.ACCEPTED]
                                ).select_related("user")
    entries = await Entry.filter(round__scope_type=scope_type, round__scope_id=scope_id)
    organizations: set[str] = set()
    for entry in entries:
        organizations |= organizations_of(entry.members, entry.organizations)
    created = 0
    async with in_transaction():
        for judge in judges:
            for value in sorted(judge_markers(judge, judge.user) & organizations):
                conflict, new = await Conflict.get_or_create(
                    judge=judge, kind=ConflictKind.ORGANIZATION, value=value,
                    defaults={"scope_type": scope_type, "scope_id": scope_id, "label": value,
                              "origin": ConflictOrigin.DETECTED})
                if new:
                    created += 1
                    await audit.record(actor, "judging.conflict_detected", conflict,
                                       scope=(scope_type, scope_id),
                                       after={"judge": judge.email, "value": value})
    if created:
        await _drop_conflicted_assignments(actor, scope_type, scope_id)
    return created


async def _record_conflict(actor: User | None, judge: Judge, *, kind: ConflictKind, value: str,
                           label: str, reason: str, origin: ConflictOrigin) -> Conflict:
    async with in_transaction():
        conflict = await Conflict.get_or_none(judge=judge, kind=kind, value=value)
        if conflict is None:
            conflict = await Conflict.create(judge=judge, scope_type=judge.scope_type,
                                             scope_id=judge.scope_id, kind=kind, value=value,
                                             label=label, reason=reason, origin=origin)
        else:
            conflict.active, conflict.reason, conflict.origin = True, reason, origin
            await conflict.save(update_fields=["active", "reason", "origin"])
        action = ("judging.conflict_declared" if origin == ConflictOrigin.DECLARED
                  else "judging.conflict_added")
        await audit.record(actor, action, conflict, scope=_scope_of(judge),
                           after={"judge": judge.email, "kind": kind.value, "value": value,
                                  "reason": reason})
    await _drop_conflicted_assignments(actor, judge.scope_type, judge.scope_id)
    return conflict


async def declare_entry_conflict(user: User, entry_id: int, reason: str) -> Conflict:
    """A judge declares a conflict with an entry assigned to them."""
    seen = await scoring_for(user, entry_id, allow_conflicted=True)
    if not reason:
        raise Invalid({"reason": _("Say briefly why you have a conflict.")})
    return await _record_conflict(user, seen.judge, kind=ConflictKind.ENTRY,
                                  value=str(seen.entry.source_id),
                                  label=seen.entry.title_ar or seen.entry.title_en,
                                  reason=reason, origin=ConflictOrigin.DECLARED)


async def declare_conflict(user: User | None, judge: Judge, *, kind: ConflictKind, value: str,
                           reason: str, origin: ConflictOrigin) -> Conflict:
    """A judge (or an organizer, for a judge) names a team or an organization."""
    errors: dict[str, str] = {}
    if not reason:
        errors["reason"] = _("Say briefly why there is a conflict.")
    stored, label = value, value
    if kind == ConflictKind.TEAM:
        entry = await _team_named(judge.scope_type, judge.scope_id, value)
        if entry is None:
            errors["value"] = _("No team by this name takes part here.")
        else:
            stored, label = entry.team_key, entry.team_label
    elif kind == ConflictKind.ORGANIZATION:
        stored = normalize_org(value)
    elif kind == ConflictKind.ENTRY:
        entry = await _entry_in_scope(judge.scope_type, judge.scope_id, value)
        if entry is None:
            errors["value"] = _("Choose an entry of this competition.")
        else:
            label = entry.title_ar or entry.title_en
    if errors:
        raise Invalid(errors)
    return await _record_conflict(user, judge, kind=kind, value=stored, label=label,
                                  reason=reason, origin=origin)


async def _team_named(scope_type: str, scope_id: int, name: str) -> Entry | None:
    wanted = normalize_org(name)
    for entry in await Entry.filter(round__scope_type=scope_type, round__scope_id=scope_id):
        if entry.team_key and normalize_org(entry.team_label) == wanted:
            return entry
    return None


async def _entry_in_scope(scope_type: str, scope_id: int, value: str) -> Entry | None:
    if not value.isdigit():
        return None
    return await Entry.filter(round__scope_type=scope_type, round__scope_id=scope_id,
                              source_id=int(value)).first()


async def lift_conflict(actor: User, conflict: Conflict) -> Conflict:
    if not conflict.active:
        raise ConflictError(_("This conflict is already lifted."))
    async with in_transaction():
        conflict.active = False
        await conflict.save(update_fields=["active"])
        await audit.record(actor, "judging.conflict_lifted", conflict, scope=_scope_of(conflict),
                           before={"active": True}, after={"active": False})
    return conflict


async def conflict_in_scope(scope_type: str, scope_id: int, conflict_id: int) -> Conflict:
    found = await Conflict.get_or_none(id=conflict_id, scope_type=scope_type, scope_id=scope_id)
    if found is None:
        raise NotFound(_("This conflict does not exist."))
    return found


async def _drop_conflicted_assignments(actor: User | None, scope_type: str,
                                       scope_id: int) -> int:
    """A new conflict takes the entry off the judge's queue: assignments without a submitted
    score in rounds still running are removed, so the organizer can assign someone else."""
    rounds = await Round.filter(scope_type=scope_type, scope_id=scope_id,
                                state__in=[RoundState.DRAFT, RoundState.OPEN])
    conflicts = await active_conflicts(scope_type, scope_id)
    if not rounds or not conflicts:
        return 0
    rows = await Assignment.filter(round_id__in=[r.id for r in rounds],
                                   judge_id__in=list(conflicts)).select_related("entry")
    submitted = set(await ScoreSheet.filter(assignment_id__in=[a.id for a in rows],
                                            state=SheetState.SUBMITTED)
                    .values_list("assignment_id", flat=True))
    dropped = [a for a in rows if a.id not in submitted
               and conflicts[a.judge_id] & entry_markers(a.entry)]
    for row in dropped:
        await audit.record(actor, "judging.assignment_removed", row, scope=(scope_type, scope_id),
                           before={"entry": row.entry_id, "judge": row.judge_id,
                                   "why": "conflict"})
        await row.delete()
    return len(dropped)


# --- assignment ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class AssignOutcome:
    added: int
    unfilled: dict[int, int]  # entry id -> judges missing
    loads: dict[int, int]


def _refuse_if_over(round_: Round) -> None:
    if round_.effective_state(now()) in {RoundState.CLOSED, RoundState.PUBLISHED}:
        raise ConflictError(_("This round is closed: its assignments can no longer change."))


async def _pool(round_: Round) -> tuple[list[Entry], list[Judge], set[tuple[int, int]]]:
    entries = await entries_of(round_)
    judges = await Judge.filter(scope_type=round_.scope_type, scope_id=round_.scope_id,
                                state=JudgeState.ACCEPTED).order_by("id")
    conflicts = await active_conflicts(round_.scope_type, round_.scope_id)
    return entries, judges, conflicted_pairs(entries, [j.id for j in judges], conflicts)


async def auto_assign(actor: User, round_: Round) -> AssignOutcome:
    """Give every entry its k judges (keeping the assignments already made): no conflicted
    pair, loads within one, overlapping sets, and the same result for the same input (the
    seed is the round's id)."""
    _refuse_if_over(round_)
    entries, judges, blocked = await _pool(round_)
    if not entries:
        raise ConflictError(_("This round has no entries yet."))
    if not judges:
        raise ConflictError(_("No judge has accepted an invitation yet."))
    existing: dict[int, list[int]] = defaultdict(list)
    for entry_id, judge_id in await Assignment.filter(round=round_).values_list(
            "entry_id", "judge_id"):
        existing[entry_id].append(judge_id)
    result = assignment_algo.assign([e.id for e in entries], [j.id for j in judges],
                                    round_.judges_per_entry, blocked, seed=round_.id,
                                    existing=existing)
    new_pairs = [(e, j) for e, chosen in result.pairs.items() for j in chosen
                 if j not in existing.get(e, [])]
    async with in_transaction():
        await Assignment.bulk_create([Assignment(round_id=round_.id, entry_id=e, judge_id=j)
                                      for e, j in new_pairs])
        await audit.record(actor, "judging.assigned", round_, scope=_scope_of(round_),
                           after={"added": [list(p) for p in new_pairs],
                                  "unfilled": result.unfilled})
    return AssignOutcome(len(new_pairs), result.unfilled, result.loads)


async def add_assignment(actor: User, round_: Round, entry_id: int, judge_id: int) -> Assignment:
    _refuse_if_over(round_)
    entry = await Entry.get_or_none(id=entry_id, round=round_)
    judge = await Judge.get_or_none(id=judge_id, scope_type=round_.scope_type,
                                    scope_id=round_.scope_id, state=JudgeState.ACCEPTED)
    if entry is None or judge is None:
        raise Invalid({"entry_id": _("Choose an entry and a judge who has accepted.")})
    if await is_conflicted(judge.id, entry):
        raise ConflictError(_("%(judge)s has a conflict with this entry and cannot judge it.",
                              judge=judge.label))
    try:
        async with in_transaction():
            row = await Assignment.create(round=round_, entry=entry, judge=judge)
            await audit.record(actor, "judging.assignment_added", row, scope=_scope_of(round_),
                               after={"entry": entry.id, "judge": judge.email})
    except IntegrityError:
        raise ConflictError(_("%(judge)s already judges this entry.",
                              judge=judge.label)) from None
    return row


async def remove_assignment(actor: User, round_: Round, assignment_id: int) -> None:
    _refuse_if_over(round_)
    row = await Assignment.get_or_none(id=assignment_id, round=round_).select_related("judge")
    if row is None:
        raise NotFound(_("This assignment does not exist."))
    if await ScoreSheet.filter(assignment_id=row.id, state=SheetState.SUBMITTED).exists():
        raise ConflictError(_("%(judge)s has already submitted a score for this entry; it "
                              "cannot be taken away.", judge=row.judge.label))
    async with in_transaction():
        await audit.record(actor, "judging.assignment_removed", row, scope=_scope_of(round_),
                           before={"entry": row.entry_id, "judge": row.judge.email})
        await row.delete()


async def replace_judge(actor: User, round_: Round, judge: Judge) -> tuple[int, int]:
    """A judge dropped out: their entries without a submitted score go to other judges (the
    least loaded, never a conflicted one); nothing else moves. The judge is marked withdrawn.
    Returns (moved, left without a replacement)."""
    _refuse_if_over(round_)
    entries, judges, blocked = await _pool(round_)
    rows = await Assignment.filter(round=round_).values_list("id", "entry_id", "judge_id")
    submitted = set(await ScoreSheet.filter(assignment__round_id=round_.id,
                                            state=SheetState.SUBMITTED)
                    .values_list("assignment_id", flat=True))
    pairs: dict[int, list[int]] = {e.id: [] for e in entries}
    leaving: list[int] = []
    for row_id, entry_id, judge_id in rows:
        if judge_id == judge.id and row_id not in submitted:
            leaving.append(row_id)
        elif judge_id != judge.id:
            pairs[entry_id].append(judge_id)
    for row_id, entry_id, judge_id in rows:
        if row_id in leaving:
            pairs[entry_id].append(judge_id)
    others = [j.id for j in judges if j.id != judge.id]
    moved = assignment_algo.replace_judge(pairs, judge.id, others, blocked, seed=round_.id)
    return await _apply_replacement(actor, round_, judge, pairs, moved, leaving)


async def _apply_replacement(actor: User, round_: Round, judge: Judge,
                             before: Mapping[int, list[int]],
                             after: Mapping[int, tuple[int, ...]],
                             leaving: list[int]) -> tuple[int, int]:
    added = [(e, j) for e, chosen in after.items() for j in chosen if j not in before[e]]
    async with in_transaction():
        await Assignment.filter(id__in=leaving).delete()
        await Assignment.bulk_create([Assignment(round_id=round_.id, entry_id=e, judge_id=j)
                                      for e, j in added])
        judge.state = JudgeState.WITHDRAWN
        await judge.save(update_fields=["state"])
        await audit.record(actor, "judging.judge_replaced", judge, scope=_scope_of(round_),
                           before={"judge": judge.email, "assignments": len(leaving)},
                           after={"added": [list(p) for p in added]})
    return len(added), len(leaving) - len(added)


@dataclass
class JudgeProgress:
    judge: Judge
    assigned: int = 0
    drafts: int = 0
    submitted: int = 0


@dataclass
class EntryProgress:
    entry: Entry
    rows: list[tuple[Assignment, SheetState | None]] = field(default_factory=list)

    @property
    def submitted(self) -> int:
        return sum(1 for _row, state in self.rows if state == SheetState.SUBMITTED)


@dataclass
class Progress:
    judges: list[JudgeProgress]
    entries: list[EntryProgress]
    conflicted: set[tuple[int, int]]  # (judge, entry) pairs assigned but now conflicted

    @property
    def submitted(self) -> int:
        return sum(p.submitted for p in self.judges)

    @property
    def assigned(self) -> int:
        return sum(p.assigned for p in self.judges)


async def progress(round_: Round) -> Progress:
    """Per judge and per entry: assigned, drafts, submitted (a fixed number of queries)."""
    entries = await entries_of(round_)
    judges = await judges_of(round_.scope_type, round_.scope_id)
    rows = await Assignment.filter(round=round_).order_by("id")
    states = dict(await ScoreSheet.filter(assignment__round_id=round_.id)
                  .values_list("assignment_id", "state"))
    conflicts = await active_conflicts(round_.scope_type, round_.scope_id)
    by_judge = {j.id: JudgeProgress(j) for j in judges}
    by_entry = {e.id: EntryProgress(e) for e in entries}
    judge_names = {j.id: j for j in judges}
    for row in rows:
        row.judge = judge_names[row.judge_id]  # type: ignore[assignment]
        state = SheetState(states[row.id]) if row.id in states else None
        seat = by_judge[row.judge_id]
        seat.assigned += 1
        seat.drafts += state == SheetState.DRAFT
        seat.submitted += state == SheetState.SUBMITTED
        by_entry[row.entry_id].rows.append((row, state))
    shown = [p for p in by_judge.values() if p.assigned or p.judge.state == JudgeState.ACCEPTED]
    return Progress(shown, list(by_entry.values()),
                    conflicted_pairs(entries, list(by_judge), conflicts)
                    & {(r.judge_id, r.entry_id) for r in rows})


# --- the judge's side ---------------------------------------------------------------------------


def queue_order(judge_id: int, round_id: int, entry_id: int) -> str:
    """A judge's own random order of a round's entries, the same on every visit."""
    return hashlib.blake2b(f"{judge_id}:{round_id}:{entry_id}".encode(),
                           digest_size=8).hexdigest()


@dataclass
class QueueItem:
    entry: Entry
    sheet: ScoreSheet | None


@dataclass
class QueueRound:
    round: Round
    judge: Judge
    items: list[QueueItem]

    @property
    def done(self) -> int:
        return sum(1 for i in self.items if i.sheet and i.sheet.state == SheetState.SUBMITTED)


async def judge_queue(user: User) -> list[QueueRound]:
    """The user's assigned entries per round (started rounds only), conflicted ones left out,
    each round in the judge's own random order."""
    seats = {j.id: j for j in await judge_seats(user)}
    if not seats:
        return []
    rows = await Assignment.filter(
        judge_id__in=list(seats), round__state__not=RoundState.DRAFT
    ).select_related("entry", "round")
    sheets = {s.assignment_id: s for s in await ScoreSheet.filter(
        assignment_id__in=[r.id for r in rows])}
    conflicts: dict[tuple[str, int], dict[int, set[tuple[str, str]]]] = {}
    rounds: dict[int, QueueRound] = {}
    for row in rows:
        scope = _scope_of(row.round)
        if scope not in conflicts:
            conflicts[scope] = await active_conflicts(*scope)
        if conflicts[scope].get(row.judge_id, set()) & entry_markers(row.entry):
            continue
        item = rounds.setdefault(row.round_id, QueueRound(row.round, seats[row.judge_id], []))
        item.items.append(QueueItem(row.entry, sheets.get(row.id)))
    for queue in rounds.values():
        queue.items.sort(key=lambda i, q=queue: queue_order(q.judge.id, q.round.id, i.entry.id))
    return sorted(rounds.values(), key=lambda q: (q.round.ends_at is None, q.round.ends_at,
                                                  q.round.id))


@dataclass
class Scoring:
    """A judge's view of one entry."""

    round: Round
    entry: Entry
    judge: Judge
    assignment: Assignment
    sheet: ScoreSheet | None
    criteria: list[Criterion]
    conflicted: bool

    @property
    def submitted(self) -> bool:
        return self.sheet is not None and self.sheet.state == SheetState.SUBMITTED


async def scoring_for(user: User, entry_id: int, *, allow_conflicted: bool = False) -> Scoring:
    """The judge's assignment to this entry, or a 404 saying why it is not theirs."""
    row = await Assignment.get_or_none(
        entry_id=entry_id, judge__user_id=user.id, judge__state=JudgeState.ACCEPTED
    ).select_related("entry__round", "judge")
    if row is None or row.entry.round.state == RoundState.DRAFT:
        raise NotFound(_("This entry is not assigned to you."))
    entry = row.entry
    conflicted = await is_conflicted(row.judge_id, entry)
    if conflicted and not allow_conflicted:
        raise NotFound(_("You have a conflict of interest with this entry, so you cannot see "
                         "or score it."))
    sheet = await ScoreSheet.get_or_none(assignment_id=row.id)
    return Scoring(entry.round, entry, row.judge, row, sheet, await criteria_of(entry.round),
                   conflicted)


class StaleSheet(ConflictError):
    """Another tab or window saved this sheet first."""


def _score_errors(criteria: Sequence[Criterion], scores: Mapping[str, float | None],
                  submit: bool) -> dict[str, str]:
    errors: dict[str, str] = {}
    for criterion in criteria:
        value = scores.get(criterion.key)
        name = f"score_{criterion.key}"
        if value is None:
            if submit:
                errors[name] = _("Give a score for this criterion before submitting.")
            continue
        problem = scoring.validate_score(pure_criterion(criterion), value)
        if problem == "out_of_range":
            errors[name] = _("Enter a score from %(lo)s to %(hi)s.",
                             lo=_fmt(criterion.min_score), hi=_fmt(criterion.max_score))
        elif problem == "off_step":
            errors[name] = _("Scores for this criterion go in steps of %(step)s from %(lo)s.",
                             step=_fmt(criterion.step), lo=_fmt(criterion.min_score))
    return errors


def sheet_total(criteria: Sequence[Criterion], scores: Mapping[str, float]) -> float | None:
    """The weighted total (0..100) once every counted criterion has a score."""
    try:
        return scoring.weighted_total([pure_criterion(c) for c in criteria], scores)
    except ValueError:
        return None


async def save_sheet(user: User, seen: Scoring, *, scores: Mapping[str, float | None],
                     comment: str, note: str, version: int, submit: bool) -> ScoreSheet:
    """Save a draft or submit. ``version`` is the sheet version the form was built from: if
    someone saved in between (another tab), the save is refused and the newer sheet kept."""
    if not seen.round.accepts_scores(now()):
        raise ConflictError(_("This round is closed: scores can no longer be changed."))
    if (seen.sheet.version if seen.sheet else 0) != version:
        raise _stale()
    errors = _score_errors(seen.criteria, scores, submit)
    if errors:
        raise Invalid(errors)
    if seen.submitted and not submit:
        raise ConflictError(_("This score sheet is already submitted. Use “Submit changes” to "
                              "revise it."))
    kept = {k: v for k, v in scores.items() if v is not None}
    values = {"scores": kept, "total": sheet_total(seen.criteria, kept),
              "comment_for_team": comment, "note_for_organizers": note,
              "state": SheetState.SUBMITTED if submit else SheetState.DRAFT}
    if submit:
        values["submitted_at"] = now()
    before = _sheet_values(seen.sheet)
    try:
        async with in_transaction():
            sheet = await _write_sheet(seen, values, version)
            await audit.record(user, "judging.score_submitted" if submit else "judging.score_saved",
                               sheet, scope=_scope_of(seen.round), before=before,
                               after=_sheet_values(sheet))
    except IntegrityError:  # another tab created the sheet first
        raise _stale() from None
    return sheet


def _stale() -> StaleSheet:
    return StaleSheet(_("This score sheet was saved in another tab or window after you opened "
                        "it. Nothing was changed: the newer version is shown below. Check it "
                        "and save again if needed."))


def _sheet_values(sheet: ScoreSheet | None) -> dict[str, Any] | None:
    if sheet is None:
        return None
    return {"scores": sheet.scores, "total": sheet.total, "state": sheet.state,
            "version": sheet.version}


async def _write_sheet(seen: Scoring, values: dict[str, Any], version: int) -> ScoreSheet:
    if seen.sheet is None:
        if version != 0:
            raise _stale()
        return await ScoreSheet.create(assignment=seen.assignment, version=1, **values)
    sheet = seen.sheet
    values.update(version=version + 1, updated_at=now())
    updated = await ScoreSheet.filter(id=sheet.id, version=version).update(**values)
    if updated != 1:
        raise _stale()
    for key, value in values.items():
        setattr(sheet, key, value)
    return sheet


# --- results ------------------------------------------------------------------------------------


@dataclass
class JudgeScore:
    judge: Judge
    total: float | None
    state: SheetState | None
    conflicted: bool = False
    note: str = ""  # the judge's private note for organizers


@dataclass
class ResultRow:
    entry: Entry
    scores: list[JudgeScore]
    values: dict[str, float] = field(default_factory=dict)
    ranks: dict[str, int] = field(default_factory=dict)
    changes: dict[str, int] = field(default_factory=dict)  # > 0: better rank under that method
    spread: float = 0.0
    disagreement: bool = False
    tied: bool = False
    mark: Mark | None = None
    shortlisted: bool = False
    decision: int | None = None


@dataclass
class LeniencyRow:
    judge: Judge
    count: int
    mean: float
    leniency: float
    calibrated: bool  # has enough scores for the z-score method


@dataclass
class Results:
    round: Round
    criteria: list[Criterion]
    method: str
    methods: list[str]
    rows: list[ResultRow]  # ranked under the chosen method
    unscored: list[ResultRow]
    leniency: list[LeniencyRow]
    tie_groups: list[list[ResultRow]]
    groups: list[Entry]  # one entry per group, for its labels


@dataclass
class RoundData:
    """What results are computed from: submitted, non-conflicted sheets only."""

    round: Round
    criteria: list[Criterion]
    entries: list[Entry]
    judges: dict[int, Judge]
    assignments: list[Assignment]
    sheets: dict[int, ScoreSheet]  # by assignment id
    conflicted: set[tuple[int, int]]

    def counted(self) -> list[tuple[Assignment, ScoreSheet]]:
        return [(a, self.sheets[a.id]) for a in self.assignments
                if a.id in self.sheets and self.sheets[a.id].state == SheetState.SUBMITTED
                and self.sheets[a.id].total is not None
                and (a.judge_id, a.entry_id) not in self.conflicted]

    def scores(self) -> list[scoring.Score]:
        return [scoring.Score(a.entry_id, a.judge_id, float(s.total or 0.0))
                for a, s in self.counted()]

    def pure_sheets(self) -> list[scoring.Sheet]:
        return [scoring.Sheet(a.entry_id, a.judge_id, s.scores) for a, s in self.counted()]


async def round_data(round_: Round) -> RoundData:
    entries = await entries_of(round_)
    judges = {j.id: j for j in await judges_of(round_.scope_type, round_.scope_id)}
    rows = await Assignment.filter(round=round_).order_by("id")
    sheets = {s.assignment_id: s for s in await ScoreSheet.filter(
        assignment__round_id=round_.id)}
    conflicts = await active_conflicts(round_.scope_type, round_.scope_id)
    return RoundData(round_, await criteria_of(round_), entries, judges, rows, sheets,
                     conflicted_pairs(entries, list(judges), conflicts))


def combination_methods(round_: Round) -> dict[str, scoring.CombineMethod]:
    methods = dict(scoring.METHODS)
    methods[Method.ZSCORE.value] = partial(scoring.combine_zscore,
                                           min_scores_per_judge=round_.min_scores_for_zscore)
    return methods


def tiebreak_key(data: RoundData, decisions: Mapping[int, int]) -> scoring.TiebreakKey | None:
    """The configured chain: criteria in priority order, top-score count, recorded decision."""
    steps = set(data.round.tiebreak or [])
    if not steps:
        return None
    averages: dict[int, list[float]] = {}
    if TiebreakStep.CRITERIA in steps:
        pure = [pure_criterion(c) for c in data.criteria]
        averages = scoring.priority_averages(pure, scoring.criterion_averages(data.pure_sheets()))
    tops = scoring.top_score_counts(data.scores()) if TiebreakStep.TOP_SCORES in steps else {}
    chosen = ({e: DECISION_BASE - p for e, p in decisions.items()}
              if TiebreakStep.DECISION in steps else {})
    return scoring.tiebreak_chain(averages, tops, chosen)


def ranked(data: RoundData, decisions: Mapping[int, int],
           method: str | None = None) -> list[scoring.RankedEntry]:
    """The ranking under the round's method (or another one)."""
    combine = combination_methods(data.round)[method or data.round.method]
    return scoring.rank(combine(data.scores()), tiebreak_key(data, decisions))


async def _decisions(round_: Round) -> dict[int, int]:
    return dict(await TieDecision.filter(round=round_).values_list("entry_id", "position"))


async def round_results(round_: Round) -> Results:
    """Everything the organizer's results page shows, in a fixed number of queries."""
    data = await round_data(round_)
    decisions = await _decisions(round_)
    scores = data.scores()
    comparisons = scoring.compare_methods(scores, combination_methods(round_),
                                          tiebreak_key(data, decisions))
    chosen = comparisons[round_.method]
    rows = {e.id: ResultRow(e, _judge_scores(data, e.id)) for e in data.entries}
    _fill_rankings(rows, comparisons, round_.method)
    widths = scoring.spread(scores)
    for entry_id, width in widths.items():
        rows[entry_id].spread = width
        rows[entry_id].disagreement = width > round_.spread_threshold
    await _attach_decisions(round_, rows, decisions)
    ordered = [rows[r.entry_id] for r in chosen]
    return Results(round_, data.criteria, round_.method, list(comparisons), ordered,
                   [r for r in rows.values() if not r.ranks], _leniency(data, scores),
                   _tie_groups(chosen, rows), _groups(data.entries))


def _judge_scores(data: RoundData, entry_id: int) -> list[JudgeScore]:
    found = []
    for row in data.assignments:
        if row.entry_id == entry_id:
            sheet = data.sheets.get(row.id)
            found.append(JudgeScore(data.judges[row.judge_id], sheet.total if sheet else None,
                                    SheetState(sheet.state) if sheet else None,
                                    (row.judge_id, entry_id) in data.conflicted,
                                    sheet.note_for_organizers if sheet else ""))
    return found


def _fill_rankings(rows: dict[int, ResultRow],
                   comparisons: Mapping[str, list[scoring.RankedEntry]], chosen: str) -> None:
    for method, ranking in comparisons.items():
        for item in ranking:
            rows[item.entry_id].values[method] = item.value
            rows[item.entry_id].ranks[method] = item.rank
    for method, change in ((m, scoring.rank_changes(comparisons[chosen], comparisons[m]))
                           for m in comparisons):
        for entry_id, delta in change.items():
            rows[entry_id].changes[method] = delta


async def _attach_decisions(round_: Round, rows: dict[int, ResultRow],
                            decisions: Mapping[int, int]) -> None:
    for mark in await Mark.filter(round=round_):
        rows[mark.entry_id].mark = mark
    for entry_id in await Shortlist.filter(round=round_).values_list("entry_id", flat=True):
        rows[entry_id].shortlisted = True
    for entry_id, position in decisions.items():
        rows[entry_id].decision = position


def _tie_groups(chosen: Sequence[scoring.RankedEntry],
                rows: Mapping[int, ResultRow]) -> list[list[ResultRow]]:
    by_rank: dict[int, list[ResultRow]] = defaultdict(list)
    for item in chosen:
        by_rank[item.rank].append(rows[item.entry_id])
    groups = [group for group in by_rank.values() if len(group) > 1]
    for group in groups:
        for row in group:
            row.tied = True
    return groups


def _leniency(data: RoundData, scores: Sequence[scoring.Score]) -> list[LeniencyRow]:
    fit = scoring.fit_leniency(scores)
    totals: dict[int, list[float]] = defaultdict(list)
    for score in scores:
        totals[score.judge_id].append(score.total)
    return [LeniencyRow(data.judges[j], len(values), sum(values) / len(values),
                        fit.leniency.get(j, 0.0),
                        len(values) >= data.round.min_scores_for_zscore)
            for j, values in sorted(totals.items())]


def _groups(entries: Sequence[Entry]) -> list[Entry]:
    seen: dict[str, Entry] = {}
    for entry in entries:
        if entry.group_key:
            seen.setdefault(entry.group_key, entry)
    return sorted(seen.values(), key=lambda e: e.group_key)


def _refuse_unless_closed(round_: Round) -> None:
    state = round_.effective_state(now())
    if state == RoundState.PUBLISHED:
        raise ConflictError(_("The results of this round are already published: they can no "
                              "longer change."))
    if state != RoundState.CLOSED:
        raise ConflictError(_("Close the round first: results are decided once scoring is "
                              "over."))


async def set_method(actor: User, round_: Round, method: Method) -> Round:
    if round_.state == RoundState.PUBLISHED:
        raise ConflictError(_("The results of this round are already published: they can no "
                              "longer change."))
    async with in_transaction():
        before = round_.method
        round_.method = method
        await round_.save(update_fields=["method"])
        await audit.record(actor, "judging.method_set", round_, scope=_scope_of(round_),
                           before={"method": before}, after={"method": method.value})
    return round_


async def record_tie_decision(actor: User, round_: Round, positions: Mapping[int, int],
                              reason: str) -> None:
    """The organizer orders entries that are still tied (1 goes first)."""
    _refuse_unless_closed(round_)
    if TiebreakStep.DECISION not in (round_.tiebreak or []):
        raise ConflictError(_("This round's tie-break chain does not use organizer decisions."))
    entries = set(await Entry.filter(round=round_, id__in=list(positions))
                  .values_list("id", flat=True))
    if entries != set(positions) or len(set(positions.values())) != len(positions):
        raise Invalid({"positions": _("Give each tied entry a different position.")})
    async with in_transaction():
        for entry_id, position in positions.items():
            await TieDecision.update_or_create(round=round_, entry_id=entry_id,
                                               defaults={"position": position, "reason": reason})
        await audit.record(actor, "judging.tie_decided", round_, scope=_scope_of(round_),
                           after={"positions": {str(k): v for k, v in positions.items()},
                                  "reason": reason})


def _top(ranking: Sequence[scoring.RankedEntry], entries: Mapping[int, Entry], count: int,
         per_group: bool) -> list[scoring.RankedEntry]:
    """The first ``count`` places overall or in each group (entries tied on the last place
    all go through)."""
    if not per_group:
        return [r for r in ranking if r.rank <= _cutoff(ranking, count)]
    chosen: list[scoring.RankedEntry] = []
    by_group: dict[str, list[scoring.RankedEntry]] = defaultdict(list)
    for item in ranking:
        by_group[entries[item.entry_id].group_key].append(item)
    for items in by_group.values():
        positions = [scoring.RankedEntry(i.entry_id, i.value, _group_rank(items, n))
                     for n, i in enumerate(items)]
        chosen += [i for i, p in zip(items, positions, strict=True)
                   if p.rank <= _cutoff(positions, count)]
    return chosen


def _group_rank(items: Sequence[scoring.RankedEntry], index: int) -> int:
    first = next(n for n, i in enumerate(items) if i.rank == items[index].rank)
    return first + 1


def _cutoff(ranking: Sequence[scoring.RankedEntry], count: int) -> int:
    return ranking[count - 1].rank if 0 < count <= len(ranking) else (
        ranking[-1].rank if ranking else 0)


async def shortlist(actor: User, round_: Round, scope: ScopeInfo, links: Links, *, count: int,
                    per_group: bool) -> list[Entry]:
    """Promote the top ``count`` (overall or per group) into the next round(s) — those that
    take this round's shortlist — and mail the newly shortlisted entries' members."""
    _refuse_unless_closed(round_)
    following = await Round.filter(previous=round_, entry_rule=EntryRule.SHORTLIST_OF_PREVIOUS,
                                    state__in=[RoundState.DRAFT, RoundState.OPEN])
    if not following:
        raise ConflictError(_("Create the next round first, taking the shortlist of this "
                              "round as its entries."))
    data = await round_data(round_)
    entries = {e.id: e for e in data.entries}
    chosen = _top(ranked(data, await _decisions(round_)), entries, count, per_group)
    before = set(await Shortlist.filter(round=round_).values_list("entry_id", flat=True))
    async with in_transaction():
        await Shortlist.filter(round=round_).delete()
        await Shortlist.bulk_create([Shortlist(round_id=round_.id, entry_id=r.entry_id,
                                               rank=r.rank) for r in chosen])
        for item in chosen:
            if item.entry_id not in before:
                await _mail_members(entries[item.entry_id], "judging/shortlisted", scope=scope,
                                    round=following[0], url=links.absolute(scope.public_url))
        await audit.record(actor, "judging.shortlisted", round_, scope=_scope_of(round_),
                           before={"entries": sorted(before)},
                           after={"entries": [r.entry_id for r in chosen], "count": count,
                                  "per_group": per_group})
        wanted = await _shortlisted(round_.id)
        for nxt in following:
            await _sync_entries(nxt, wanted)
    outbox.wake()
    return [entries[r.entry_id] for r in chosen]


async def _mail_members(entry: Entry, template: str, **context: Any) -> None:
    seen: set[str] = set()
    for member in entry.members:
        email = str(member.get("email", "")).lower()
        if not email or email in seen:
            continue
        seen.add(email)
        await outbox.queue(email, template, str(member.get("language") or "ar"), entry=entry,
                           member_name=str(member.get("name", "")), **context)


async def set_mark(actor: User, round_: Round, entry_id: int, *, kind: MarkKind,
                   place: int | None, per_group: bool) -> Mark:
    """Mark a winner (first, second or third, overall or in the entry's group) or an
    honourable mention. A place already given is refused."""
    _refuse_unless_closed(round_)
    entry = await Entry.get_or_none(id=entry_id, round=round_)
    if entry is None:
        raise NotFound(_("This entry does not exist."))
    group = entry.group_key if per_group else ""
    if kind == MarkKind.WINNER:
        if place not in PLACES:
            raise Invalid({"place": _("Choose first, second or third place.")})
        slot = f"winner:{group}:{place}"
    else:
        place, group, slot = None, "", f"mention:{entry.id}"
    try:
        async with in_transaction():
            await Mark.filter(round=round_, entry=entry).delete()
            mark = await Mark.create(round=round_, entry=entry, kind=kind, place=place,
                                     group_key=group, slot=slot)
            await audit.record(actor, "judging.mark_set", mark, scope=_scope_of(round_),
                               after={"entry": entry.id, "kind": kind.value, "place": place,
                                      "group": group})
    except IntegrityError:
        raise ConflictError(_("That place is already given to another entry. Remove it "
                              "there first.")) from None
    return mark


async def remove_mark(actor: User, round_: Round, mark_id: int) -> None:
    _refuse_unless_closed(round_)
    mark = await Mark.get_or_none(id=mark_id, round=round_)
    if mark is None:
        raise NotFound(_("This mark does not exist."))
    async with in_transaction():
        await audit.record(actor, "judging.mark_removed", mark, scope=_scope_of(round_),
                           before={"entry": mark.entry_id, "kind": mark.kind,
                                   "place": mark.place})
        await mark.delete()


async def publish(actor: User, round_: Round, scope: ScopeInfo, links: Links, *,
                  at: Any = None) -> Round:
    """Publish the round's results now or at ``at``: the ranking is frozen, the public page
    appears from then on, and the announcement mail goes out at that moment."""
    _refuse_unless_closed(round_)
    moment = max(at or now(), now())
    data = await round_data(round_)
    ranking = ranked(data, await _decisions(round_))
    async with in_transaction():
        updated = await Round.filter(id=round_.id).exclude(state=RoundState.PUBLISHED).update(
            state=RoundState.PUBLISHED, publish_at=moment, published_at=now(),
            snapshot={"method": round_.method,
                      "ranking": [[r.entry_id, r.rank, r.value] for r in ranking]})
        if updated != 1:
            raise ConflictError(_("The results of this round are already published."))
        await _queue_announcement(data.entries, scope, links, moment)
        await audit.record(actor, "judging.results_published", round_, scope=_scope_of(round_),
                           after={"publish_at": moment.isoformat(), "method": round_.method})
    outbox.wake()
    await round_.refresh_from_db()
    return round_


async def _queue_announcement(entries: Sequence[Entry], scope: ScopeInfo, links: Links,
                              moment: Any) -> None:
    from core.mail.models import OutboxMessage

    results_url = links.url("judging:public_results", scope_type=scope.scope_type,
                            scope_id=scope.scope_id)
    ids: list[int] = []
    seen: set[str] = set()
    for entry in entries:
        feedback_url = links.url("judging:feedback", scope_type=scope.scope_type,
                                 scope_id=scope.scope_id, source_id=entry.source_id)
        for member in entry.members:
            email = str(member.get("email", "")).lower()
            if email and email not in seen:
                seen.add(email)
                message = await outbox.queue(
                    email, "judging/results_published", str(member.get("language") or "ar"),
                    scope=scope, entry=entry, member_name=str(member.get("name", "")),
                    results_url=results_url, feedback_url=feedback_url)
                ids.append(message.id)
    # Mail for a scheduled publication waits in the outbox until the results are public.
    await OutboxMessage.filter(id__in=ids).update(next_attempt_at=moment)


def export_csv(data: RoundData) -> str:
    """Every score sheet of the round, UTF-8 with a BOM so Excel reads the Arabic."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([_("Entry"), _("Group"), _("Judge"), _("E-mail"), _("State"),
                     *[localized(c, "name") for c in data.criteria], _("Weighted total"),
                     _("Comment for the team"), _("Note for organizers"), _("Submitted at")])
    entries = {e.id: e for e in data.entries}
    for row in data.assignments:
        sheet = data.sheets.get(row.id)
        if sheet is None:
            continue
        entry, judge = entries[row.entry_id], data.judges[row.judge_id]
        writer.writerow([
            localized(entry, "title"), localized(entry, "group_label") or entry.group_key,
            judge.label, judge.email, _state_label(sheet.state),
            *[_fmt(sheet.scores[c.key]) if c.key in sheet.scores else "" for c in data.criteria],
            f"{sheet.total:.2f}" if sheet.total is not None else "",
            sheet.comment_for_team, sheet.note_for_organizers,
            sheet.submitted_at.isoformat() if sheet.submitted_at else "",
        ])
    return "\ufeff" + buffer.getvalue()


def _state_label(state: str) -> str:
    return _("Submitted") if state == SheetState.SUBMITTED else _("Draft")


# --- what the public and the teams read ---------------------------------------------------------


@dataclass(frozen=True)
class Placing:
    entry: Entry
    rank: int
    score: float
    place: int | None = None


@dataclass
class GroupWinners:
    entry: Entry  # any entry of the group, for its labels
    winners: list[Placing]


@dataclass
class PublishedRound:
    round: Round
    overall: list[Placing]
    groups: list[GroupWinners]
    mentions: list[Placing]
    ranking: list[Placing]
    gallery: list[Entry]


@dataclass
class PublishedResults:
    scope_type: str
    scope_id: int
    rounds: list[PublishedRound]

    def results_public(self, at: Any) -> bool:
        return bool(self.rounds)


async def published_results(scope_type: str, scope_id: int) -> PublishedResults | None:
    """The scope's published results (latest round first), or None before publication."""
    at = now()
    rounds = [r for r in await Round.filter(scope_type=scope_type, scope_id=scope_id,
                                            state=RoundState.PUBLISHED).order_by("-publish_at")
              if r.results_public(at)]
    if not rounds:
        return None
    built = [await _published_round(r, ranking_of(r)) for r in rounds]
    return PublishedResults(scope_type, scope_id, built)


def ranking_of(round_: Round) -> list[tuple[int, int, float]]:
    return [(int(e), int(r), float(v)) for e, r, v in (round_.snapshot or {}).get("ranking", [])]


async def preview_results(round_: Round) -> PublishedRound:
    """What the public page will show, before publication (organizers only)."""
    data = await round_data(round_)
    ranking = ranked(data, await _decisions(round_))
    return await _published_round(round_, [(r.entry_id, r.rank, r.value) for r in ranking])


async def _published_round(round_: Round, ranking: Sequence[tuple[int, int, float]]
                           ) -> PublishedRound:
    entries = {e.id: e for e in await Entry.filter(round=round_)}
    placings = {e: Placing(entries[e], r, v) for e, r, v in ranking if e in entries}
    overall: list[Placing] = []
    mentions: list[Placing] = []
    groups: dict[str, GroupWinners] = {}
    for mark in await Mark.filter(round=round_).order_by("place", "id"):
        entry = entries[mark.entry_id]
        base = placings.get(mark.entry_id) or Placing(entry, 0, 0.0)
        placing = Placing(entry, base.rank, base.score, mark.place)
        if mark.kind == MarkKind.HONOURABLE_MENTION:
            mentions.append(placing)
        elif mark.group_key:
            groups.setdefault(mark.group_key, GroupWinners(entry, [])).winners.append(placing)
        else:
            overall.append(placing)
    gallery = list(entries.values()) if round_.gallery else []
    return PublishedRound(round_, overall, [groups[k] for k in sorted(groups)], mentions,
                          [placings[e] for e, _r, _v in ranking if e in placings], gallery)


@dataclass
class CriterionFeedback:
    criterion: Criterion
    average: float | None


@dataclass
class RoundFeedback:
    round: Round
    entry: Entry
    criteria: list[CriterionFeedback]
    comments: list[str]


@dataclass
class Feedback:
    source: str
    source_id: int
    scope_type: str
    scope_id: int
    member_emails: set[str]
    rounds: list[RoundFeedback]


async def feedback_for(source: str, source_id: int) -> Feedback | None:
    """A team's feedback from every published round: per-criterion averages and the judges'
    comments for the team, never who wrote them. None before publication."""
    at = now()
    entries = [e for e in await Entry.filter(source=source, source_id=source_id)
               .select_related("round").order_by("round_id") if e.round.results_public(at)]
    if not entries:
        return None
    rounds = [await _round_feedback(entry) for entry in entries]
    first = entries[0]
    emails = set().union(*(e.member_emails for e in entries))
    return Feedback(source, source_id, first.round.scope_type, first.round.scope_id, emails,
                    rounds)


async def _round_feedback(entry: Entry) -> RoundFeedback:
    criteria = await criteria_of(entry.round)
    sheets = await ScoreSheet.filter(assignment__entry_id=entry.id,
                                     state=SheetState.SUBMITTED).select_related("assignment")
    conflicts = await active_conflicts(entry.round.scope_type, entry.round.scope_id)
    markers = entry_markers(entry)
    counted = [s for s in sheets if not conflicts.get(s.assignment.judge_id, set()) & markers]
    averages = scoring.criterion_averages(
        [scoring.Sheet(entry.id, s.assignment.judge_id, s.scores) for s in counted]
    ).get(entry.id, {})
    # Comments in an order that says nothing about which judge wrote which.
    comments = sorted((s.comment_for_team for s in counted if s.comment_for_team.strip()),
                      key=lambda text: hashlib.blake2b(text.encode(), digest_size=8).digest())
    return RoundFeedback(entry.round, entry,
                         [CriterionFeedback(c, averages.get(c.key)) for c in criteria], comments)
