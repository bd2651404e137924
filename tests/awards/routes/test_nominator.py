"""The nominator's pages: from the cycle page to the nomination form (signing in on the way),
drafts and submits with the receipt mail, every refusal shown on the form in the reader's
language with what was typed kept, a double-click, "my nominations", a nomination's page and
the appeal of an ineligible ruling."""

from __future__ import annotations

import asyncio
import datetime as dt
import re

import httpx
import pytest

from accounts.enums import Role, ScopeType
from awards.enums import AppealState, EvidenceField, NominationState, Ruling
from awards.models import Appeal, Nomination, NominationFile, NominationVersion
from awards.services import nominations, screening
from core import clock
from core.i18n import use_locale
from core.storage import StoredFile, upload_dir
from tests.awards.factories import DAY, colleague, make_category, make_cycle
from tests.conftest import body, csrf, post_form
from tests.events.factories import QueryCounter, error_of, text_of, value_of
from tests.events.samples import PDF
from tests.factories import grant, make_user, sign_in


@pytest.fixture(autouse=True)
def pages_in_their_own_language():  # noqa: ANN201
    """Pages take their language from the request (the award tests' English default is for
    services only)."""
    yield


FIELDS = {
    "nominee": "other",
    "relation": "colleague",
    "nominee_name_ar": "سارة المطيري",
    "nominee_name_en": "Sara Almutairi",
    "nominee_email": "sara@news.example.sa",
    "nominee_organization": "Al-Riyadh Daily",
    "nominee_language": "ar",
    "work_title": "Who drinks the water?",
    "work_outlet": "Al-Riyadh Daily",
    "work_published_on": "2026-03-01",
    "work_links": "https://news.example.sa/water",
    "statement": "A year-long investigation into water tankers.",
}


def location(response: httpx.Response) -> str:
    assert response.status_code == 303, response.text[:2000]
    return response.headers["location"].removeprefix("http://testserver")


async def _form_key(client: httpx.AsyncClient, url: str) -> tuple[str, str]:
    page = await client.get(url)
    assert page.status_code == 200, page.text[:2000]
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    key = re.search(r'name="form_key" value="([^"]+)"', page.text)
    assert token and key
    return token[1], key[1]


async def _post(
    client: httpx.AsyncClient, url: str, action: str = "submit", files=None, **fields: str
) -> httpx.Response:  # noqa: ANN001
    token, key = await _form_key(client, url)
    data = {"csrf_token": token, **FIELDS, **fields, "form_key": key, "action": action}
    return await client.post(url, data=data, files=files or {"files": ("", b"", "")})


async def _setup(lang: str = "en", **category_fields):  # noqa: ANN003, ANN202
    cycle = await make_cycle()
    category = await make_category(
        cycle, name_en="Documentary", name_ar="الفيلم الوثائقي", **category_fields
    )
    user = await make_user("reem@example.org", language=lang, name_en="Reem", name_ar="ريم")
    return cycle, category, user


async def test_a_signed_out_visitor_is_sent_to_sign_in_and_comes_back_to_the_form(client):
    cycle, category, user = await _setup()
    detail = await client.get(f"/awards/{cycle.slug}?lang=en")
    url = f"/awards/{cycle.slug}/nominate/{category.id}"
    assert f'href="http://testserver{url}"' in detail.text
    assert "Nominate in Documentary" in text_of(detail.text)

    asked = await client.get(url)
    assert location(asked) == f"/login?next={url.replace('/', '%2F')}"
    signed_in = await post_form(
        client, "/login", {"email": user.email, "password": "correct horse battery", "next": url}
    )
    assert location(signed_in) == url
    form = await client.get(url)
    assert form.status_code == 200
    assert "Nominate · Documentary" in text_of(form.text)


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("en", "Verify your e-mail address before you nominate"),
        ("ar", "أكّد بريدك الإلكتروني قبل أن ترشّح"),
    ],
)
async def test_an_unverified_address_is_told_to_verify_first(client, lang, said):
    cycle, category, user = await _setup(lang)
    await sign_in(client, user)
    user.email_verified_at = None
    await user.save()
    refused = await client.get(f"/awards/{cycle.slug}/nominate/{category.id}")
    assert refused.status_code == 403
    assert said in text_of(refused.text)
    detail = await client.get(f"/awards/{cycle.slug}")
    assert said in text_of(detail.text)
    assert 'data-testid="nominate"' in detail.text  # the way stays visible, the form explains


