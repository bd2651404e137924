from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Protocol

from tortoise import fields
from tortoise.models import Model

from core.i18n import get_locale


@dataclass(frozen=True)
class NamedPerson:
    """A person read as plain values (no model per row) for a page that names them."""

    name_ar: str
    name_en: str
    email: str

    @property
    def display_name(self) -> str:
        return display_name(self.name_ar, self.name_en, self.email)


Roles = frozenset[tuple[str, int, str]]
"""The roles a person holds: (scope type, scope id, role), as Membership rows say."""


class PersonReadings:
    """What a page reads of a person beyond their columns, the same for a User row and the
    signed-in SignedIn (the class using it has name_ar, name_en, email, email_verified_at)."""

    name_ar: str
    name_en: str
    email: str
    email_verified_at: dt.datetime | None

    @property
    def display_name(self) -> str:
        return display_name(self.name_ar, self.name_en, self.email)

    @property
    def email_domain(self) -> str:
        return email_domain(self.email)

    @property
    def verified(self) -> bool:
        return self.email_verified_at is not None


@dataclass(frozen=True)
class SignedIn(PersonReadings):
    """The signed-in person, as accounts.auth reads them on every signed-in request: plain
    values, with their roles, and the same read-only properties as User. Nothing can change
    it: a use case that changes the person loads and saves their User row by `id`, and the
    next request reads the new row."""

    id: int
    email: str
    name_ar: str
    name_en: str
    organization: str
    job_title: str
    phone: str
    language: str
    is_admin: bool
    email_verified_at: dt.datetime | None
    session_version: int
    roles: Roles = frozenset()


class Someone(Protocol):
    """What the use cases read of the person acting (or acted for): the signed-in person
    (SignedIn) or a User row (the demo's and the tests' people, an account found by e-mail).
    Read-only: a use case writes a person by id (`user_id=person.id`), never through this."""

    @property
    def id(self) -> int: ...
    @property
    def email(self) -> str: ...
    @property
    def name_ar(self) -> str: ...
    @property
    def name_en(self) -> str: ...
    @property
    def organization(self) -> str: ...
    @property
    def language(self) -> str: ...
    @property
    def is_admin(self) -> bool: ...
    @property
    def email_verified_at(self) -> dt.datetime | None: ...
    @property
    def roles(self) -> Roles: ...
    @property
    def display_name(self) -> str: ...
    @property
    def email_domain(self) -> str: ...
    @property
    def verified(self) -> bool: ...


def display_name(name_ar: str, name_en: str, email: str) -> str:
    """How a person is named on a page: their name in the page's language, else in the other,
    else their e-mail's local part (User.display_name, and the pages that read people as plain
    values)."""
    first, second = (name_ar, name_en) if get_locale() == "ar" else (name_en, name_ar)
    return first or second or email.split("@", 1)[0]


def email_domain(email: str) -> str:
    return email.rsplit("@", 1)[-1].lower()


class User(Model, PersonReadings):
    id = fields.IntField(primary_key=True)
    email = fields.CharField(max_length=254, unique=True)
    password_hash = fields.CharField(max_length=255)
    name_ar = fields.CharField(max_length=200, default="")
    name_en = fields.CharField(max_length=200, default="")
    organization = fields.CharField(max_length=200, default="")
    job_title = fields.CharField(max_length=200, default="")
    phone = fields.CharField(max_length=40, default="")
    language = fields.CharField(max_length=5, default="ar")
    is_admin = fields.BooleanField(default=False)
    is_active = fields.BooleanField(default=True)
    email_verified_at = fields.DatetimeField(null=True)
    session_version = fields.IntField(default=1)
    created_at = fields.DatetimeField(auto_now_add=True)
    last_login_at = fields.DatetimeField(null=True)

    roles: Roles = frozenset()
    """Empty unless set: the signed-in person's roles come with SignedIn (accounts.auth)."""

    class Meta:
        table = "accounts_user"


class Membership(Model):
    """A role held by a user in one scope: an event or an award cycle."""

    id = fields.IntField(primary_key=True)
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="memberships", on_delete=fields.CASCADE
    )
    scope_type = fields.CharField(max_length=20)
    scope_id = fields.IntField()
    role = fields.CharField(max_length=20)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "accounts_membership"
        unique_together = (("user", "scope_type", "scope_id", "role"),)
        indexes = (("scope_type", "scope_id", "role"),)


class EndedSession(Model):
    """A signed-in session that ended by signing out. Sessions live in signed cookies, so a
    copy of an old cookie would otherwise stay valid until it expires; the session's id
    (`sid`) is kept here until then, and the signed-in user is looked up only for sessions
    not listed."""

    sid = fields.CharField(max_length=64, primary_key=True)
    user_id = fields.IntField(db_index=True)
    ended_at = fields.DatetimeField(db_index=True)

    class Meta:
        table = "accounts_ended_session"
