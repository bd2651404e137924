"""The `manassa` commands the award offers through its hooks: `recount BUNDLE.zip`."""

from __future__ import annotations

import argparse

from awards import recount
from core.hooks import Command
from core.settings import Settings


def _recount_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("bundle", help="the results bundle (.zip) of an award cycle")


async def _recount(settings: Settings, args: argparse.Namespace) -> None:
    """Recount every category from the bundle alone (no database): MATCH and exit 0, or the
    first difference and exit 1 (2 for an unreadable file), as `python -m awards.recount`."""
    status = recount.main([args.bundle])
    if status:
        raise SystemExit(status)


RECOUNT = Command(
    name="recount",
    help="recount an award cycle's results bundle: MATCH, or the first difference",
    arguments=_recount_arguments,
    run=_recount,
)