async def test_a_colleague_is_nominated_and_the_receipt_carries_the_fingerprint(
    client, deliver, smtp_sink
):
    cycle, category, user = await _setup()
    await sign_in(client, user)
    sent = await _post(client, f"/awards/{cycle.slug}/nominate/{category.id}")
    row = await Nomination.get()
    assert location(sent) == f"/me/nominations/{row.id}"
    assert row.state == NominationState.AWAITING_NOMINEE
    assert (row.nominee_name_en, row.work_links) == (
        "Sara Almutairi",
        ["https://news.example.sa/water"],
    )
    page = await client.get(location(sent))
    text = text_of(page.text)
    assert f"Version 1 of your nomination is submitted. Fingerprint: {row.fingerprint}." in text
    assert "Submitted: waiting for the nominee to accept" in text
    assert row.fingerprint in page.text and "Version 1" in text

    await deliver()
    (receipt,) = smtp_sink.to("reem@example.org")
    assert receipt["Subject"] == "Receipt: your nomination of Sara Almutairi, version 1"
    assert row.fingerprint in body(receipt)
    assert f"http://testserver/me/nominations/{row.id}" in body(receipt)
    assert len(smtp_sink.to("sara@news.example.sa")) == 1  # the nominee is asked to accept

    mine = text_of((await client.get("/me/awards")).text)
    assert "Sara Almutairi" in mine and "Documentary" in mine
    assert "Submitted: waiting for the nominee to accept" in mine
    assert "My nominations" in text_of((await client.get("/")).text)  # in the header


async def test_a_draft_is_kept_listed_and_submitted_later(client):
    cycle, category, user = await _setup("ar")
    await sign_in(client, user)
    saved = await _post(
        client, f"/awards/{cycle.slug}/nominate/{category.id}", action="save", statement=""
    )
    row = await Nomination.get()
    assert location(saved) == f"/me/nominations/{row.id}/edit"
    assert row.state == NominationState.DRAFT and await NominationVersion.all().count() == 0
    edit = await client.get(location(saved))
    assert "حُفظت المسودة" in text_of(edit.text)
    assert value_of(edit.text, "work_title") == "Who drinks the water?"
    mine = await client.get("/me/awards")
    assert "مسودة: لم تُرسل" in text_of(mine.text)
    assert f'href="http://testserver/me/nominations/{row.id}/edit"' in mine.text

    token = re.search(r'name="csrf_token" value="([^"]+)"', edit.text)[1]
    sent = await client.post(
        location(saved),
        data={"csrf_token": token, **FIELDS, "action": "submit", "work_title": "Tankers"},
        files={"files": ("", b"", "")},
    )
    assert location(sent) == f"/me/nominations/{row.id}"
    await row.refresh_from_db()
    assert (row.state, row.work_title, row.version_count) == (
        NominationState.AWAITING_NOMINEE,
        "Tankers",
        1,
    )
    assert await Nomination.all().count() == 1


async def test_my_nominations_follow_the_clock_and_each_change_on_the_next_visit(client):
    """The page is kept by its read and the rules' answers (awards.views.SHOWN_PAGES): the
    draft's link goes when nominations close by the clock alone (no write), and a renamed
    work shows on the very next visit."""
    cycle, category, user = await _setup("en")
    await sign_in(client, user)
    saved = await _post(
        client, f"/awards/{cycle.slug}/nominate/{category.id}", action="save", statement=""
    )
    row = await Nomination.get()
    edit = f'href="http://testserver/me/nominations/{row.id}/edit"'
    mine = await client.get("/me/awards")
    assert location(saved) == f"/me/nominations/{row.id}/edit"
    assert edit in mine.text and "Who drinks the water?" in text_of(mine.text)
    row.work_title = "Tankers at dawn"
    await row.save()
    mine = await client.get("/me/awards")
    assert "Tankers at dawn" in text_of(mine.text) and "Who drinks the water?" not in mine.text
    clock.travel(cycle.nominations_close - clock.now() + dt.timedelta(seconds=1))
    mine = await client.get("/me/awards")
    assert "Tankers at dawn" in text_of(mine.text) and edit not in mine.text


