"""Typed settings, read once from config.toml and the environment."""

from __future__ import annotations

import dataclasses
import json
import os
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SECRET = "dev-insecure-change-me"  # noqa: S105 - the value production must not run with


class SettingsError(RuntimeError):
    """The configuration cannot be used; the message says what to change."""


@dataclasses.dataclass(frozen=True)
class Settings:
    env: str = "development"
    secret_key: str = DEFAULT_SECRET
    base_url: str = "http://127.0.0.1:8000"
    default_language: str = "ar"
    time_zone: str = "Asia/Riyadh"
    domains: tuple[str, ...] = ("accounts", "events", "judging", "awards")
    log_level: str = "INFO"
    database_url: str = "sqlite://var/manassa.sqlite3?busy_timeout=5000"
    mail_backend: str = "smtp"
    mail_sender: str = "Manassa <no-reply@manassa.local>"
    mail_worker_in_app: bool = True
    mail_poll_seconds: float = 2.0
    mail_max_attempts: int = 8
    mail_dev_sink: bool = True
    mail_dev_sink_dir: str = "var/mail"
    smtp_host: str = "127.0.0.1"
    smtp_port: int = 8025
    smtp_user: str = ""
    smtp_password: str = ""
    smtp_tls: str = "none"
    smtp_timeout: float = 15.0
    uploads_dir: str = "var/uploads"
    uploads_max_bytes: int = 100 * 1024 * 1024
    security_argon2_profile: str = "default"
    security_session_max_age: int = 14 * 24 * 3600
    security_login_max_failures_account: int = 5
    security_login_max_failures_address: int = 20
    security_login_window_seconds: int = 900
    security_form_max_per_hour: int = 10
    server_host: str = "127.0.0.1"
    server_port: int = 8000
    server_workers: int = 1

    @property
    def production(self) -> bool:
        return self.env == "production"

    @property
    def https(self) -> bool:
        return self.base_url.startswith("https://")

    def path(self, value: str) -> Path:
        """A configured path, relative ones taken from the project root."""
        p = Path(value)
        return p if p.is_absolute() else ROOT / p

    def replace(self, **changes: Any) -> Settings:
        return dataclasses.replace(self, **changes)


def _flatten(data: Mapping[str, Any]) -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for section, values in data.items():
        prefix = "" if section == "app" else f"{section}_"
        for key, value in values.items():
            flat[f"{prefix}{key}"] = value
    return flat


def _convert(name: str, raw: str, default: Any) -> Any:
    try:
        if isinstance(default, bool):
            if raw.lower() not in {"1", "true", "yes", "on", "0", "false", "no", "off"}:
                raise ValueError(raw)
            return raw.lower() in {"1", "true", "yes", "on"}
        if isinstance(default, int):
            return int(raw)
        if isinstance(default, float):
            return float(raw)
        if isinstance(default, tuple):
            value = json.loads(raw) if raw.startswith("[") else raw.split(",")
            return tuple(str(v).strip() for v in value if str(v).strip())
    except ValueError as exc:
        raise SettingsError(f"{name.upper()}={raw!r} is not a valid value") from exc
    return raw


def load_settings(
    config_path: Path | None = None, environ: Mapping[str, str] | None = None
) -> Settings:
    """Defaults, then config.toml, then environment variables (upper-cased names)."""
    environ = os.environ if environ is None else environ
    path = config_path or Path(environ.get("MANASSA_CONFIG", ROOT / "config.toml"))
    values: dict[str, Any] = {}
    if path.exists():
        values.update(_flatten(tomllib.loads(path.read_text(encoding="utf-8"))))
    defaults = Settings()
    known = {f.name for f in dataclasses.fields(Settings)}
    unknown = set(values) - known
    if unknown:
        raise SettingsError(f"unknown settings in {path}: {', '.join(sorted(unknown))}")
    if "domains" in values:
        values["domains"] = tuple(values["domains"])
    for name in known:
        env_name = "PORT" if name == "server_port" and "PORT" in environ else name.upper()
        if env_name in environ:
            values[name] = _convert(name, environ[env_name], getattr(defaults, name))
    settings = Settings(**values)
    check(settings)
    return settings


def check(settings: Settings) -> None:
    """Refuse settings that would be unsafe or unusable."""
    if settings.production and settings.secret_key == DEFAULT_SECRET:
        raise SettingsError(
            "Refusing to start in production with the default SECRET_KEY: "
            "set SECRET_KEY to a long random value."
        )
    if settings.production and settings.security_argon2_profile != "default":
        raise SettingsError("SECURITY_ARGON2_PROFILE must be 'default' in production.")
    if settings.default_language not in {"ar", "en"}:
        raise SettingsError("DEFAULT_LANGUAGE must be 'ar' or 'en'.")
    if settings.smtp_tls not in {"none", "starttls", "ssl"}:
        raise SettingsError("SMTP_TLS must be one of none, starttls, ssl.")
    if settings.mail_backend not in {"smtp", "console", "memory"}:
        raise SettingsError("MAIL_BACKEND must be one of smtp, console, memory.")
