"""What the tests of judging's services share: links, and a few builders."""

from __future__ import annotations

from core.links import Links
from judging.models import Assignment, Judge, Round
from judging.services import sheets
from tests.factories import make_user

LINKS = Links("http://testserver", lambda name, **params: f"/{name}/{params}")


async def admin():
    return await make_user(admin=True)


async def judged_by(seat: Judge) -> set[int]:
    return set(await Assignment.filter(judge=seat).values_list("entry_id", flat=True))


async def sheet_for(seat: Judge, round_: Round):
    row = await Assignment.filter(round=round_, judge=seat).order_by("id").first()
    user = await seat.user
    return user, await sheets.scoring_for(user, row.entry_id)
