"""What accounts offers the core: its routes and its hooks (who is signed in, the saved
language, demo data)."""

from __future__ import annotations

from accounts import demo, services
from accounts.auth import load_user
from accounts.routes import routes
from core.hooks import Hooks

__all__ = ["hooks", "routes"]

hooks = Hooks(user_loader=load_user, language_saver=services.save_language, demo=[demo.load])
