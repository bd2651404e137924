"""Admin pages: the outbox (list with state filter, recipient search, counts per state, pages;
one mail's detail) and the audit log (filters, pages). Only site admins see them."""

from __future__ import annotations

import datetime as dt
import re
from html import unescape
from html.parser import HTMLParser
from urllib.parse import quote

import pytest

from core import audit
from core.audit import AuditEntry
from core.clock import now
from core.mail.models import MailState, OutboxMessage
from tests.factories import make_user, sign_in

NOT_FOUND_AR = "هذه الصفحة غير موجودة أو غير متاحة لك."
LABELS = {
    "ar": {"queued": "في الانتظار", "sending": "قيد الإرسال", "sent": "أُرسلت", "failed": "فشل"},
    "en": {"queued": "Waiting", "sending": "Sending", "sent": "Sent", "failed": "Failed"},
}


class Table(HTMLParser):
    """The text of each cell of each body row of the page's table (and the state counts)."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self.counts: dict[str, str] = {}
        self._cell: list[str] | None = None
        self._count_state: str | None = None
        self._in_body = False
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "tbody":
            self._in_body = True
        elif tag == "tr" and self._in_body:
            self.rows.append([])
        elif tag == "td" and self._in_body:
            self._cell = []
        elif tag == "li" and dict(attrs).get("data-state"):
            self._count_state = dict(attrs)["data-state"]
            self._cell = []
        elif tag in {"dt", "dd"} and self._cell is not None:
            self._cell.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag == "tbody":
            self._in_body = False
        elif tag == "td" and self._cell is not None:
            self.rows[-1].append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "li" and self._count_state:
            self.counts[self._count_state] = " ".join("".join(self._cell or []).split())
            self._count_state, self._cell = None, None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def next_link(html: str) -> str:
    match = re.search(r'<a href="([^"]+)" rel="next">', html)
    assert match, "no link to the next page"
    return unescape(match.group(1))


async def mail(
    recipient: str, subject: str, state: MailState = MailState.QUEUED, **fields: object
) -> OutboxMessage:
    return await OutboxMessage.create(
        recipient=recipient,
        locale=fields.pop("locale", "ar"),
        template="accounts/verify_email",
        subject=subject,
        body_text=fields.pop("body_text", f"{subject}\n"),
        state=state,
        next_attempt_at=now(),
        **fields,
    )


@pytest.fixture
async def admin(client):
    user = await make_user("admin@example.org", admin=True, language="ar")
    await sign_in(client, user)
    return user


# --- who may see the pages ---------------------------------------------------------------------

ADMIN_URLS = ["/admin/outbox?state=failed", "/admin/outbox/1", "/admin/audit?action=x"]


@pytest.mark.parametrize("url", ADMIN_URLS)
async def test_anonymous_visitors_are_asked_to_sign_in(client, url):
    await mail("amal@example.org", "تأكيد البريد")

    response = await client.get(url)

    assert response.status_code == 303
    assert response.headers["location"] == f"http://testserver/login?next={quote(url, safe='')}"


@pytest.mark.parametrize("url", ADMIN_URLS)
async def test_signed_in_non_admins_see_not_found(client, url):
    await mail("amal@example.org", "تأكيد البريد", MailState.FAILED)
    await sign_in(client, await make_user("member@example.org"))

    response = await client.get(url)

    assert response.status_code == 404
    assert NOT_FOUND_AR in response.text
    assert "amal@example.org" not in response.text


# --- the outbox -------------------------------------------------------------------------------


async def seed_states() -> None:
    await mail("amal@example.org", "تأكيد عنوان بريدك", MailState.SENT, attempts=1, sent_at=now())
    await mail(
        "john@example.org",
        "Confirm your address",
        MailState.FAILED,
        attempts=1,
        last_error="550 5.1.1 No such user here",
        locale="en",
    )
    await mail("sara@example.org", "إعادة تعيين كلمة المرور", MailState.QUEUED)


@pytest.mark.parametrize("lang", ["ar", "en"])
async def test_admin_sees_every_mail_with_its_state_in_their_language(client, admin, lang):
    await seed_states()

    response = await client.get(f"/admin/outbox?lang={lang}")

    assert response.status_code == 200
    assert f'<html lang="{lang}"' in response.text
    page = Table(response.text)
    labels = LABELS[lang]
    assert [row[1:5] for row in page.rows] == [  # newest first
        ["sara@example.org", "إعادة تعيين كلمة المرور", labels["queued"], "0"],
        ["john@example.org", "Confirm your address", labels["failed"], "1"],
        ["amal@example.org", "تأكيد عنوان بريدك", labels["sent"], "1"],
    ]
    assert page.rows[1][6] == "550 5.1.1 No such user here"
    assert page.counts == {
        "queued": f"{labels['queued']} 1",
        "sending": f"{labels['sending']} 0",
        "sent": f"{labels['sent']} 1",
        "failed": f"{labels['failed']} 1",
    }


async def test_outbox_state_filter_keeps_the_counts_of_every_state(client, admin):
    await seed_states()
    await mail("late@example.org", "Confirm", MailState.FAILED, locale="en")

    response = await client.get("/admin/outbox?state=failed")

    page = Table(response.text)
    assert [row[1] for row in page.rows] == ["late@example.org", "john@example.org"]
    assert '<option value="failed" selected>فشل (2)</option>' in response.text
    assert page.counts["sent"] == "أُرسلت 1"


async def test_outbox_recipient_search_ignores_case(client, admin):
    await seed_states()

    response = await client.get("/admin/outbox?q=JOHN@example")

    assert [row[1] for row in Table(response.text).rows] == ["john@example.org"]
    assert 'name="q" type="search" value="JOHN@example"' in response.text


async def test_outbox_says_so_when_nothing_matches(client, admin):
    await seed_states()

    response = await client.get("/admin/outbox?q=nobody")

    assert Table(response.text).rows == []
    assert "لا توجد رسائل مطابقة." in response.text


async def test_outbox_pages_by_fifty_and_keeps_the_filter(client, admin):
    for n in range(55):
        await mail(f"p{n:02}@example.org", f"رسالة {n}")
    await mail("other@example.org", "sent one", MailState.SENT)

    first = await client.get("/admin/outbox?state=queued")
    second = await client.get(next_link(first.text))

    first_rows, second_rows = Table(first.text).rows, Table(second.text).rows
    assert len(first_rows) == 50
    assert first_rows[0][1] == "p54@example.org"
    assert "الصفحة 1 من 2" in first.text
    assert next_link(first.text) == "http://testserver/admin/outbox?state=queued&q=&page=2"
    assert [row[1] for row in second_rows] == [f"p{n:02}@example.org" for n in range(4, -1, -1)]
    assert "الصفحة 2 من 2" in second.text


async def test_outbox_ignores_filter_values_it_does_not_know(client, admin):
    await seed_states()

    response = await client.get("/admin/outbox?state=bogus&page=abc")

    assert response.status_code == 200
    assert len(Table(response.text).rows) == 3


async def test_outbox_escapes_what_mails_contain(client, admin):
    await mail(
        "x@example.org",
        "<script>alert(1)</script>",
        MailState.FAILED,
        last_error="<img src=x onerror=alert(2)>",
    )

    response = await client.get("/admin/outbox")

    assert "<script>alert(1)</script>" not in response.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.text
    assert "<img src=x" not in response.text


async def test_outbox_detail_shows_the_text_of_the_mail(client, admin):
    row = await mail(
        "john@example.org",
        "Confirm your address",
        MailState.FAILED,
        locale="en",
        attempts=3,
        body_text="Hello John,\n\nhttp://testserver/verify/abc\n",
        last_error="550 5.1.1 No such user here",
    )

    response = await client.get(f"/admin/outbox/{row.id}")

    assert response.status_code == 200
    text = response.text
    assert '<h1 dir="auto">Confirm your address</h1>' in text
    assert (
        '<pre class="mail-body" lang="en" dir="ltr">Hello John,\n\n'
        "http://testserver/verify/abc\n</pre>"
    ) in text
    assert '<dt>المستلم</dt><dd dir="ltr">john@example.org</dd>' in text
    assert "<dt>اللغة</dt><dd>English</dd>" in text
    assert '<span class="badge badge-failed">فشل</span>' in text
    assert '<dt>آخر خطأ</dt><dd dir="ltr">550 5.1.1 No such user here</dd>' in text
    assert 'href="http://testserver/admin/outbox">العودة إلى صندوق الصادر</a>' in text


async def test_outbox_detail_of_an_arabic_mail_reads_right_to_left(client, admin):
    row = await mail("amal@example.org", "تأكيد عنوان بريدك", body_text="مرحبًا أمل،\n")

    response = await client.get(f"/admin/outbox/{row.id}?lang=en")

    assert '<pre class="mail-body" lang="ar" dir="rtl">مرحبًا أمل،\n</pre>' in response.text
    assert "<dt>Language</dt><dd>العربية</dd>" in response.text
    assert '<span class="badge badge-queued">Waiting</span>' in response.text


async def test_outbox_detail_of_a_missing_mail_is_not_found(client, admin):
    response = await client.get("/admin/outbox/999")

    assert response.status_code == 404
    assert NOT_FOUND_AR in response.text


# --- the audit log ----------------------------------------------------------------------------


async def entry(
    at: dt.datetime,
    action: str,
    actor=None,
    object_type: str = "Event",  # noqa: ANN001
    **kwargs,
) -> audit.Recorded:  # noqa: ANN003
    recorded = await audit.record(
        actor, action, object_type=object_type, object_id=kwargs.pop("object_id", 1), **kwargs
    )
    await AuditEntry.filter(id=recorded.id).update(at=at)
    return recorded


async def seed_audit(admin) -> None:  # noqa: ANN001
    organizer = await make_user("organizer@example.org")
    await entry(
        dt.datetime(2026, 11, 1, 9, 0, tzinfo=dt.UTC),
        "accounts.create_admin",
        object_type="User",
        after={"email": "admin@example.org"},
    )
    await entry(
        dt.datetime(2026, 11, 10, 9, 0, tzinfo=dt.UTC),
        "events.update",
        organizer,
        before={"title_ar": "قديم"},
        after={"title_ar": "جديد"},
        scope=("event", 1),
    )
    # 22:30 UTC on the 20th is already the 21st in Riyadh, where the admins are
    await entry(
        dt.datetime(2026, 11, 20, 22, 30, tzinfo=dt.UTC),
        "accounts.grant_role",
        admin,
        object_type="Membership",
        object_id=5,
        scope=("event", 1),
        after={"role": "judge", "user": "judge@example.org"},
    )


async def test_audit_log_lists_entries_newest_first_with_their_values(client, admin):
    await seed_audit(admin)

    response = await client.get("/admin/audit")

    assert response.status_code == 200
    rows = Table(response.text).rows
    assert [row[1:5] for row in rows] == [
        ["admin@example.org", "منح دور", "الدور 5", "الفعالية 1"],
        ["organizer@example.org", "تعديل إعدادات الفعالية", "الفعالية 1", "الفعالية 1"],
        ["النظام", "إنشاء مشرف للموقع", "المستخدم 1", ""],
    ]
    assert rows[0][5:] == ["", "الدور المحكّم المستخدم judge@example.org"]
    # Arabic kept as written
    assert rows[1][5:] == ["العنوان (بالعربية) قديم", "العنوان (بالعربية) جديد"]
    assert "21 نوفمبر 2026" in rows[0][0]  # shown in the site's time zone


@pytest.mark.parametrize(
    ("query", "actions"),
    [
        ("action=events", ["events.update"]),
        ("object_type=Membership", ["accounts.grant_role"]),
        ("actor=ORGANIZER", ["events.update"]),
        ("since=2026-11-10", ["accounts.grant_role", "events.update"]),
        ("until=2026-11-10", ["events.update", "accounts.create_admin"]),
        ("since=2026-11-21&until=2026-11-21", ["accounts.grant_role"]),
        ("until=2026-11-20", ["events.update", "accounts.create_admin"]),
        ("since=2026-11-02&until=2026-11-09", []),
        (
            "since=not-a-date&object_type=",
            ["accounts.grant_role", "events.update", "accounts.create_admin"],
        ),
    ],
)
async def test_audit_log_filters(client, admin, query, actions):
    await seed_audit(admin)

    response = await client.get(f"/admin/audit?{query}")

    assert re.findall(r'data-action="([^"]+)"', response.text) == actions
    if not actions:
        assert "لا توجد قيود مطابقة." in response.text


async def test_audit_log_object_filter_offers_the_recorded_types(client, admin):
    await seed_audit(admin)

    response = await client.get("/admin/audit?object_type=User&lang=en")

    options = re.findall(r'<option value="([^"]*)"( selected)?>', response.text)
    assert options == [("", ""), ("Event", ""), ("Membership", ""), ("User", " selected")]
    assert re.findall(r"<option [^>]*>([^<]*)</option>", response.text) == [
        "All",
        "Event",
        "Role",
        "User",
    ]
    assert [row[1] for row in Table(response.text).rows] == ["System"]


async def test_audit_log_pages_and_keeps_the_filters(client, admin):
    start = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
    for n in range(53):
        await entry(start + dt.timedelta(hours=n), "events.update", object_id=n)

    first = await client.get("/admin/audit?action=events")
    second = await client.get(next_link(first.text))

    assert len(Table(first.text).rows) == 50
    assert next_link(first.text) == (
        "http://testserver/admin/audit?action=events&object_type=&actor=&since=&until=&page=2"
    )
    assert [row[3] for row in Table(second.text).rows] == [
        "الفعالية 2",
        "الفعالية 1",
        "الفعالية 0",
    ]
    assert "الصفحة 2 من 2" in second.text


async def seed_labelled(admin) -> None:  # noqa: ANN001
    """One action of each domain, with a state change, yes/no values and a bilingual field."""
    at = dt.datetime(2026, 11, 1, 9, 0, tzinfo=dt.UTC)
    await entry(
        at,
        "judging.round_open",
        admin,
        object_type="Round",
        object_id=4,
        scope=("event", 1),
        before={"state": "draft"},
        after={"state": "open"},
    )
    await entry(
        at + dt.timedelta(hours=1),
        "events.update",
        admin,
        scope=("event", 1),
        before={"gallery_public": True, "visibility": "draft", "name_en": "Old"},
        after={"gallery_public": False, "visibility": "published", "name_en": "New"},
    )
    await entry(
        at + dt.timedelta(hours=2),
        "accounts.grant_role",
        admin,
        object_type="Membership",
        object_id=5,
        scope=("event", 1),
        after={"role": "judge"},
    )
    await entry(
        at + dt.timedelta(hours=3),
        "judging.round_frozen",  # no domain names it (yet): shown readably
        admin,
        object_type="FrozenThing",
        after={"frozen_by": "x"},
    )


RAW_KEYS = (
    "judging.",
    "events.",
    "accounts.",
    "Round 4",
    "event 1",
    "Membership",
    "gallery_public",
    "name_en",
    "true",
    "false",
    ">draft<",
    ">open<",
)


@pytest.mark.parametrize(
    ("lang", "rows", "values"),
    [
        (
            "ar",
            [
                ["admin@example.org", "Round frozen", "Frozen thing 1", ""],
                ["admin@example.org", "منح دور", "الدور 5", "الفعالية 1"],
                ["admin@example.org", "تعديل إعدادات الفعالية", "الفعالية 1", "الفعالية 1"],
                ["admin@example.org", "بدء التقييم", "الجولة 4", "الفعالية 1"],
            ],
            [
                ["", "Frozen by x"],
                ["", "الدور المحكّم"],
                [
                    "معرض عام نعم الاسم (بالإنجليزية) Old الظهور مسودة",
                    "معرض عام لا الاسم (بالإنجليزية) New الظهور منشورة",
                ],
                # the round's own name for its state, as its page shows it
                ["الحالة قيد الإعداد", "الحالة التقييم مفتوح"],
            ],
        ),
        (
            "en",
            [
                ["admin@example.org", "Round frozen", "Frozen thing 1", ""],
                ["admin@example.org", "Role granted", "Role 5", "Event 1"],
                ["admin@example.org", "Event settings changed", "Event 1", "Event 1"],
                ["admin@example.org", "Scoring opened", "Round 4", "Event 1"],
            ],
            [
                ["", "Frozen by x"],
                ["", "Role Judge"],
                [
                    "Public gallery Yes Name (English) Old Visibility Draft",
                    "Public gallery No Name (English) New Visibility Published",
                ],
                ["State In preparation", "State Scoring open"],
            ],
        ),
    ],
)
async def test_audit_log_names_actions_objects_fields_and_values_in_the_readers_language(
    client, admin, lang, rows, values
):
    await seed_labelled(admin)

    response = await client.get(f"/admin/audit?lang={lang}")

    assert response.status_code == 200
    table = Table(response.text).rows
    assert [row[1:5] for row in table] == rows
    assert [row[5:] for row in table] == values
    if lang == "ar":
        body = "".join("".join(row[1:]) for row in table[1:])
        for raw in RAW_KEYS:
            assert raw not in body
