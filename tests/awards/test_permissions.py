"""Every award route, for every kind of person, in every phase of a published cycle: the
expected status; and a draft cycle, hidden from everyone but its organizers and admins.

The test fails when an `awards:` route is added without a row here. A row's path may name the
fixture's records ({slug}, {category}, {reason}, {nomination}, {appeal}, {merge}, {question},
{doomed}, {voted}); a path starting "POST " is posted with a CSRF token and an empty form, and
a row with form data as its fourth element is posted with that data (a refused form, so that it
changes nothing). A status is one for everyone, per person (a dict), per phase (a dict in it),
or a function of (phase, person)."""

from __future__ import annotations

import httpx
import pytest
from starlette.routing import Route

from accounts.enums import Role, ScopeType
from awards.enums import MergeReason, NominationState, Ruling
from awards.models import (
    Appeal,
    CategoryQuestion,
    Nomination,
    NominationCredit,
    NominationMerge,
    ScreeningReason,
    ScreeningRuling,
    ShortlistedNomination,
)
from core.clock import now
from core.routing import flat
from judging.enums import JudgeState
from judging.models import Judge
from tests.awards.factories import make_category, make_cycle
from tests.conftest import CSRF_INPUT
from tests.factories import grant, make_user, sign_in

PEOPLE = (
    "anonymous",
    "outsider",
    "nominator",
    "judge",
    "organizer",
    "other_organizer",
    "admin",
)
PHASES = ("upcoming", "nominations", "screening", "appeals", "jury", "voting", "results")
MANAGERS = ("organizer", "admin")
SIGN_IN = 303  # the anonymous are asked to sign in


def manage_only(managers: object) -> dict[str, object]:
    """An organizer's page: the anonymous sign in first, everyone else sees nothing (404)."""
    return {p: managers if p in MANAGERS else SIGN_IN if p == "anonymous" else 404 for p in PEOPLE}


def until(last: str, open_status: int, closed: int = 409) -> dict[str, int]:
    """`open_status` in the phases up to `last`, `closed` after."""
    cut = PHASES.index(last)
    return {phase: open_status if i <= cut else closed for i, phase in enumerate(PHASES)}


# The organizer undoes the fixture's merge while merges can change; the admin, after them,
# finds it undone.
UNDO = {**manage_only(until("screening", 303)), "admin": 409}

M = "/awards/{slug}/manage"
Q = M + "/categories/{category}/questions"
DELETE_QUESTION = {**manage_only(until("upcoming", 303)), "admin": until("upcoming", 404)}
V = M + "/votes/{voted}/review"
VOTE_PHASES = ("voting", "counting")  # not in PHASES: test_the_public_vote_in_its_phases


def _fraud(before: int, voting: int, closed: int, admin_closed: int | None = None):  # noqa: ANN202
    """A fraud-review action: its status before voting opens, while voting, once closed."""

    def expected(phase: str, who: str) -> int:
        if who not in MANAGERS:
            return SIGN_IN if who == "anonymous" else 404
        if phase in ("voting",):
            return voting
        if phase in ("counting", "results"):
            return admin_closed if who == "admin" and admin_closed else closed
        return before

    return expected


# no decision 0 to undo (nothing to undo before voting opens); the organizer signs off once
# voting has closed, and the admin, after them, finds it signed
UNDO_FRAUD = _fraud(409, 404, 404, 409)
SIGN_OFF = _fraud(409, 409, 303, 409)


def _signed_in(status: int, managers: int | None = None, nominator: int | None = None):  # noqa: ANN202
    """A page for signed-in people: anonymous visitors are sent to sign in (303)."""

    def expected(phase: str, who: str) -> int:
        if who == "anonymous":
            return 303
        if who in MANAGERS and managers is not None:
            return managers
        if who == "nominator" and nominator is not None:
            return nominator
        return status

    return expected


