"""config.toml values, environment overrides, clear errors, and the production secret check."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from core.settings import (
    DEFAULT_SECRET,
    ROOT,
    Settings,
    SettingsError,
    base_url_disagreements,
    load_settings,
)

CONFIG = """
[app]
env = "development"
secret_key = "from-the-file-0123456789"
base_url = "http://files.example"
default_language = "en"
time_zone = "Africa/Cairo"

[database]
url = "sqlite://var/from-file.sqlite3"

[smtp]
host = "mail.file.example"
port = 2525
tls = "starttls"

[uploads]
dir = "var/file-uploads"
max_bytes = 1000

[server]
port = 9000
"""

ENVIRONMENT = {
    "DATABASE_URL": "postgres://manassa:pw@db.example:5432/manassa",
    "SECRET_KEY": "from-the-environment-0123456789",
    "SMTP_HOST": "smtp.env.example",
    "SMTP_PORT": "587",
    "SMTP_USER": "mailer",
    "SMTP_PASSWORD": "s3cret",
    "SMTP_TLS": "ssl",
    "UPLOADS_DIR": "/srv/manassa/uploads",
    "UPLOADS_MAX_BYTES": "5242880",
    "DEFAULT_LANGUAGE": "ar",
    "TIME_ZONE": "Asia/Dubai",
    "BASE_URL": "https://manassa.example",
    "PORT": "8080",
    "APP_ENV": "production",
}


@pytest.fixture
def config(tmp_path: Path) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(CONFIG, encoding="utf-8")
    return path


def test_values_come_from_config_toml(config):
    s = load_settings(config, environ={})
    assert (s.env, s.secret_key, s.base_url, s.default_language, s.time_zone) == (
        "development",
        "from-the-file-0123456789",
        "http://files.example",
        "en",
        "Africa/Cairo",
    )
    assert (s.database_url, s.smtp_host, s.smtp_port, s.smtp_tls) == (
        "sqlite://var/from-file.sqlite3",
        "mail.file.example",
        2525,
        "starttls",
    )
    assert (s.uploads_dir, s.uploads_max_bytes, s.server_port) == ("var/file-uploads", 1000, 9000)
    assert s.mail_backend == Settings().mail_backend  # not in the file: the default


def test_environment_overrides_every_documented_value(config):
    s = load_settings(config, environ=ENVIRONMENT)
    assert s.database_url == "postgres://manassa:pw@db.example:5432/manassa"
    assert s.secret_key == "from-the-environment-0123456789"
    assert (s.smtp_host, s.smtp_port, s.smtp_user, s.smtp_password, s.smtp_tls) == (
        "smtp.env.example",
        587,
        "mailer",
        "s3cret",
        "ssl",
    )
    assert (s.uploads_dir, s.uploads_max_bytes) == ("/srv/manassa/uploads", 5242880)
    assert (s.default_language, s.time_zone, s.base_url) == (
        "ar",
        "Asia/Dubai",
        "https://manassa.example",
    )
    assert s.server_port == 8080
    assert s.production and s.https


def test_server_port_also_reads_server_port_and_port_wins(config):
    assert load_settings(config, environ={"SERVER_PORT": "7000"}).server_port == 7000
    assert (
        load_settings(config, environ={"SERVER_PORT": "7000", "PORT": "7001"}).server_port == 7001
    )


def test_booleans_and_lists_from_the_environment(config):
    s = load_settings(
        config,
        environ={
            "MAIL_WORKER_IN_APP": "off",
            "MAIL_DEV_SINK": "yes",
            "DOMAINS": "accounts, events",
        },
    )
    assert (s.mail_worker_in_app, s.mail_dev_sink, s.domains) == (
        False,
        True,
        ("accounts", "events"),
    )
    assert load_settings(config, environ={"DOMAINS": '["awards"]'}).domains == ("awards",)


def test_a_plain_env_variable_is_not_the_app_environment(config):
    # POSIX shells use $ENV for a start-up file; only APP_ENV selects the environment.
    assert load_settings(config, environ={"ENV": "/home/u/.shrc"}).env == "development"


def test_missing_config_file_gives_the_defaults(tmp_path):
    s = load_settings(tmp_path / "absent.toml", environ={})
    assert s == Settings()


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({"SMTP_PORT": "abc"}, "SMTP_PORT='abc' is not valid: expected int"),
        ({"PORT": "eighty"}, "PORT='eighty' is not valid: expected int"),
        ({"UPLOADS_MAX_BYTES": "10MB"}, "UPLOADS_MAX_BYTES='10MB' is not valid: expected int"),
        ({"UPLOADS_MAX_BYTES": "0"}, "UPLOADS_MAX_BYTES must be a positive number of bytes."),
        (
            {"MAIL_WORKER_IN_APP": "maybe"},
            "MAIL_WORKER_IN_APP='maybe' is not valid: expected true or false",
        ),
        ({"SMTP_PORT": "70000"}, "SMTP_PORT must be between 1 and 65535."),
        ({"SMTP_TLS": "tls"}, "SMTP_TLS must be one of none, starttls, ssl."),
        ({"DEFAULT_LANGUAGE": "fr"}, "DEFAULT_LANGUAGE must be 'ar' or 'en'."),
        (
            {"TIME_ZONE": "Mars/Olympus"},
            "TIME_ZONE 'Mars/Olympus' is not a known time zone (for example Asia/Riyadh).",
        ),
        ({"BASE_URL": "manassa.example"}, "BASE_URL must start with http:// or https://."),
        ({"DATABASE_URL": "mysql://x"}, "DATABASE_URL must start with sqlite:// or postgres://."),
        ({"APP_ENV": "staging"}, "APP_ENV must be one of development, production, test."),
        (
            {"UPLOADS_DIR": "static/uploads"},
            "UPLOADS_DIR must not be inside static/: uploads are served only after a check.",
        ),
        ({"DOMAINS": "[1,"}, "DOMAINS='[1,' is not valid: expected tuple"),
    ],
)
def test_invalid_values_give_a_clear_error(config, environ, message):
    with pytest.raises(SettingsError) as caught:
        load_settings(config, environ=environ)
    assert str(caught.value) == message


def test_several_problems_are_reported_together(config):
    with pytest.raises(SettingsError) as caught:
        load_settings(config, environ={"SMTP_TLS": "tls", "DEFAULT_LANGUAGE": "fr"})
    assert str(caught.value) == (
        "DEFAULT_LANGUAGE must be 'ar' or 'en'. SMTP_TLS must be one of none, starttls, ssl."
    )


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        (
            '[smtp]\nport = "twenty-five"\n',
            "{path}: smtp_port = 'twenty-five' is not valid: it must be a whole number",
        ),
        (
            "[mail]\nworker_in_app = 1\n",
            "{path}: mail_worker_in_app = 1 is not valid: it must be true or false",
        ),
        (
            '[app]\ndomains = "accounts"\n',
            "{path}: domains = 'accounts' is not valid: it must be a list of strings",
        ),
        ('[app]\ncolour = "blue"\n', "unknown settings in {path}: colour"),
        ('secret_key = "x"\n', "{path}: 'secret_key' must be a [section] of settings"),
        (
            "[app\n",
            "{path} is not valid TOML: Expected ']' at the end of a table declaration "
            "(at line 1, column 5)",
        ),
    ],
)
def test_invalid_config_file_gives_a_clear_error(tmp_path, toml, message):
    path = tmp_path / "config.toml"
    path.write_text(toml, encoding="utf-8")
    with pytest.raises(SettingsError) as caught:
        load_settings(path, environ={})
    assert str(caught.value) == message.format(path=path)


PRODUCTION_REFUSAL = (
    "Refusing to start in production with the default SECRET_KEY: "
    "set SECRET_KEY to a long random value."
)


def test_production_refuses_the_default_secret(config):
    with pytest.raises(SettingsError) as caught:
        load_settings(config, environ={"APP_ENV": "production", "SECRET_KEY": DEFAULT_SECRET})
    assert str(caught.value) == PRODUCTION_REFUSAL
    with pytest.raises(SettingsError) as short:
        load_settings(config, environ={"APP_ENV": "production", "SECRET_KEY": "short"})
    assert str(short.value) == "SECRET_KEY must be at least 16 characters in production."
    ok = load_settings(
        config, environ={"APP_ENV": "production", "SECRET_KEY": "a-long-random-value-0123456789"}
    )
    assert ok.production


def test_development_runs_with_the_default_secret(config):
    assert (
        load_settings(config, environ={"SECRET_KEY": DEFAULT_SECRET}).secret_key == DEFAULT_SECRET
    )


def test_manassa_serve_refuses_to_start_in_production_with_the_default_secret(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "MANASSA_CONFIG", "PORT"}}
    env.update(
        {"APP_ENV": "production", "MANASSA_CONFIG": str(ROOT / "config.toml"), "SERVER_PORT": "1"}
    )  # were it to start, binding port 1 would fail too
    manassa = Path(sys.executable).parent / "manassa"
    result = subprocess.run(
        [str(manassa), "serve"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr.strip() == f"manassa: {PRODUCTION_REFUSAL}"
    assert result.stdout == ""


def test_without_base_url_links_follow_the_port_and_host_served(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text('[app]\nbase_url = ""\n', encoding="utf-8")
    s = load_settings(path, environ={"PORT": "8150"})
    assert (s.base_url, s.base_url_follows_server) == ("http://127.0.0.1:8150", True)
    assert s.replace(server_port=9000).base_url == "http://127.0.0.1:9000"
    assert s.replace(server_host="0.0.0.0").base_url == "http://127.0.0.1:8150"  # noqa: S104
    assert s.replace(server_host="::1").base_url == "http://[::1]:8150"
    assert s.replace(server_host="192.0.2.5").trusted_hosts[0] == "192.0.2.5"
    assert Settings().base_url == "http://127.0.0.1:8000"


def test_a_configured_base_url_is_kept_whatever_the_port(config):
    s = load_settings(config, environ={"PORT": "8150"})
    assert (s.base_url, s.base_url_follows_server) == ("http://files.example", False)
    assert s.replace(server_port=9000).base_url == "http://files.example"


def test_production_needs_a_base_url(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text("", encoding="utf-8")
    environ = {"APP_ENV": "production", "SECRET_KEY": "a-long-random-value-0123456789"}
    with pytest.raises(SettingsError) as caught:
        load_settings(path, environ=environ)
    assert str(caught.value) == (
        "BASE_URL must be set in production: the public address links in e-mails lead to."
    )
    assert load_settings(path, environ={**environ, "BASE_URL": "https://m.example"}).production


@pytest.mark.parametrize(
    ("base_url", "host", "port", "allowed", "warnings"),
    [
        ("http://127.0.0.1:8150", "127.0.0.1", 8150, (), []),
        ("https://manassa.example.org", "127.0.0.1", 8000, (), []),  # behind a proxy
        ("http://localhost:8000", "0.0.0.0", 8000, (), []),  # noqa: S104
        (
            "http://127.0.0.1:8000",
            "127.0.0.1",
            8150,
            (),
            [
                "BASE_URL http://127.0.0.1:8000 points to port 8000, but the server listens on "
                "http://127.0.0.1:8150: unless a proxy forwards that port, links in mails will "
                "not reach it. Set BASE_URL to the address people open, or leave it empty to "
                "follow the server."
            ],
        ),
        (
            "http://localhost:8000",
            "192.0.2.5",
            8000,
            (),
            [
                "BASE_URL http://localhost:8000 names this machine's loopback, but the server "
                "listens only on 192.0.2.5: links in mails will not reach it."
            ],
        ),
        (
            "https://old.example.org",
            "127.0.0.1",
            8000,
            ("manassa.example.org",),
            [
                "BASE_URL https://old.example.org names the host old.example.org, which "
                "ALLOWED_HOSTS (manassa.example.org) does not answer: links in mails will fail."
            ],
        ),
    ],
)
def test_a_base_url_that_cannot_reach_the_server_is_explained(
    base_url, host, port, allowed, warnings
):
    s = Settings(base_url=base_url, allowed_hosts=allowed)
    assert base_url_disagreements(s, host, port) == warnings
