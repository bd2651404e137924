"""What accounts offers the core: its routes and its hooks (who is signed in, the saved
language, where anonymous visitors sign in, the `create-admin` command, demo data)."""

from __future__ import annotations

from accounts import audit_labels, demo, services
from accounts.auth import load_user
from accounts.commands import CREATE_ADMIN
from accounts.models import User
from accounts.routes import routes
from core.hooks import Hooks

__all__ = ["hooks", "routes"]


async def _has_users() -> bool:
    return await User.exists()


hooks = Hooks(
    audit=audit_labels.AUDIT,
    user_loader=load_user,
    language_saver=services.save_language,
    sign_in_route="accounts:login",
    commands=[CREATE_ADMIN],
    demo=[demo.load],
    has_data=[_has_users],
)