def _nominate(draft: bool):  # noqa: ANN202
    """The nomination form: closed (409) outside the nominations phase, whoever asks; open to
    every signed-in person with a verified address on a published cycle."""

    def expected(phase: str, who: str) -> int:
        if draft and who not in MANAGERS:
            return 404
        if phase != "nominations":
            return 409
        if draft:
            return 403
        return 303 if who == "anonymous" else 200

    return expected


def _edit(draft: bool):  # noqa: ANN202
    """Editing a nomination: its creator, until the deadline (the matrix's nomination is
    submitted, which may still be changed); organizers see it but do not edit it."""

    def expected(phase: str, who: str) -> int:
        if who == "anonymous":
            return 303
        if who in MANAGERS:
            return 403
        if who == "nominator" and not draft:
            return 200 if phase == "nominations" else 409
        return 404

    return expected


def _public_vote(open_status: int, draft: bool = False):  # noqa: ANN202
    """The public vote's pages: for everyone, no account needed, only while voting is open
    (409 otherwise); a draft's only to its organizers and admins, and never open. The
    matrix's category has no public vote: its ballot is a 404, an empty form a 422."""

    def expected(phase: str, who: str) -> int:
        if draft and who not in MANAGERS:
            return 404
        return open_status if phase == "voting" and not draft else 409

    return expected


# (route name, path, status on a published cycle (for everyone, or per person), status on a
# draft per person). A path starting "POST " is posted (an empty form with its CSRF token).
CREATORS = ("organizer", "other_organizer", "admin")


def managers(status: int) -> dict[str, int]:
    """An organizer's page: its organizers and admins get `status`, the anonymous are asked
    to sign in, everyone else gets the same 404 as for a cycle that does not exist."""
    return {p: status if p in MANAGERS else 303 if p == "anonymous" else 404 for p in PEOPLE}


