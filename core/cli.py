"""`manassa serve|migrate|makemigrations|demo|mail-worker|messages`, and the commands the
domains offer through their hooks (accounts: `create-admin`)."""

from __future__ import annotations

import argparse
import asyncio
import importlib
import logging
import os
import signal
import sys
from collections.abc import Callable, Coroutine, Sequence
from functools import partial
from typing import Any

from core.hooks import Command, Hooks, collect
from core.settings import (
    Settings,
    SettingsError,
    base_url_disagreements,
    load_settings,
    serving_url,
)

log = logging.getLogger("manassa")


def _serve(settings: Settings, args: argparse.Namespace) -> int:
    import uvicorn

    host = args.host or settings.server_host
    port = args.port or settings.server_port
    # Every worker builds its app from the environment: it learns where it is served there,
    # so a base URL that follows the server names this port in every mail link.
    os.environ["SERVER_HOST"] = host
    os.environ["PORT"] = os.environ["SERVER_PORT"] = str(port)
    logging.basicConfig(
        level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    if settings.base_url_follows_server:
        log.info("links in mails lead to %s", serving_url(host, port))
    else:
        for problem in base_url_disagreements(settings, host, port):
            log.warning(problem)
    uvicorn.run(
        "core.app:app_factory",
        factory=True,
        host=host,
        port=port,
        workers=args.workers or settings.server_workers,
        proxy_headers=True,
        log_level=settings.log_level.lower(),
        access_log=False,
    )
    return 0


async def _migrate(settings: Settings) -> None:
    from tortoise.migrations.api.migrate import migrate

    from core.db import tortoise_config

    def progress(event: str, app_label: str, name: str) -> None:
        if event == "apply_done":
            print(f"  applied {app_label}.{name}")

    await migrate(config=tortoise_config(settings), progress=progress)
    from tortoise import Tortoise

    await Tortoise.close_connections()
    print("database is up to date")


async def _makemigrations(settings: Settings, name: str | None) -> None:
    """Write the migrations the models need, through Tortoise's public autodetector (the
    same one `pending_model_changes` asks)."""
    from tortoise.cli.cli import tortoise_cli_context
    from tortoise.migrations.autodetector import MigrationAutodetector
    from tortoise.migrations.writer import format_migration_name

    from core.db import tortoise_config

    config = tortoise_config(settings)
    async with tortoise_cli_context(config) as ctx:
        assert ctx.apps is not None  # initialised by the context
        writers = await MigrationAutodetector(ctx.apps, config["apps"]).changes()
    if not writers:
        print("no changes detected")
        return
    for writer in writers:
        if name:
            number = writer.name.split("_", 1)[0]
            writer.name = format_migration_name(int(number) if number.isdigit() else 1, name)
        path = writer.write()
        print(f"  created {writer.app_label}.{writer.name}\n    {path}")


async def pending_model_changes(settings: Settings) -> list[str]:
    """Migrations that `makemigrations` would write now (empty when models and migrations
    agree). Works on an in-memory database: only the migration files are read."""
    from tortoise.cli.cli import tortoise_cli_context
    from tortoise.migrations.autodetector import MigrationAutodetector

    from core.db import tortoise_config

    config = tortoise_config(settings.replace(database_url="sqlite://:memory:"))
    async with tortoise_cli_context(config) as ctx:
        assert ctx.apps is not None  # initialised by the context
        writers = await MigrationAutodetector(ctx.apps, config["apps"]).changes()
    return [f"{w.app_label}.{w.name}" for w in writers]


async def _check_migrations(settings: Settings) -> None:
    pending = await pending_model_changes(settings)
    if pending:
        raise SystemExit(
            "models changed without a migration; run `manassa makemigrations`: "
            + ", ".join(pending)
        )
    print("migrations match the models")


async def _demo(settings: Settings, args: argparse.Namespace, hooks: Hooks) -> None:
    from core.db import connected

    async with connected(settings):
        if args.if_empty and any([await has_data() for has_data in hooks.has_data]):
            print("the database already has data: demo data not loaded")
            return
        lines: list[str] = []
        for loader in hooks.demo:
            lines.extend(await loader(settings))
    print("\n".join(lines))


async def _mail_worker(settings: Settings, once: bool) -> None:
    from core.db import connected
    from core.mail.senders import make_sender
    from core.mail.worker import MailWorker

    async with connected(settings):
        worker = MailWorker(settings, make_sender(settings))
        if once:
            print(f"sent or retried {await worker.run_once()} mails")
            return
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        print(f"mail worker {worker.name} running; Ctrl+C stops it")
        await worker.run_forever(stop)


def _parser(commands: Sequence[Command] = ()) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="manassa", description="Manassa platform")
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="serve the web app with uvicorn")
    serve.add_argument("--host")
    serve.add_argument("--port", type=int)
    serve.add_argument("--workers", type=int)
    sub.add_parser("migrate", help="apply database migrations")
    make = sub.add_parser("makemigrations", help="write a migration for model changes")
    make.add_argument("--name")
    make.add_argument(
        "--check", action="store_true", help="write nothing; fail if the models need a migration"
    )
    for command in commands:  # offered by the domains (accounts: create-admin)
        command.arguments(sub.add_parser(command.name, help=command.help))
    demo = sub.add_parser("demo", help="load bilingual demo data")
    demo.add_argument("--if-empty", action="store_true", help="only into an empty database")
    worker = sub.add_parser("mail-worker", help="send queued e-mail")
    worker.add_argument("--once", action="store_true")
    messages = sub.add_parser("messages", help="extract and check translations")
    messages.add_argument("--check", action="store_true", help="fail on untranslated strings")
    messages.add_argument("--domain", help="only this domain's catalogs (core, accounts ...)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    try:
        settings = load_settings()
    except SettingsError as exc:
        _parser().parse_args(argv)  # --help still answers
        print(f"manassa: {exc}", file=sys.stderr)
        return 2
    _routes, hooks = collect(settings)
    args = _parser(hooks.commands).parse_args(argv)
    return _run(settings, hooks, args)


def _run(settings: Settings, hooks: Hooks, args: argparse.Namespace) -> int:
    if args.command == "serve":
        return _serve(settings, args)
    if args.command == "messages":
        return importlib.import_module("core.messages").main(check=args.check, domain=args.domain)
    runners: dict[str, Callable[[], Coroutine[Any, Any, None]]] = {
        "migrate": lambda: _migrate(settings),
        "makemigrations": lambda: (
            _check_migrations(settings) if args.check else _makemigrations(settings, args.name)
        ),
        "demo": lambda: _demo(settings, args, hooks),
        "mail-worker": lambda: _mail_worker(settings, args.once),
    }
    for command in hooks.commands:
        runners[command.name] = partial(command.run, settings, args)
    asyncio.run(runners[args.command]())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
