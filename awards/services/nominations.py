"""Nominate: save a draft, edit it until the deadline, submit it.

A submit checks the category's rules (self-nomination, the work's publication window, the
evidence it asks for, the nominator's limit) and records a version with a SHA-256 fingerprint
that the receipt mail carries. A nomination of someone else asks the nominee to accept.

Duplicates and races are settled by the database: a first submit claims the nominee's e-mail
and the work's canonical URLs in the category (`NomineeClaim`). When another nomination holds a
claim already, this one is folded into it and its nominator credited there, so two people
nominating the same nominee at the same moment end with one nomination crediting both; the
same person submitting twice ends with the one nomination they already have.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.expressions import F
from tortoise.transactions import in_transaction

from accounts.models import Someone
from awards.enums import EvidenceField, NominationState, Relation
from awards.models import (
    Category,
    Cycle,
    Nomination,
    NominationCredit,
    NominationFile,
    NominationVersion,
    NominatorTally,
    NomineeClaim,
)
from awards.services import acceptance, duplicates, questions
from awards.services.common import Links, cycle_name, mail_name, require_nominations_open
from core.clock import now
from core.errors import Conflict, Forbidden, Invalid, NotFound
from core.i18n import format_date, localized, use_locale
from core.i18n import gettext as _
from core.mail import outbox
from core.settings import Settings
from core.storage import StoredFile, delete_file, upload_dir

TEXT_FIELDS = (
    "nominee_name_ar",
    "nominee_name_en",
    "nominee_email",
    "nominee_organization",
    "nominee_language",
    "work_title",
    "work_outlet",
    "statement",
)
OPEN_STATES = (NominationState.DRAFT, NominationState.AWAITING_NOMINEE, NominationState.SUBMITTED)


@dataclass(frozen=True)
class NominationInput:
    """What a nominator writes. For a self-nomination the nominee is the nominator."""

    self_nomination: bool = False
    relation: Relation = Relation.OTHER
    nominee_name_ar: str = ""
    nominee_name_en: str = ""
    nominee_email: str = ""
    nominee_organization: str = ""
    nominee_language: str = "ar"
    work_title: str = ""
    work_outlet: str = ""
    work_published_on: dt.date | None = None
    work_links: tuple[str, ...] = ()
    statement: str = ""
    # the answers to the category's questions, by question id (core.answers.parse)
    answers: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Saved:
    nomination: Nomination
    version: NominationVersion | None = None  # the new version when a submit changed something
    merged_into: Nomination | None = None  # the nomination this one was folded into
    unchanged: bool = False  # a submit identical to what was already submitted


# --- checks (pure: they read what is given and raise before anything is written) ----------


def _own_values(user: Someone, values: NominationInput) -> dict[str, Any]:
    data = {name: getattr(values, name).strip() for name in TEXT_FIELDS}
    data["nominee_email"] = duplicates.canonical_email(data["nominee_email"])
    data["work_links"] = [link.strip() for link in values.work_links if link.strip()]
    data["work_published_on"] = values.work_published_on
    data["answers"] = dict(values.answers)
    is_self = values.self_nomination or data["nominee_email"] == duplicates.canonical_email(
        user.email
    )
    data["self_nomination"] = is_self
    data["relation"] = Relation.SELF if is_self else values.relation
    if is_self:
        data["nominee_email"] = duplicates.canonical_email(user.email)
        data["nominee_name_ar"] = data["nominee_name_ar"] or user.name_ar
        data["nominee_name_en"] = data["nominee_name_en"] or user.name_en
        data["nominee_language"] = user.language
    if data["nominee_language"] not in ("ar", "en"):
        data["nominee_language"] = "ar"
    return data


def _check_author(user: Someone) -> None:
    if user.email_verified_at is None:
        raise Forbidden(_("Verify your e-mail address before you nominate."))


def _check_self(category: Category, data: dict[str, Any]) -> None:
    if data["self_nomination"] and not category.self_nomination:
        raise Invalid(
            {
                "self_nomination": _(
                    "This category does not accept self-nominations. Nothing was saved."
                )
            }
        )


def _check_links(data: dict[str, Any]) -> None:
    for link in data["work_links"]:
        if not link.startswith(("https://", "http://")) or len(link) > 1000:
            raise Invalid(
                {"work_links": _("Each link must be a web address starting with https://.")}
            )


def _check_nominee(data: dict[str, Any]) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not (data["nominee_name_ar"] or data["nominee_name_en"]):
        errors["nominee_name_ar"] = _("Give the nominee's name in Arabic or in English.")
    email = data["nominee_email"]
    local, _at, domain = email.partition("@")
    if not (local and "." in domain) or " " in email:
        errors["nominee_email"] = _("Give the nominee's e-mail address, so they can accept.")
    return errors


def _check_window(category: Category, cycle: Cycle, data: dict[str, Any]) -> dict[str, str]:
    start, end, day = category.published_from, category.published_until, data["work_published_on"]
    if start is None and end is None:
        return {}
    if day is None:
        return {"work_published_on": _("Give the date the work was published.")}
    if (start and day < start) or (end and day > end):
        return {
            "work_published_on": _(
                "This category accepts works published from %(start)s to %(end)s; this work is "
                "dated %(day)s. Nothing was saved.",
                start=format_date(start) if start else "…",
                end=format_date(end) if end else "…",
                day=format_date(day),
            )
        }
    return {}


def _check_evidence(category: Category, data: dict[str, Any], files: int) -> dict[str, str]:
    errors: dict[str, str] = {}
    for name in category.required_fields or []:
        if name in EvidenceField.__members__.values() and not data.get(name):
            errors[name] = _("This category requires this field.")
    if len(data["work_links"]) < category.min_links:
        errors["work_links"] = _(
            "This category asks for at least %(n)s links to the work.", n=category.min_links
        )
    if files < category.min_files:
        errors["files"] = _(
            "This category asks for at least %(n)s files; this nomination has %(have)s.",
            n=category.min_files,
            have=files,
        )
    return errors


def _check_files(category: Category, present: int, files: Sequence[StoredFile]) -> None:
    if present + len(files) > category.max_files:
        raise Invalid(
            {"files": _("This category accepts at most %(n)s files.", n=category.max_files)}
        )
    kinds = set(category.file_kinds or [])
    for stored in files:
        if kinds and stored.kind not in kinds:
            raise Invalid(
                {
                    "files": _(
                        "%(name)s is not a file type this category accepts (%(kinds)s).",
                        name=stored.original_name,
                        kinds=", ".join(sorted(kinds)),
                    )
                }
            )


def snapshot(data: dict[str, Any], files: Sequence[StoredFile]) -> dict[str, Any]:
    day = data.get("work_published_on")
    return {
        **{name: data.get(name, "") for name in TEXT_FIELDS},
        "self_nomination": data["self_nomination"],
        "relation": str(data["relation"]),
        "work_published_on": day.isoformat() if day else "",
        "work_links": list(data["work_links"]),
        "files": sorted(({"name": f.original_name, "sha256": f.sha256} for f in files), key=str),
        # only when there are answers, so a nomination without questions keeps its fingerprint
        **({"answers": dict(data["answers"])} if data.get("answers") else {}),
    }


def fingerprint(snap: dict[str, Any]) -> str:
    text = json.dumps(snap, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# --- the use case --------------------------------------------------------------------------


async def save_nomination(
    settings: Settings,
    user: Someone,
    category: Category,
    values: NominationInput,
    *,
    nomination: Nomination | None = None,
    files: Sequence[StoredFile] = (),
    form_key: str | None = None,
    submit: bool = False,
) -> Saved:
    """Save `nomination` (or a new one) as the nominator's draft and, when `submit`, submit it.
    `form_key` (one per form shown) makes a repeated "save" of a new nomination land on the
    draft the first one created."""
    _check_author(user)
    cycle = await Cycle.get(id=category.cycle_id)
    require_nominations_open(cycle, now())
    if nomination is not None:
        _check_editable(user, category, nomination)
    data = _own_values(user, values)
    _check_self(category, data)
    _check_links(data)
    present = await NominationFile.filter(nomination_id=nomination.id).count() if nomination else 0
    _check_files(category, present, files)
    if submit:
        errors = {**_check_nominee(data), **_check_window(category, cycle, data)}
        errors.update(_check_evidence(category, data, present + len(files)))
        errors.update(questions.missing(await questions.of_category(category), data["answers"]))
        if errors:
            raise Invalid(errors)
    for attempt in (1, 2):
        try:
            saved = await _save(settings, user, category, data, nomination, files, form_key, submit)
        except IntegrityError as exc:
            # Another request claimed this nominee (or created this draft) a moment ago; the
            # second try sees its row and merges into it.
            if attempt == 2:
                raise Conflict(
                    _("Someone saved this nomination at the same moment. Try again.")
                ) from exc
            continue
        await _drop_unattached(settings, files)
        outbox.wake()
        return saved
    raise AssertionError("unreachable")  # pragma: no cover


async def _drop_unattached(settings: Settings, files: Sequence[StoredFile]) -> None:
    """Files the save did not attach (a double-click sends the same file twice, or the submit
    joined a nomination the nominator already backs) are removed, not left behind."""
    if not files:
        return
    attached = set(
        await NominationFile.filter(file_id__in=[f.id for f in files]).values_list(
            "file_id", flat=True
        )
    )
    directory = upload_dir(settings)
    for stored in files:
        if stored.id not in attached:
            await delete_file(directory, stored)


def _check_editable(user: Someone, category: Category, nomination: Nomination) -> None:
    if nomination.created_by_id != user.id or nomination.category_id != category.id:
        raise NotFound(_("This nomination does not exist or is not yours."))
    if nomination.state not in OPEN_STATES:
        raise Conflict(_("This nomination can no longer be changed."))


async def _save(
    settings: Settings,
    user: Someone,
    category: Category,
    data: dict[str, Any],
    nomination: Nomination | None,
    files: Sequence[StoredFile],
    form_key: str | None,
    submit: bool,
) -> Saved:
    async with in_transaction():
        cycle = await Cycle.get(id=category.cycle_id)  # an extension decided a moment ago
        require_nominations_open(cycle, now())
        row = await _working_copy(user, category, nomination, form_key)
        if submit and (row is None or row.state == NominationState.DRAFT):
            holder = await _claim_holder(category, data)
            if holder is not None and (row is None or holder.id != row.id):
                if await NominationCredit.filter(nomination_id=holder.id, user_id=user.id).exists():
                    return Saved(holder, unchanged=True)  # the same nominator, once more
        else:
            holder = None
        row = row or await Nomination.create(
            cycle_id=cycle.id, category=category, created_by_id=user.id, form_key=form_key, **data
        )
        _apply(row, data)
        await row.save()
        # A file the nomination already holds (the same name and content) is not attached
        # again: a double-click sends the same files twice.
        attached = {
            (f.file.original_name, f.file.sha256)
            for f in await NominationFile.filter(nomination_id=row.id).select_related("file")
        }
        for stored in files:
            if (stored.original_name, stored.sha256) in attached:
                continue
            attached.add((stored.original_name, stored.sha256))
            await NominationFile.create(nomination=row, file=stored)
        if not submit:
            return Saved(row)
        return await _submit(settings, user, cycle, category, row, holder)


async def _working_copy(
    user: Someone, category: Category, nomination: Nomination | None, form_key: str | None
) -> Nomination | None:
    if nomination is not None:
        row = await Nomination.select_for_update().get(id=nomination.id)
        if row.state not in OPEN_STATES:
            raise Conflict(_("This nomination can no longer be changed."))
        return row
    if form_key:
        return (
            await Nomination.select_for_update()
            .filter(created_by_id=user.id, form_key=form_key, category_id=category.id)
            .first()
        )
    return None


def _apply(row: Nomination, data: dict[str, Any]) -> None:
    for name, value in data.items():
        setattr(row, name, value)


async def _claim_holder(category: Category, data: dict[str, Any]) -> Nomination | None:
    probe = Nomination(nominee_email=data["nominee_email"], work_links=data["work_links"])
    keys = duplicates.claim_keys(probe)
    claim = (
        await NomineeClaim.filter(category_id=category.id, key__in=keys)
        .order_by("id")
        .select_related("nomination")
        .first()
    )
    return claim.nomination if claim else None


async def _submit(
    settings: Settings,
    user: Someone,
    cycle: Cycle,
    category: Category,
    row: Nomination,
    holder: Nomination | None,
) -> Saved:
    first = row.state == NominationState.DRAFT
    files = [
        f.file for f in await NominationFile.filter(nomination_id=row.id).select_related("file")
    ]
    snap = snapshot(
        {
            n: getattr(row, n)
            for n in (
                *TEXT_FIELDS,
                "self_nomination",
                "relation",
                "work_published_on",
                "work_links",
                "answers",
            )
        },
        files,
    )
    digest = fingerprint(snap)
    if not first and digest == row.fingerprint:
        return Saved(row, unchanged=True)
    if first and holder is None:
        # Claim before counting: a second request for the same nominee then fails on the
        # claim (and merges on its retry) rather than on a limit the first one just used.
        await _claim(row)
    if first:
        await _count_towards_limit(category, user)
        await duplicates.credit(row, user.id, row.relation, None)
    version = await _new_version(user, row, snap, digest)
    links = Links(settings.base_url)
    if first and holder is not None:
        enter_race_state(row)  # the state an undone merge gives back
        await row.save()
        await duplicates.fold(None, holder, row, _merge_reason(row, holder))
        await _queue_receipt(links, user, cycle, category, row, version, merged=True)
        return Saved(row, version, merged_into=holder)
    if first:
        enter_race_state(row)
    await row.save()
    await _queue_receipt(links, user, cycle, category, row, version, merged=False)
    if first and not row.self_nomination:
        await acceptance.queue_invitation(settings, links, user, cycle, category, row)
    return Saved(row, version)


def _merge_reason(row: Nomination, holder: Nomination) -> Any:
    mine = set(duplicates.claim_keys(row))
    shared = [k for k in duplicates.claim_keys(holder) if k in mine]
    return duplicates.reason_of(shared[0] if shared else "url:")


async def _count_towards_limit(category: Category, user: Someone) -> None:
    tally, _created = await NominatorTally.get_or_create(category_id=category.id, user_id=user.id)
    counted = await NominatorTally.filter(id=tally.id, count__lt=category.max_per_nominator).update(
        count=F("count") + 1
    )
    if not counted:
        raise Invalid(
            {
                "category": _(
                    "You have made %(n)s nominations in this category, the most it allows. "
                    "Nothing was saved.",
                    n=category.max_per_nominator,
                )
            }
        )


async def _new_version(
    user: Someone, row: Nomination, snap: dict[str, Any], digest: str
) -> NominationVersion:
    version = await NominationVersion.create(
        nomination=row,
        number=row.version_count + 1,
        snapshot=snap,
        fingerprint=digest,
        author_id=user.id,
        created_at=now(),
    )
    row.version_count, row.fingerprint = version.number, digest
    row.submitted_at = row.submitted_at or version.created_at
    await row.save(update_fields=["version_count", "fingerprint", "submitted_at", "updated_at"])
    return version


async def _claim(row: Nomination) -> None:
    """Claim the nominee and the work in the category (an IntegrityError here means another
    nomination claimed them a moment ago: the caller tries again and merges)."""
    for key in duplicates.claim_keys(row):
        await NomineeClaim.create(category_id=row.category_id, key=key, nomination_id=row.id)


def enter_race_state(row: Nomination) -> None:
    """A submitted nomination waits on its nominee, unless it is a self-nomination."""
    if row.self_nomination:
        row.state, row.accepted_at = NominationState.SUBMITTED, now()
        row.nominee_user_id = row.created_by_id
    else:
        row.state = NominationState.AWAITING_NOMINEE
        row.acceptance_nonce = secrets.token_hex(8)


async def _queue_receipt(
    links: Links,
    user: Someone,
    cycle: Cycle,
    category: Category,
    row: Nomination,
    version: NominationVersion,
    *,
    merged: bool,
) -> None:
    lang = user.language
    with use_locale(lang):
        nominee = localized(row, "nominee_name", lang)
    await outbox.queue(
        user.email,
        "awards/nomination_receipt",
        lang,
        name=mail_name(user),
        cycle_name=cycle_name(cycle, lang),
        category_name=localized(category, "name", lang),
        nominee=nominee,
        work_title=row.work_title,
        number=version.number,
        submitted_at=version.created_at,
        time_zone=cycle.time_zone,
        fingerprint=version.fingerprint,
        merged=merged,
        awaiting=row.state == NominationState.AWAITING_NOMINEE,
        url=links.build(links.nomination, id=row.merged_into_id or row.id),
    )


# --- reading -------------------------------------------------------------------------------


async def my_nominations(user: Someone, cycle: Cycle | None = None) -> list[Nomination]:
    """Every nomination crediting `user` (the ones merged into another show that one), with
    their category and rulings loaded."""
    query = Nomination.filter(credits__user_id=user.id).exclude(state=NominationState.MERGED)
    if cycle is not None:
        query = query.filter(cycle_id=cycle.id)
    return list(
        await query.distinct().order_by("-id").prefetch_related("category", "rulings__reason")
    )