MATRIX: dict[str, tuple] = {
    "awards:list": ("/awards", 200, {p: 200 for p in PEOPLE}),
    "awards:detail": (
        "/awards/{slug}",
        200,
        {p: 200 if p in MANAGERS else 404 for p in PEOPLE},
    ),
    "awards:api_list": ("/api/v1/awards", 200, {p: 200 for p in PEOPLE}),
    # the API shows nothing unpublished, whoever asks
    "awards:api_detail": ("/api/v1/awards/{slug}", 200, {p: 404 for p in PEOPLE}),
    "awards:new": (
        "/awards/new",
        {p: 200 if p in CREATORS else 303 if p == "anonymous" else 403 for p in PEOPLE},
        {p: 200 if p in CREATORS else 303 if p == "anonymous" else 403 for p in PEOPLE},
    ),
    "awards:manage": ("/awards/{slug}/manage", managers(200), managers(200)),
    "awards:edit": ("/awards/{slug}/manage/edit", managers(200), managers(200)),
    "awards:visibility": ("POST /awards/{slug}/manage/visibility", managers(422), managers(422)),
    "awards:extend": ("POST /awards/{slug}/manage/extend", managers(422), managers(422)),
    "awards:categories": ("/awards/{slug}/manage/categories", managers(200), managers(200)),
    "awards:category_edit": (
        "/awards/{slug}/manage/categories/{category}",
        managers(200),
        managers(200),
    ),
    "awards:category_move": (
        "POST /awards/{slug}/manage/categories/{category}/move",
        managers(422),
        managers(422),
    ),
    "awards:reasons": ("/awards/{slug}/manage/reasons", managers(200), managers(200)),
    "awards:reason_edit": (
        "/awards/{slug}/manage/reasons/{reason}",
        managers(200),
        managers(200),
    ),
    # a forged link: refused with its reason (on a draft, only organizers see the cycle)
    "awards:accept": (
        "/awards/{slug}/accept/forged",
        400,
        {p: 400 if p in MANAGERS else 404 for p in PEOPLE},
    ),
    "awards:accept_answer": (
        "POST /awards/{slug}/accept/forged/answer",
        400,
        {p: 400 if p in MANAGERS else 404 for p in PEOPLE},
    ),
    # only the nominee who accepted completes the nomination (nobody here)
    "awards:nominee": (
        "/awards/{slug}/nominee/{nomination}",
        {p: 303 if p == "anonymous" else 404 for p in PEOPLE},
        {p: 303 if p == "anonymous" else 404 for p in PEOPLE},
    ),
    "awards:nominate": ("/awards/{slug}/nominate/{category}", _nominate(False), _nominate(True)),
    "awards:mine": ("/me/awards", _signed_in(200), _signed_in(200)),
    "awards:nomination": (
        "/me/nominations/{nomination}",
        _signed_in(404, managers=200, nominator=200),
        _signed_in(404, managers=200),
    ),
    "awards:nomination_edit": ("/me/nominations/{nomination}/edit", _edit(False), _edit(True)),
    # a GET of the POST-only action leads back to the edit page, whoever asks
    "awards:nomination_file_delete": (
        "/me/nominations/{nomination}/files/1/delete",
        303,
        {p: 303 for p in PEOPLE},
    ),
    # the matrix's nomination was not ruled ineligible: nothing to appeal (409)
    "awards:appeal": (
        "/me/nominations/{nomination}/appeal",
        _signed_in(404, managers=403, nominator=409),
        _signed_in(404, managers=403),
    ),
    "awards:screening": (M + "/screening", manage_only(200), manage_only(200)),
    "awards:screening_rule": (
        M + "/screening",
        manage_only({**until("nominations", 409), "screening": 422}),
        manage_only({**until("nominations", 409), "screening": 422}),
        {"ruling": "", "nomination": "{nomination}"},
    ),
    "awards:appeals": (M + "/appeals", manage_only(200), manage_only(200)),
    "awards:appeal_decide": (
        M + "/appeals/{appeal}",
        manage_only(until("appeals", 422)),
        manage_only(until("appeals", 422)),
        {"decision": ""},
    ),
    "awards:duplicates": (M + "/duplicates", manage_only(200), manage_only(200)),
    "awards:duplicate_merge": (
        M + "/duplicates/merge",
        manage_only(until("screening", 422)),
        manage_only(until("screening", 422)),
        {"kept": "{nomination}", "merged": "{nomination}"},
    ),
    "awards:duplicate_reject": (
        M + "/duplicates/reject",
        manage_only(until("screening", 422)),
        manage_only(until("screening", 422)),
        {"first": "{nomination}", "second": "{nomination}"},
    ),
    "awards:merge_undo": (M + "/merges/{merge}/undo", UNDO, UNDO, {}),
    "awards:nominations": (M + "/nominations", manage_only(200), manage_only(200)),
    "awards:nominations_export": (M + "/nominations.csv", manage_only(200), manage_only(200)),
    "awards:manage_nomination": (
        M + "/nominations/{nomination}",
        manage_only(200),
        manage_only(200),
    ),
    # no such file: managers get the file's 404, after the same checks as the pages
    "awards:manage_nomination_file": (
        M + "/nominations/{nomination}/files/0",
        manage_only(404),
        manage_only(404),
    ),
    "awards:screening_dashboard": (M + "/screening-dashboard", manage_only(200), manage_only(200)),
    "awards:mail": (M + "/mail", manage_only(200), manage_only(200)),
    # the shortlist is not published in these cycles: nobody sees it (tests/awards/
    # test_shortlist.py has the published one)
    "awards:shortlist": ("/awards/{slug}/shortlist", 404, {p: 404 for p in PEOPLE}),
    "awards:api_shortlist": ("/api/v1/awards/{slug}/shortlist", 404, {p: 404 for p in PEOPLE}),
    "awards:jury": (M + "/jury", manage_only(200), manage_only(200)),
    # nothing to approve or publish in these cycles (no closed round): refused; withdrawing an
    # approval that was never given changes nothing and leads back to the jury page
    "awards:shortlist_approve": (
        "POST " + M + "/jury/categories/{category}/approve",
        manage_only(409),
        manage_only(409),
    ),
    "awards:shortlist_withdraw": (
        "POST " + M + "/jury/categories/{category}/withdraw",
        manage_only(303),
        manage_only(303),
    ),
    "awards:shortlist_publish": (
        "POST " + M + "/jury/publish",
        manage_only(409),
        manage_only(409),
    ),
    # a category's own questions: shown in every phase, changed only before nominations open
    "awards:category_questions": (Q, manage_only(200), manage_only(200)),
    "awards:category_question_edit": (
        Q + "/{question}",
        manage_only(422),
        manage_only(422),
        {"kind": "nonsense"},
    ),
    "awards:category_question_move": (
        "POST " + Q + "/{question}/move",
        manage_only(422),
        manage_only(422),
    ),
    # the organizer deletes it before nominations open; the admin, after them, finds it gone
    "awards:category_question_delete": (
        "POST " + Q + "/{doomed}/delete",
        DELETE_QUESTION,
        DELETE_QUESTION,
    ),
    # the final vote's declared rules: a refused form (422) until voting opens, then locked
    "awards:voting": (M + "/voting", manage_only(200), manage_only(200)),
    "awards:voting_rules": (
        M + "/voting/categories/{category}",
        manage_only(until("jury", 422)),
        manage_only(until("jury", 422)),
        {"method": "nonsense"},
    ),
    # the juror's ballot: only the category's jurors (the matrix's judge has a seat), on a
    # published cycle; a refused ranking (422) while the vote is open, closed (409) otherwise
    "awards:ballots": (
        "/awards/{slug}/ballot",
        {p: 200 if p == "judge" else 303 if p == "anonymous" else 404 for p in PEOPLE},
        {p: 303 if p == "anonymous" else 404 for p in PEOPLE},
    ),
    "awards:ballot": (
        "/awards/{slug}/ballot/{voted}",
        {
            p: {ph: 422 if ph == "voting" else 409 for ph in PHASES}
            if p == "judge"
            else 303
            if p == "anonymous"
            else 404
            for p in PEOPLE
        },
        {p: 303 if p == "anonymous" else 404 for p in PEOPLE},
        {"rank-{nomination}": "1", "rank-{voted}": "1"},
    ),
    # results: nothing is counted or published in these cycles. The public pages and the API
    # are a 404 for everyone until publication (tests/awards/routes/test_results_pages.py
    # has the published ones); the archive lists only published results.
    "awards:archive": ("/awards/archive", 200, {p: 200 for p in PEOPLE}),
    "awards:results_public": ("/awards/{slug}/results", 404, {p: 404 for p in PEOPLE}),
    "awards:results_bundle": ("/awards/{slug}/results/bundle.zip", 404, {p: 404 for p in PEOPLE}),
    "awards:results_report": (
        "/awards/{slug}/results/categories/{category}",
        404,
        {p: 404 for p in PEOPLE},
    ),
    "awards:api_results": ("/api/v1/awards/{slug}/results", 404, {p: 404 for p in PEOPLE}),
    "awards:results": (M + "/results", manage_only(200), manage_only(200)),
    "awards:results_category": (
        M + "/results/categories/{category}",
        manage_only(200),
        manage_only(200),
    ),
    # no shortlist to count, nothing counted to approve, cite or publish: refused (409)
    "awards:results_count": ("POST " + M + "/results/count", manage_only(409), manage_only(409)),
    "awards:results_approve": (
        "POST " + M + "/results/approve",
        manage_only(409),
        manage_only(409),
    ),
    "awards:results_withdraw": (
        "POST " + M + "/results/withdraw",
        manage_only(409),
        manage_only(409),
    ),
    "awards:results_publish": (
        "POST " + M + "/results/publish",
        manage_only(409),
        manage_only(409),
    ),
    "awards:results_citations": (
        "POST " + M + "/results/categories/{category}/citations",
        manage_only(409),
        manage_only(409),
    ),
    # "no award" is recorded after voting closes, with a reason (the empty form: 422)
    "awards:results_no_award": (
        "POST " + M + "/results/categories/{category}/no-award",
        manage_only({**until("jury", 409), "results": 422}),
        manage_only({**until("jury", 409), "results": 422}),
    ),
    # the public vote's turnout and fraud review ({voted}: a category with a public vote);
    # the refused forms change nothing; the review is signed off once voting has closed
    "awards:votes": (M + "/votes", manage_only(200), manage_only(200)),
    "awards:fraud_review": (V, manage_only(200), manage_only(200)),
    "awards:fraud_cluster": ("POST " + V + "/cluster", manage_only(422), manage_only(422)),
    "awards:fraud_vote": ("POST " + V + "/vote", manage_only(422), manage_only(422)),
    "awards:fraud_undo": ("POST " + V + "/decisions/0/undo", UNDO_FRAUD, UNDO_FRAUD),
    "awards:fraud_sign_off": ("POST " + V + "/sign-off", SIGN_OFF, SIGN_OFF),
    # the public vote (tests/awards/routes/test_vote.py has a category with one)
    "awards:vote": ("/awards/{slug}/vote", _public_vote(200), _public_vote(200, draft=True)),
    "awards:vote_code": (
        "POST /awards/{slug}/vote/code",
        _public_vote(422),
        _public_vote(422, draft=True),
    ),
    "awards:vote_verify": (
        "POST /awards/{slug}/vote/verify",
        _public_vote(422),
        _public_vote(422, draft=True),
    ),
    "awards:vote_category": (
        "/awards/{slug}/vote/{category}",
        _public_vote(404),
        _public_vote(404, draft=True),
    ),
    "awards:vote_cast": (
        "POST /awards/{slug}/vote/{category}",
        _public_vote(404),
        _public_vote(404, draft=True),
        {"nomination": "{nomination}"},
    ),
}