@pytest.mark.parametrize("lang", ["en", "ar"])
async def test_each_refusal_is_shown_on_the_form_with_what_was_typed_kept(client, lang):
    cycle, category, user = await _setup(
        lang,
        self_nomination=False,
        published_from=dt.date(2026, 1, 1),
        published_until=dt.date(2026, 12, 31),
        required_fields=[EvidenceField.STATEMENT.value],
        min_links=2,
        file_kinds=["pdf"],
        min_files=1,
    )
    await sign_in(client, user)
    url = f"/awards/{cycle.slug}/nominate/{category.id}"
    with use_locale(lang):
        from core.i18n import gettext as _

        window = _(
            "This category accepts works published from %(start)s to %(end)s; this work is "
            "dated %(day)s. Nothing was saved.",
            start="",
            end="",
            day="",
        ).split("%")[0][:20]
        required = _("This category requires this field.")
        links = _("This category asks for at least %(n)s links to the work.", n=2)
        files = _(
            "This category asks for at least %(n)s files; this nomination has %(have)s.",
            n=1,
            have=0,
        )
        self_refused = _("This category does not accept self-nominations. Nothing was saved.")
        again = _(
            "The form has errors, so this file was not kept: choose it again before you save."
        )

    # the work's date outside the window, no statement, one link, no file
    response = await _post(client, url, work_published_on="2025-06-01", statement="")
    assert response.status_code == 422
    assert error_of(response.text, "work_published_on").startswith(window)
    assert error_of(response.text, "statement") == required
    assert error_of(response.text, "work_links") == links
    assert error_of(response.text, "files") == files
    assert value_of(response.text, "nominee_name_ar") == "سارة المطيري"
    assert value_of(response.text, "work_published_on") == "2025-06-01"

    # a self-nomination where the category forbids it (the nominator's own address)
    response = await _post(client, url, nominee_email=user.email)
    assert response.status_code == 422
    assert error_of(response.text, "self_nomination") == self_refused
    assert value_of(response.text, "nominee_email") == user.email

    # a file that is not what it claims, and one chosen on a form sent back: named again
    response = await _post(
        client,
        url,
        work_links="https://a.example/1\nhttps://a.example/2",
        files=[("files", ("تقرير.pdf", b"<html>not a pdf</html>", "application/pdf"))],
    )
    assert response.status_code == 422
    assert error_of(response.text, "files")
    choose = re.search(r'data-testid="choose-again-files">(.*?)</p>', response.text, re.S)
    assert choose and text_of(choose[1]) == f"{again} تقرير.pdf"
    assert value_of(response.text, "work_links") == "https://a.example/1\nhttps://a.example/2"

    assert await Nomination.all().count() == 0
    assert await StoredFile.all().count() == 0


async def test_the_category_limit_and_the_deadline_refuse_on_the_form(client):
    cycle, category, user = await _setup(max_per_nominator=1)
    await sign_in(client, user)
    url = f"/awards/{cycle.slug}/nominate/{category.id}"
    assert (await _post(client, url)).status_code == 303
    over = await _post(
        client, url, nominee_email="omar@example.org", work_links="https://b.example/x"
    )
    assert over.status_code == 422
    assert "You have made 1 nominations in this category, the most it allows." in text_of(over.text)
    assert value_of(over.text, "nominee_email") == "omar@example.org"

    token, key = await _form_key(client, url)
    clock.travel(cycle.nominations_close - clock.now() + dt.timedelta(seconds=1))
    late = await client.post(
        url,
        data={
            "csrf_token": token,
            **FIELDS,
            "form_key": key,
            "action": "submit",
            "nominee_email": "late@example.org",
        },
        files=[("files", ("late.pdf", PDF, "application/pdf"))],
    )
    assert late.status_code == 409
    assert "Nominations closed on" in text_of(late.text)
    assert value_of(late.text, "nominee_email") == "late@example.org"
    assert "late.pdf" in text_of(late.text)
    assert await Nomination.all().count() == 1
    assert await StoredFile.all().count() == 0
    assert (await client.get(url)).status_code == 409


