"""Typed settings, read once from config.toml and the environment."""

from __future__ import annotations

import dataclasses
import json
import os
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SECRET = "dev-insecure-change-me"  # noqa: S105 - the value production must not run with


class SettingsError(RuntimeError):
    """The configuration cannot be used; the message says what to change."""


@dataclasses.dataclass(frozen=True)
class Settings:
    env: str = "development"
    secret_key: str = DEFAULT_SECRET
    # The public address links in mails point to. Empty: the address the app serves on,
    # http://<server host>:<server port>, which follows PORT and `manassa serve --port`.
    base_url: str = ""
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
    # failures on one account from every address; see accounts/throttle.py
    security_login_max_failures_account_all: int = 50
    security_login_window_seconds: int = 900
    security_form_max_per_hour: int = 10
    server_host: str = "127.0.0.1"
    server_port: int = 8000
    server_workers: int = 1
    allowed_hosts: tuple[str, ...] = ()
    # True when base_url was not configured and follows the server's host and port.
    base_url_follows_server: bool = dataclasses.field(default=False, init=False, compare=False)

    def __post_init__(self) -> None:
        if not self.base_url:
            object.__setattr__(self, "base_url", serving_url(self.server_host, self.server_port))
            object.__setattr__(self, "base_url_follows_server", True)

    @property
    def trusted_hosts(self) -> list[str]:
        """Host headers the app answers: ALLOWED_HOSTS, else BASE_URL's host (and the loopback
        names outside production), so links built from the request never name another site."""
        if self.allowed_hosts:
            return list(self.allowed_hosts)
        hosts = [urlsplit(self.base_url).hostname or "localhost"]
        if not self.production:
            hosts += ["127.0.0.1", "localhost", "[::1]", "testserver"]
        return hosts

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
        """A copy with `changes`; a base URL that follows the server follows the new one."""
        if self.base_url_follows_server and "base_url" not in changes:
            changes["base_url"] = ""
        return dataclasses.replace(self, **changes)


LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
ANY_ADDRESS = frozenset({"", "0.0.0.0", "::"})  # noqa: S104 - names, not a binding


def serving_url(host: str, port: int) -> str:
    """The address a browser on this machine opens for a server bound to host:port (an
    every-interface binding is reached through loopback)."""
    if host in ANY_ADDRESS:
        host = "127.0.0.1"
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"
    return f"http://{host}:{port}"


def base_url_disagreements(settings: Settings, host: str, port: int) -> list[str]:
    """Why the configured BASE_URL would not lead to a server bound to host:port (empty when
    it does, or when a proxy may stand in between: a public name on the default port)."""
    url = urlsplit(settings.base_url)
    name = (url.hostname or "").lower()
    problems = []
    if settings.allowed_hosts and name not in {h.lower() for h in settings.allowed_hosts}:
        problems.append(
            f"BASE_URL {settings.base_url} names the host {name}, which ALLOWED_HOSTS "
            f"({', '.join(settings.allowed_hosts)}) does not answer: links in mails will fail."
        )
    bound = host.strip("[]").lower()
    direct = name in LOOPBACK_HOSTS or name == bound or url.port is not None
    wanted = url.port or (443 if url.scheme == "https" else 80)
    if direct and wanted != port:
        problems.append(
            f"BASE_URL {settings.base_url} points to port {wanted}, but the server listens on "
            f"{serving_url(host, port)}: unless a proxy forwards that port, links in mails "
            "will not reach it. Set BASE_URL to the address people open, or leave it empty "
            "to follow the server."
        )
    if direct and name in LOOPBACK_HOSTS and bound not in LOOPBACK_HOSTS | ANY_ADDRESS:
        problems.append(
            f"BASE_URL {settings.base_url} names this machine's loopback, but the server "
            f"listens only on {bound}: links in mails will not reach it."
        )
    return problems


# Environment names that differ from the upper-cased setting name (`ENV` alone is taken by
# POSIX shells, and hosting platforms set PORT).
ENV_NAMES: dict[str, tuple[str, ...]] = {
    "env": ("APP_ENV",),
    "server_port": ("PORT", "SERVER_PORT"),
}
ENVIRONMENTS = ("development", "production", "test")
DATABASE_SCHEMES = ("sqlite://", "postgres://", "postgresql://", "asyncpg://")
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


def env_names(name: str) -> tuple[str, ...]:
    return ENV_NAMES.get(name, (name.upper(),))


def _flatten(data: Mapping[str, Any], path: Path) -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for section, values in data.items():
        if not isinstance(values, dict):
            raise SettingsError(f"{path}: '{section}' must be a [section] of settings")
        prefix = "" if section == "app" else f"{section}_"
        for key, value in values.items():
            flat[f"{prefix}{key}"] = value
    return flat


def _from_file(name: str, value: Any, default: Any, path: Path) -> Any:
    """A config.toml value, checked against the type of the setting's default."""
    number = isinstance(value, int | float) and not isinstance(value, bool)
    checks: list[tuple[type, bool, str]] = [  # bool before int: a bool is an int in Python
        (
            tuple,
            isinstance(value, list) and all(isinstance(v, str) for v in value),
            "a list of strings",
        ),
        (bool, isinstance(value, bool), "true or false"),
        (int, number and isinstance(value, int), "a whole number"),
        (float, number, "a number"),
        (str, isinstance(value, str), "a string"),
    ]
    for kind, ok, wanted in checks:
        if isinstance(default, kind):
            if not ok:
                raise SettingsError(f"{path}: {name} = {value!r} is not valid: it must be {wanted}")
            return kind(value)
    return value