def test_every_award_route_is_in_the_matrix(app):
    names = {
        r.name for r in flat(app.routes) if isinstance(r, Route) and r.name.startswith("awards:")
    }
    assert names == set(MATRIX)


async def _people(cycle_phase: str, published: bool) -> tuple[dict, dict[str, object]]:
    organizer, other_organizer = await make_user(), await make_user()
    cycle = await make_cycle(phase=cycle_phase, published=published, organizer=organizer)
    await make_cycle(phase=cycle_phase, organizer=other_organizer)
    category = await make_category(cycle)
    nominator, judge = await make_user(), await make_user()
    nomination = await Nomination.create(
        cycle=cycle, category=category, created_by=nominator, state=NominationState.SUBMITTED
    )
    await NominationCredit.create(nomination=nomination, user=nominator)
    await grant(judge, Role.JUDGE, ScopeType.AWARD_CYCLE, cycle.id)
    ruled = await Nomination.create(
        cycle=cycle, category=category, created_by=nominator, state=NominationState.INELIGIBLE
    )
    ruling = await ScreeningRuling.create(
        nomination=ruled, ruling=Ruling.INELIGIBLE, ruled_by=organizer, ruled_at=now()
    )
    appeal = await Appeal.create(
        nomination=ruled, ruling=ruling, statement="…", filed_by=nominator, filed_at=now()
    )
    merged = await Nomination.create(
        cycle=cycle, category=category, created_by=nominator, state=NominationState.MERGED
    )
    merge = await NominationMerge.create(
        cycle=cycle,
        kept=nomination,
        merged=merged,
        reason=MergeReason.CONFIRMED,
        previous_state=NominationState.SUBMITTED,
        merged_at=now(),
    )
    people = {
        "anonymous": None,
        "outsider": await make_user(),
        "nominator": nominator,
        "judge": judge,
        "organizer": organizer,
        "other_organizer": other_organizer,
        "admin": await make_user(admin=True),
    }
    reason = await ScreeningReason.filter(cycle=cycle).first()
    ids = {"slug": cycle.slug, "category": category.id, "reason": reason.id}
    for name in ("question", "doomed"):
        asked = await CategoryQuestion.create(category=category, kind="short_text", label_en=name)
        ids[name] = asked.id
    # the final vote: a category with a finalist, and the judge seated on the cycle's jury
    voted = await make_category(cycle, public_vote=True)
    finalist = await Nomination.create(
        cycle=cycle, category=voted, created_by=nominator, state=NominationState.ELIGIBLE
    )
    await ShortlistedNomination.create(category=voted, nomination=finalist, rank=1)
    await Judge.create(
        scope_type=ScopeType.AWARD_CYCLE.value,
        scope_id=cycle.id,
        email=judge.email,
        user=judge,
        state=JudgeState.ACCEPTED,
        token_hash=f"matrix-{cycle.id}",
    )
    ids["voted"] = voted.id
    return {**ids, "nomination": nomination.id, "appeal": appeal.id, "merge": merge.id}, people