async def test_a_double_click_makes_one_nomination(client, deliver, smtp_sink):
    cycle, category, user = await _setup()
    await sign_in(client, user)
    url = f"/awards/{cycle.slug}/nominate/{category.id}"
    token, key = await _form_key(client, url)
    data = {"csrf_token": token, **FIELDS, "form_key": key, "action": "submit"}
    first, second = await asyncio.gather(
        client.post(url, data=data, files={"files": ("", b"", "")}),
        client.post(url, data=data, files={"files": ("", b"", "")}),
    )
    assert {first.status_code, second.status_code} == {303}
    row = await Nomination.get()
    assert location(first) == location(second) == f"/me/nominations/{row.id}"
    assert (row.version_count, await NominationVersion.all().count()) == (1, 1)
    await deliver()
    assert len(smtp_sink.to("reem@example.org")) == 1

    # a draft saved twice at once is one draft too
    token, key = await _form_key(client, url)
    data = {**data, "csrf_token": token, "form_key": key, "action": "save"}
    data["nominee_email"] = "omar@example.org"
    saves = await asyncio.gather(
        *(client.post(url, data=data, files={"files": ("", b"", "")}) for _ in range(2))
    )
    assert [r.status_code for r in saves] == [303, 303]
    assert await Nomination.filter(state=NominationState.DRAFT).count() == 1


async def test_a_double_click_with_a_file_attaches_it_once(client, settings):
    cycle, category, user = await _setup()
    await sign_in(client, user)
    url = f"/awards/{cycle.slug}/nominate/{category.id}"
    token, key = await _form_key(client, url)
    data = {"csrf_token": token, **FIELDS, "form_key": key, "action": "submit"}
    responses = await asyncio.gather(
        *(
            client.post(url, data=data, files={"files": ("report.pdf", PDF, "application/pdf")})
            for _ in range(2)
        )
    )
    assert [r.status_code for r in responses] == [303, 303]
    row = await Nomination.get()
    assert await NominationFile.filter(nomination=row).count() == 1
    assert (row.version_count, await NominationVersion.all().count()) == (1, 1)
    page = text_of((await client.get(f"/me/nominations/{row.id}")).text)
    assert page.count("report.pdf") == 1
    # the second copy of the file is not left behind, in the database or on disk
    assert await StoredFile.all().count() == 1
    directory = upload_dir(settings)
    assert len([p for p in directory.rglob("*") if p.is_file()]) == 1


async def test_files_are_kept_and_offered_to_the_nominator(client):
    cycle, category, user = await _setup(file_kinds=["pdf"])
    await sign_in(client, user)
    sent = await _post(
        client,
        f"/awards/{cycle.slug}/nominate/{category.id}",
        files=[("files", ("الملف.pdf", PDF, "application/pdf"))],
    )
    link = await NominationFile.get().select_related("file")
    page = await client.get(location(sent))
    assert f"/files/{link.file_id}" in page.text and "الملف.pdf" in page.text
    assert (await client.get(f"/files/{link.file_id}")).content == PDF
    client.cookies.clear()
    await sign_in(client, await make_user())
    assert (await client.get(f"/files/{link.file_id}")).status_code == 404
    assert (await client.get(location(sent))).status_code == 404
    organizer = await make_user()
    await grant(organizer, Role.ORGANIZER, ScopeType.AWARD_CYCLE, cycle.id)
    client.cookies.clear()
    await sign_in(client, organizer)  # the cycle's organizers read every nomination's files
    assert (await client.get(f"/files/{link.file_id}")).content == PDF


async def _ineligible(settings, lang: str = "en"):  # noqa: ANN001, ANN202
    cycle, category, user = await _setup(lang)
    saved = await nominations.save_nomination(
        settings, user, category, colleague(self_nomination=True, nominee_email=""), submit=True
    )
    organizer = await make_user(admin=True)
    clock.travel(cycle.nominations_close - clock.now() + DAY)
    await screening.rule(
        settings,
        organizer,
        cycle,
        [saved.nomination.id],
        ruling=Ruling.INELIGIBLE,
        reason_code="WINDOW",
        note="Published in 2024.",
    )
    return cycle, saved.nomination, user


