"""Arabic catalog completeness, admins and roles, and the demo accounts."""

from __future__ import annotations

from accounts import demo, services
from accounts.auth import load_user
from accounts.enums import Role, ScopeType
from accounts.models import Membership, User
from core import messages
from core.audit import AuditEntry
from tests.accounts.helpers import log_in, nav_name
from tests.factories import make_user


def test_every_accounts_message_has_an_arabic_translation():
    assert [p for p in messages.problems("ar") if p.startswith("accounts:")] == []


async def test_create_admin_makes_a_verified_admin_and_promotes_an_existing_user(settings, client):
    admin = await services.create_admin(
        settings, email="boss@example.org", password="admin pass phrase 1", name="Boss"
    )
    assert admin.is_admin and admin.verified
    assert (await log_in(client, "boss@example.org", "admin pass phrase 1")).status_code == 303
    assert ">صندوق الصادر</a>" in (await client.get("/")).text  # the admin menu shows

    someone = await make_user("someone@example.org", verified=False)
    promoted = await services.create_admin(
        settings, email=someone.email, password="another admin phrase"
    )
    assert promoted.id == someone.id and promoted.is_admin and promoted.verified
    actions = await AuditEntry.filter(action="accounts.create_admin").count()
    assert actions == 2


async def test_roles_are_granted_once_revoked_and_loaded_with_the_user(db):
    organizer = await make_user()
    user = await make_user()
    await services.grant_role(organizer, user, ScopeType.EVENT, 7, Role.JUDGE)
    await services.grant_role(organizer, user, ScopeType.EVENT, 7, Role.JUDGE)
    await services.grant_role(organizer, user, ScopeType.AWARD_CYCLE, 2, Role.ORGANIZER)
    assert await Membership.filter(user=user).count() == 2
    assert await AuditEntry.filter(action="accounts.grant_role").count() == 2

    class FakeRequest:  # only the session is read
        scope = {"session": {"uid": user.id, "sv": user.session_version, "sid": "s1"}}

    loaded = await load_user(FakeRequest())  # type: ignore[arg-type]
    assert loaded is not None
    assert loaded.roles == frozenset({("event", 7, "judge"), ("award_cycle", 2, "organizer")})

    await services.revoke_role(organizer, user, ScopeType.EVENT, 7, Role.JUDGE)
    await services.revoke_role(organizer, user, ScopeType.EVENT, 7, Role.JUDGE)
    assert await AuditEntry.filter(action="accounts.revoke_role").count() == 1
    loaded = await load_user(FakeRequest())  # type: ignore[arg-type]
    assert loaded is not None and loaded.roles == frozenset({("award_cycle", 2, "organizer")})


async def test_a_session_with_an_old_version_is_cleared(db):
    user = await make_user()
    session = {"uid": user.id, "sv": user.session_version - 1, "sid": "s1", "csrf": "x"}

    class FakeRequest:
        scope = {"session": session}

    assert await load_user(FakeRequest()) is None  # type: ignore[arg-type]
    assert session == {}


async def test_a_session_without_its_id_is_cleared(db):
    """Every sign-in names its session (so that signing out can end it): a session cookie
    without a name signs nobody in."""
    user = await make_user()
    session = {"uid": user.id, "sv": user.session_version, "csrf": "x"}

    class FakeRequest:
        scope = {"session": session}

    assert await load_user(FakeRequest()) is None  # type: ignore[arg-type]
    assert session == {}


async def test_the_demo_accounts_can_sign_in(settings, client):
    lines = await demo.load(settings)
    assert any(demo.DEMO_PASSWORD in line for line in lines)
    assert await User.filter(email_verified_at__isnull=False).count() == len(demo.DEMO_USERS)
    response = await log_in(client, "organizer@manassa.local", demo.DEMO_PASSWORD)
    assert response.status_code == 303
    assert nav_name((await client.get("/")).text) == "نورة القحطاني"
