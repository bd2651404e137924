"""The `manassa` commands accounts offers through its hooks: `create-admin`."""

from __future__ import annotations

import argparse
import getpass
import os

from accounts import services
from accounts.passwords import weakness
from core.db import connected
from core.hooks import Command
from core.settings import Settings


def _create_admin_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--email", required=True)
    parser.add_argument("--password", help="or MANASSA_ADMIN_PASSWORD, or asked for")
    parser.add_argument("--name", default="")


async def _create_admin(settings: Settings, args: argparse.Namespace) -> None:
    password = (
        args.password
        or os.environ.get("MANASSA_ADMIN_PASSWORD")
        or getpass.getpass("Password for the new admin: ")
    )
    if weakness(password, args.email):
        raise SystemExit("That password is too weak: use at least 10 characters, not common.")
    async with connected(settings):
        user = await services.create_admin(
            settings, email=args.email.strip().lower(), password=password, name=args.name or ""
        )
    print(f"admin ready: {user.email}")


CREATE_ADMIN = Command(
    name="create-admin",
    help="create or promote a site admin",
    arguments=_create_admin_arguments,
    run=_create_admin,
)
