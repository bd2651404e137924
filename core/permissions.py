"""Permissions as small named predicates; each domain registers its map, routes check one name.

A rule takes (user, obj) and answers True or False, using only what is already loaded: the
user's roles are loaded with the user (see accounts.auth), so a check costs no query.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from core.errors import DomainError, Forbidden, NotFound
from core.i18n import gettext as _

Rule = Callable[[Any, Any], bool]
RULES: dict[str, Rule] = {}


class SignInRequired(DomainError):
    status_code = 401

    def __init__(self, message: str = "", then: str = "") -> None:
        super().__init__(message)
        # where to go once signed in, when not the address asked for (a POST's typed intent)
        self.then = then


def register(rules: Mapping[str, Rule]) -> None:
    RULES.update(rules)


def allowed(user: Any, name: str, obj: Any = None) -> bool:
    try:
        rule = RULES[name]
    except KeyError:  # a typo in a route must fail loudly, not deny or allow quietly
        raise LookupError(f"no permission rule named {name!r} is registered") from None
    return bool(rule(user, obj))


def require(user: Any, name: str, obj: Any = None, *, visible: str | None = None) -> None:
    """Raise 404 if `visible` fails (the object is not theirs to see), 403 if `name` fails,
    and ask an anonymous visitor to sign in rather than refusing."""
    if visible is not None and not allowed(user, visible, obj):
        raise NotFound(_("This page does not exist or is not available to you."))
    if not allowed(user, name, obj):
        if user is None:
            raise SignInRequired(_("Please sign in to continue."))
        raise Forbidden(_("You do not have permission to do this."))


# Building blocks every domain composes.
def anyone(user: Any, obj: Any) -> bool:
    return True


def signed_in(user: Any, obj: Any) -> bool:
    return user is not None


def admin(user: Any, obj: Any) -> bool:
    return user is not None and bool(getattr(user, "is_admin", False))


def has_role(role: str, scope_type: str, scope_of: Callable[[Any], int | None]) -> Rule:
    """True when the user holds `role` in the scope of `obj` (an event, a cycle ...)."""

    def rule(user: Any, obj: Any) -> bool:
        if user is None or obj is None:
            return False
        return (scope_type, scope_of(obj), role) in getattr(user, "roles", frozenset())

    rule.__name__ = f"has_{role}_in_{scope_type}"
    return rule


def any_of(*rules: Rule) -> Rule:
    return lambda user, obj: any(r(user, obj) for r in rules)


def all_of(*rules: Rule) -> Rule:
    return lambda user, obj: all(r(user, obj) for r in rules)


register({"core.signed_in": signed_in, "core.admin": admin, "core.anyone": anyone})