def _from_env(env_name: str, raw: str, default: Any) -> Any:
    """An environment value, converted to the type of the setting's default."""
    try:
        if isinstance(default, bool):
            if raw.strip().lower() not in {"1", "true", "yes", "on", "0", "false", "no", "off"}:
                raise ValueError(raw)
            return raw.strip().lower() in {"1", "true", "yes", "on"}
        if isinstance(default, int):
            return int(raw.strip())
        if isinstance(default, float):
            return float(raw.strip())
        if isinstance(default, tuple):
            value = json.loads(raw) if raw.strip().startswith("[") else raw.split(",")
            if not isinstance(value, list):
                raise ValueError(raw)
            return tuple(str(v).strip() for v in value if str(v).strip())
    except ValueError as exc:  # json.JSONDecodeError is a ValueError too
        kind = "true or false" if isinstance(default, bool) else type(default).__name__
        raise SettingsError(f"{env_name}={raw!r} is not valid: expected {kind}") from exc
    return raw


def load_settings(
    config_path: Path | None = None, environ: Mapping[str, str] | None = None
) -> Settings:
    """Defaults, then config.toml, then environment variables (see env_names)."""
    environ = os.environ if environ is None else environ
    path = config_path or Path(environ.get("MANASSA_CONFIG", ROOT / "config.toml"))
    defaults = Settings()
    values: dict[str, Any] = {}
    if path.exists():
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise SettingsError(f"{path} is not valid TOML: {exc}") from exc
        values = _flatten(data, path)
    known = {f.name for f in dataclasses.fields(Settings)}
    unknown = set(values) - known
    if unknown:
        raise SettingsError(f"unknown settings in {path}: {', '.join(sorted(unknown))}")
    values = {k: _from_file(k, v, getattr(defaults, k), path) for k, v in values.items()}
    for name in sorted(known):
        for env_name in env_names(name):
            if env_name in environ:
                values[name] = _from_env(env_name, environ[env_name], getattr(defaults, name))
                break
    settings = Settings(**values)
    check(settings)
    return settings


def check(settings: Settings) -> None:
    """Refuse settings that would be unsafe or unusable; the message names what to change."""
    if settings.production and settings.secret_key == DEFAULT_SECRET:
        raise SettingsError(
            "Refusing to start in production with the default SECRET_KEY: "
            "set SECRET_KEY to a long random value."
        )
    problems = [message for ok, message in _rules(settings) if not ok]
    if problems:
        raise SettingsError(" ".join(problems))


def _rules(s: Settings) -> list[tuple[bool, str]]:
    return [
        (s.env in ENVIRONMENTS, f"APP_ENV must be one of {', '.join(ENVIRONMENTS)}."),
        (
            not s.production or s.security_argon2_profile == "default",
            "SECURITY_ARGON2_PROFILE must be 'default' in production.",
        ),
        (
            s.security_argon2_profile in {"default", "test"},
            "SECURITY_ARGON2_PROFILE must be 'default' or 'test'.",
        ),
        (
            len(s.secret_key) >= 16 or not s.production,
            "SECRET_KEY must be at least 16 characters in production.",
        ),
        (s.default_language in {"ar", "en"}, "DEFAULT_LANGUAGE must be 'ar' or 'en'."),
        (
            _valid_zone(s.time_zone),
            f"TIME_ZONE {s.time_zone!r} is not a known time zone (for example Asia/Riyadh).",
        ),
        (
            s.base_url.startswith(("http://", "https://")) and len(s.base_url) > 8,
            "BASE_URL must start with http:// or https://.",
        ),
        (
            not (s.production and s.base_url_follows_server),
            "BASE_URL must be set in production: the public address links in e-mails lead to.",
        ),
        (
            s.database_url.startswith(DATABASE_SCHEMES),
            "DATABASE_URL must start with sqlite:// or postgres://.",
        ),
        (s.smtp_tls in {"none", "starttls", "ssl"}, "SMTP_TLS must be one of none, starttls, ssl."),
        (0 < s.smtp_port < 65536, "SMTP_PORT must be between 1 and 65535."),
        (0 < s.server_port < 65536, "PORT must be between 1 and 65535."),
        (s.server_workers >= 1, "SERVER_WORKERS must be at least 1."),
        (s.uploads_max_bytes > 0, "UPLOADS_MAX_BYTES must be a positive number of bytes."),
        (
            not _inside(s.path(s.uploads_dir), ROOT / "static"),
            "UPLOADS_DIR must not be inside static/: uploads are served only after a check.",
        ),
        (
            s.mail_backend in {"smtp", "console", "memory"},
            "MAIL_BACKEND must be one of smtp, console, memory.",
        ),
        (s.log_level.upper() in LOG_LEVELS, f"LOG_LEVEL must be one of {', '.join(LOG_LEVELS)}."),
    ]


def _valid_zone(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def _inside(path: Path, folder: Path) -> bool:
    return path.resolve().is_relative_to(folder.resolve())
