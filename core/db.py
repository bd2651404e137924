"""Tortoise configuration: SQLite by default, PostgreSQL through DATABASE_URL."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from typing import Any

from tortoise import Tortoise

from core.settings import Settings
from core.sqlite_engine import connection_config

CORE_MODEL_MODULES = ("core.mail.models", "core.audit", "core.storage", "core.ratelimit")


def model_modules(settings: Settings) -> list[str]:
    """Every module holding models: the core's, then each installed domain's."""
    from core.hooks import module_exists

    domains = [d for d in settings.domains if module_exists(f"{d}.models")]
    return [*CORE_MODEL_MODULES, *(f"{d}.models" for d in domains)]


def database_url(settings: Settings) -> str:
    url = settings.database_url
    if url.startswith(("postgres://", "postgresql://")):
        url = "asyncpg://" + url.split("://", 1)[1]
    if url.startswith("sqlite://") and not url.startswith("sqlite://:memory:"):
        path = url.removeprefix("sqlite://").split("?", 1)[0]
        settings.path(path).parent.mkdir(parents=True, exist_ok=True)
        if not path.startswith("/"):
            url = "sqlite://" + str(settings.path(path)) + url[len("sqlite://") + len(path) :]
    return url


def is_postgres(settings: Settings) -> bool:
    return database_url(settings).startswith("asyncpg://")


def tortoise_config(settings: Settings) -> dict[str, Any]:
    url = database_url(settings)
    return {
        # SQLite: every transaction begins as a writer (core/sqlite_engine.py)
        "connections": {"default": connection_config(url) if url.startswith("sqlite:") else url},
        "apps": {
            "models": {
                "models": model_modules(settings),
                "default_connection": "default",
                "migrations": "migrations",
            }
        },
        "use_tz": True,
        "timezone": "UTC",
    }


@contextlib.asynccontextmanager
async def connected(settings: Settings) -> AsyncIterator[None]:
    """The ORM for a command-line task (the web app uses RegisterTortoise in its lifespan)."""
    await Tortoise.init(config=tortoise_config(settings), _enable_global_fallback=True)
    try:
        yield
    finally:
        await Tortoise.close_connections()