@pytest.mark.parametrize(
    ("lang", "reason", "appealed"),
    [
        ("en", "The work was published outside the window", "Appeal filed: waiting for a decision"),
        ("ar", "نُشر العمل خارج فترة الأهلية", "قُدّم التظلم: بانتظار القرار"),
    ],
)
async def test_an_ineligible_ruling_is_shown_with_its_reason_and_appealed_once(
    client, settings, lang, reason, appealed
):
    cycle, row, user = await _ineligible(settings, lang)
    await sign_in(client, user)
    mine = await client.get("/me/awards")
    text = text_of(mine.text)
    assert reason in text and "Published in 2024." in text
    appeal_url = f"/me/nominations/{row.id}/appeal"
    assert f'href="http://testserver{appeal_url}"' in mine.text

    empty = await post_form(client, appeal_url, {"statement": "  "}, page=appeal_url)
    assert empty.status_code == 422 and not await Appeal.exists()
    long = await post_form(client, appeal_url, {"statement": "x" * 5001}, page=appeal_url)
    assert long.status_code == 422 and not await Appeal.exists()
    assert "Use at most 5000 characters" in text_of(long.text) or "5000" in text_of(long.text)
    filed = await post_form(
        client, appeal_url, {"statement": "It aired on 3 January 2026."}, page=appeal_url
    )
    assert location(filed) == f"/me/nominations/{row.id}"
    appeal = await Appeal.get()
    assert (appeal.statement, appeal.state) == ("It aired on 3 January 2026.", AppealState.PENDING)
    page = text_of((await client.get(f"/me/nominations/{row.id}")).text)
    assert appealed in page and "It aired on 3 January 2026." in page
    mine = await client.get("/me/awards")
    assert appeal_url not in mine.text  # no second button

    token = await csrf(client, f"/me/nominations/{row.id}")
    again = await client.post(appeal_url, data={"csrf_token": token, "statement": "Once more"})
    assert again.status_code == 409
    with use_locale(lang):
        from core.i18n import gettext as _

        once = _("This ruling was already appealed: a nomination can be appealed once.")
    assert once in text_of(again.text)
    assert await Appeal.all().count() == 1


async def test_an_appeal_after_the_deadline_is_refused(client, settings):
    cycle, row, user = await _ineligible(settings)
    await sign_in(client, user)
    appeal_url = f"/me/nominations/{row.id}/appeal"
    token = await csrf(client, appeal_url)
    assert appeal_url in (await client.get("/me/awards")).text
    clock.travel(cycle.appeals_close - clock.now())
    late = await client.post(appeal_url, data={"csrf_token": token, "statement": "Late"})
    assert late.status_code == 409
    assert "Appeals closed on" in text_of(late.text)
    assert not await Appeal.exists()
    assert appeal_url not in (await client.get("/me/awards")).text
    assert (await client.get(appeal_url)).status_code == 409


async def test_a_submitted_nomination_changed_is_a_new_version_on_its_page(client):
    cycle, category, user = await _setup()
    await sign_in(client, user)
    sent = await _post(client, f"/awards/{cycle.slug}/nominate/{category.id}")
    row = await Nomination.get()
    edit_url = f"/me/nominations/{row.id}/edit"
    edit = await client.get(edit_url)
    assert 'data-testid="save-draft"' not in edit.text  # a submitted one is only resubmitted
    assert "Submitting your changes records a new version" in text_of(edit.text)
    token = re.search(r'name="csrf_token" value="([^"]+)"', edit.text)[1]
    changed = await client.post(
        edit_url,
        data={"csrf_token": token, **FIELDS, "statement": "Now with the ministry's answer."},
        files={"files": ("", b"", "")},
    )
    assert location(changed) == location(sent)
    page = text_of((await client.get(location(sent))).text)
    first, second = await NominationVersion.filter(nomination=row).order_by("number")
    assert "Version 2 of your nomination is submitted." in page
    assert first.fingerprint in page and second.fingerprint in page
    assert "Now with the ministry's answer." in page

    client.cookies.clear()
    await sign_in(client, await make_user())
    assert (await client.get(edit_url)).status_code == 404
    organizer = await make_user(admin=True)
    client.cookies.clear()
    await sign_in(client, organizer)
    assert (await client.get(location(sent))).status_code == 200
    assert (await client.get(edit_url)).status_code == 403


async def test_a_second_nominator_of_the_same_nominee_joins_the_first_nomination(client):
    cycle, category, first = await _setup()
    await sign_in(client, first)
    url = f"/awards/{cycle.slug}/nominate/{category.id}"
    sent = await _post(client, url)
    kept = await Nomination.get()
    second = await make_user("huda@example.org", language="en", name_en="Huda")
    client.cookies.clear()
    await sign_in(client, second)
    joined = await _post(client, url, work_links="https://other.example/story")
    assert location(joined) == location(sent) == f"/me/nominations/{kept.id}"
    page = text_of((await client.get(location(joined))).text)
    assert "your nomination has joined that one" in page
    assert "Reem" in page and "Huda" in page  # both credited
    mine = text_of((await client.get("/me/awards")).text)
    assert "Sara Almutairi" in mine