async def _statuses(
    app,  # noqa: ANN001
    ids: dict,
    people: dict[str, object],
    only: set[str] | None = None,
) -> dict[tuple[str, str], int]:
    found = {}
    for who, user in people.items():
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            if user is not None:
                await sign_in(client, user)
            token = CSRF_INPUT.search((await client.get("/login")).text).group(1)
            for name, row in MATRIX.items():
                if only is not None and name not in only:
                    continue
                method, _sep, url = row[0].rpartition(" ")
                url, form = url.format(**ids), row[3] if len(row) > 3 else None
                if method == "POST" or form is not None:
                    data = {k: v.format(**ids) for k, v in (form or {}).items()}
                    response = await client.post(url, data={"csrf_token": token, **data})
                else:
                    response = await client.get(url)
                found[(name, who)] = response.status_code
    return found


def _expected(spec, phase: str, who: str) -> int:  # noqa: ANN001
    """A row's status: one for everyone, per person (a dict), per phase (a dict in it), or a
    function of (phase, person)."""
    if callable(spec):
        return spec(phase, who)
    spec = spec[who] if isinstance(spec, dict) else spec
    return spec[phase] if isinstance(spec, dict) else spec


@pytest.mark.parametrize("phase", PHASES)
async def test_every_route_for_every_person_in_every_phase(app, phase):
    ids, people = await _people(phase, published=True)
    statuses = await _statuses(app, ids, people)
    wrong = [
        f"{name} as {who}: {status}, expected {_expected(MATRIX[name][1], phase, who)}"
        for (name, who), status in statuses.items()
        if status != _expected(MATRIX[name][1], phase, who)
    ]
    assert wrong == []


@pytest.mark.parametrize("phase", PHASES)
async def test_a_draft_is_hidden_from_everyone_but_its_organizers(app, phase):
    ids, people = await _people(phase, published=False)
    statuses = await _statuses(app, ids, people)
    wrong = [
        f"{name} as {who}: {status}, expected {_expected(MATRIX[name][2], phase, who)}"
        for (name, who), status in statuses.items()
        if status != _expected(MATRIX[name][2], phase, who)
    ]
    assert wrong == []


@pytest.mark.parametrize("phase", VOTE_PHASES)
async def test_the_public_vote_in_its_phases(app, phase):
    """The public vote's pages while voting is open and once it has closed."""
    ids, people = await _people(phase, published=True)
    names = {n for n in MATRIX if n.startswith(("awards:fraud_", "awards:votes"))}
    statuses = await _statuses(app, ids, people, only=names)
    wrong = [
        f"{name} as {who}: {status}, expected {_expected(MATRIX[name][1], phase, who)}"
        for (name, who), status in statuses.items()
        if status != _expected(MATRIX[name][1], phase, who)
    ]
    assert wrong == []