ODD_VALUES = (
    "\x00",
    "x" * 100_000,
    "1e309",
    "9" * 30,
    "<script>alert(1)</script>{{ 7*7 }}",
    "0001-01-01",
    "9999-12-31",
    "٢٠٢٦-٠٣-٠١",
    "-1",
    "",
)


async def test_odd_values_in_the_nomination_and_appeal_forms_give_no_500(client, settings):
    cycle, row, user = await _ineligible(settings)
    clock.travel(cycle.nominations_open + DAY - clock.now())  # nominations open again
    category = await make_category(cycle)
    await sign_in(client, user)
    url = f"/awards/{cycle.slug}/nominate/{category.id}"
    token, key = await _form_key(client, url)
    names = [*FIELDS, "nominee", "form_key", "action"]
    for shift in range(len(ODD_VALUES)):
        data = {n: ODD_VALUES[(k + shift) % len(ODD_VALUES)] for k, n in enumerate(names)}
        for target in (url, f"/me/nominations/{row.id}/appeal"):
            response = await client.post(
                target, data={"csrf_token": token, **data}, files={"files": ("", b"", "")}
            )
            assert response.status_code < 500, (target, shift)
    assert await Nomination.all().count() <= 1 + len(ODD_VALUES)


async def test_a_file_comes_off_a_draft_but_a_submitted_nomination_keeps_its_files(client):
    cycle, category, user = await _setup(file_kinds=["pdf"])
    await sign_in(client, user)
    saved = await _post(
        client,
        f"/awards/{cycle.slug}/nominate/{category.id}",
        action="save",
        files=[("files", ("draft.pdf", PDF, "application/pdf"))],
    )
    edit_url = location(saved)
    link = await NominationFile.get()
    remove = f"{edit_url.removesuffix('/edit')}/files/{link.id}/delete"
    assert remove in (await client.get(edit_url)).text
    removed = await post_form(client, remove, {}, page=edit_url)
    assert location(removed) == edit_url
    assert "The file has been removed." in text_of((await client.get(edit_url)).text)
    assert not await NominationFile.exists() and not await StoredFile.exists()

    sent = await _post(
        client,
        f"/awards/{cycle.slug}/nominate/{category.id}",
        nominee_email="omar@example.org",
        work_links="https://b.example/x",
        files=[("files", ("kept.pdf", PDF, "application/pdf"))],
    )
    row = await Nomination.get(nominee_email="omar@example.org")
    kept = await NominationFile.get(nomination=row)
    edit = await client.get(f"/me/nominations/{row.id}/edit")
    assert 'data-testid="remove-file"' not in edit.text
    refused = await post_form(
        client, f"/me/nominations/{row.id}/files/{kept.id}/delete", {}, page=location(sent)
    )
    assert refused.status_code == 409
    assert "A submitted nomination keeps its files" in text_of(refused.text)
    assert await NominationFile.filter(nomination=row).count() == 1


async def test_my_nominations_reads_in_two_statements_with_rulings_and_appeals(client, settings):
    """ "My nominations" is made on every visit: the person, then one statement for their
    nominations with cycle, category, latest ruling and its reason, appeal and shortlist place,
    and the juries whose final vote is open to them (mine.MY_PAGE), whatever their number."""
    _cycle, row, user = await _ineligible(settings)
    await sign_in(client, user)
    await client.get("/me/awards")
    with QueryCounter() as counter:
        mine = await client.get("/me/awards")
    text = text_of(mine.text)
    assert "The work was published outside the window" in text and "Published in 2024." in text
    assert f'href="http://testserver/me/nominations/{row.id}/appeal"' in mine.text
    assert "Appeals close on" in text
    assert counter.count == 2, counter.statements

    await screening.file_appeal(settings, user, row, statement="It aired on 3 January 2026.")
    with QueryCounter() as counter:
        mine = await client.get("/me/awards")
    text = text_of(mine.text)
    assert "Appeal filed: waiting for a decision" in text and "Published in 2024." in text
    assert f"/me/nominations/{row.id}/appeal" not in mine.text and "Appeals close on" not in text
    assert counter.count == 2, counter.statements
