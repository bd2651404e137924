"""Sign-up, the verification mail (through the real SMTP sink) and the first sign-in."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from accounts.models import User
from core import clock
from core.mail.models import OutboxMessage
from tests.accounts.helpers import (
    GOOD_PASSWORD,
    escape,
    field_errors,
    heading,
    html_lang,
    input_value,
    local_path,
    log_in,
    nav_name,
    notices,
    sign_up,
    snapshot,
)
from tests.conftest import body, csrf, first_link, html_body, post_form


async def test_arabic_sign_up_verify_sign_in_and_out(client, deliver):
    page = await client.get("/signup")
    assert html_lang(page.text) == ("ar", "rtl")
    assert heading(page.text) == "إنشاء حساب"

    response = await sign_up(client, "reem@example.org", name="ريم الزهراني")
    assert response.status_code == 200
    assert heading(response.text) == "تحقّق من بريدك الوارد"
    assert (
        'أرسلنا رسالة إلى <bdi dir="ltr">reem@example.org</bdi>. '
        "افتح الرابط الوارد فيها لتأكيد بريدك الإلكتروني "
        "وإكمال إنشاء حسابك."
    ) in response.text

    [mail] = await deliver()
    assert mail["To"] == "reem@example.org"
    assert mail["Subject"] == "أكّد بريدك الإلكتروني على منصّة"
    assert "مرحبًا ريم الزهراني،" in body(mail)
    assert "يُرجى تأكيد بريدك الإلكتروني لإكمال إنشاء حسابك على منصّة:" in body(mail)
    assert "تنتهي صلاحية الرابط خلال 72 ساعة." in body(mail)
    link = first_link(mail)
    assert link.startswith("http://testserver/verify/")
    assert '<html lang="ar" dir="rtl">' in html_body(mail)
    assert f'href="{link}"' in html_body(mail)
    assert "تأكيد بريدي الإلكتروني" in html_body(mail)

    verified = await client.get(local_path(link))
    assert verified.status_code == 303
    assert verified.headers["location"] == "http://testserver/login?email=reem%40example.org"
    login_page = await client.get(verified.headers["location"])
    assert notices(login_page.text) == ["تم تأكيد بريدك الإلكتروني. يمكنك الآن تسجيل الدخول."]
    assert input_value(login_page.text, "email") == "reem@example.org"

    signed_in = await log_in(client, "reem@example.org")
    assert signed_in.status_code == 303
    home = await client.get(signed_in.headers["location"])
    assert nav_name(home.text) == "ريم الزهراني"
    assert notices(home.text) == ["مرحبًا بك، ريم الزهراني."]

    token = await csrf(client, "/")
    signed_out = await client.post("/logout", data={"csrf_token": token})
    assert signed_out.status_code == 303
    home = await client.get("/")
    assert nav_name(home.text) is None
    assert notices(home.text) == ["تم تسجيل خروجك."]
    assert ">تسجيل الدخول</a>" in home.text
    profile = await client.get("/account/profile")
    assert profile.status_code == 303
    assert profile.headers["location"].startswith("http://testserver/login?next=")


async def test_english_sign_up_gets_an_english_mail(client, deliver):
    page = await client.get("/signup?lang=en")
    assert html_lang(page.text) == ("en", "ltr")
    assert heading(page.text) == "Create account"
    assert '<option value="en" selected>' in page.text  # the page's language is preselected

    response = await sign_up(
        client, "Sarah.Johnson@Example.org", name="Sarah Johnson", language="en"
    )
    assert heading(response.text) == "Check your inbox"
    assert (
        'We have sent a message to <bdi dir="ltr">sarah.johnson@example.org</bdi>.' in response.text
    )

    [mail] = await deliver()
    assert mail["To"] == "sarah.johnson@example.org"
    assert mail["Subject"] == "Confirm your e-mail address on Manassa"
    assert body(mail).startswith("Hello Sarah Johnson,\r\n")
    assert "The link expires in 72 hours." in body(mail)
    assert '<html lang="en" dir="ltr">' in html_body(mail)
    user = await User.get(email="sarah.johnson@example.org")
    assert (user.name_en, user.name_ar, user.language) == ("Sarah Johnson", "", "en")
    assert user.email_verified_at is None


async def test_the_mail_follows_the_chosen_language_not_the_page(client, deliver):
    await client.get("/signup?lang=en")
    await sign_up(client, "omar@example.org", name="عمر حداد", language="ar")
    [mail] = await deliver()
    assert mail["Subject"] == "أكّد بريدك الإلكتروني على منصّة"
    user = await User.get(email="omar@example.org")
    assert (user.name_ar, user.name_en) == ("عمر حداد", "")  # Arabic letters: the Arabic name


async def test_sign_in_before_verifying_is_refused_and_sends_a_new_link(client, deliver, smtp_sink):
    await sign_up(client, "new@example.org")
    await deliver()

    refused = await log_in(client, "new@example.org")
    assert refused.status_code == 403
    assert "يُرجى تأكيد بريدك الإلكتروني أولًا. أرسلنا إليك رابط تأكيد جديدًا." in refused.text
    assert input_value(refused.text, "email") == "new@example.org"
    assert nav_name(refused.text) is None
    mails = await deliver()
    assert [m["Subject"] for m in mails] == ["أكّد بريدك الإلكتروني على منصّة"] * 2

    # Sign-up and one resend were mailed this hour; one more link, then the limit says wait.
    assert (await log_in(client, "new@example.org")).status_code == 403
    limited = await log_in(client, "new@example.org")
    assert limited.status_code == 403
    assert "عبر الرابط الذي أرسلناه إليك قبل قليل" in limited.text
    assert len(await deliver()) == 3

    # The newest link works, and then signing in does.
    verified = await client.get(local_path(first_link(smtp_sink.messages[-1])))
    assert verified.status_code == 303
    signed_in = await log_in(client, "new@example.org")
    assert signed_in.status_code == 303
    assert nav_name((await client.get("/")).text) == "ريم الزهراني"


async def test_a_wrong_password_on_an_unverified_account_reveals_nothing(client, deliver):
    await sign_up(client, "quiet@example.org")
    await deliver()
    wrong = await log_in(client, "quiet@example.org", "not the password at all")
    unknown = await log_in(client, "nobody@example.org", "not the password at all")
    assert wrong.status_code == unknown.status_code == 422
    message = "البريد الإلكتروني أو كلمة المرور غير صحيحة."
    assert message in wrong.text and message in unknown.text
    assert len(await deliver()) == 1  # no new link for a wrong password


async def test_the_check_inbox_page_can_send_a_new_link(client, deliver):
    await sign_up(client, "again@example.org", language="en")
    response = await post_form(
        client, "/verify/resend", {"email": "again@example.org"}, page="/signup"
    )
    assert response.status_code == 200
    assert heading(response.text) == "تحقّق من بريدك الوارد"
    assert [m["To"] for m in await deliver()] == ["again@example.org"] * 2


async def test_an_already_registered_address_gets_the_same_page_and_a_different_mail(
    client, deliver
):
    owner_page = await sign_up(client, "taken@example.org", name="صاحب الحساب")
    await deliver()
    newcomer_page = await sign_up(client, "fresh@example.org", name="Someone Else")
    again_page = await sign_up(
        client, "taken@example.org", name="Someone Else", password="a different long phrase"
    )

    assert again_page.status_code == newcomer_page.status_code == 200

    def without_email(page: str, email: str) -> str:
        return page.replace(email, "EMAIL")

    assert (
        without_email(again_page.text, "taken@example.org")
        == without_email(newcomer_page.text, "fresh@example.org")
        == without_email(owner_page.text, "taken@example.org")
    )

    mails = {m["To"]: m for m in (await deliver())[1:]}
    assert mails["fresh@example.org"]["Subject"] == "أكّد بريدك الإلكتروني على منصّة"
    warning = mails["taken@example.org"]
    assert warning["Subject"] == "محاولة لإنشاء حساب على منصّة ببريدك الإلكتروني"
    assert "مرحبًا صاحب الحساب،" in body(warning)
    assert first_link(warning) == "http://testserver/login"
    assert "/verify/" not in body(warning)
    assert await User.filter(email="taken@example.org").count() == 1
    owner = await User.get(email="taken@example.org")
    assert owner.name_ar == "صاحب الحساب"  # the second attempt changed nothing


async def test_the_verification_link_expires_after_three_days(client, deliver):
    await sign_up(client, "late@example.org", language="en")
    link = local_path(first_link((await deliver())[0]))
    clock.travel(dt.timedelta(days=3, minutes=1))
    response = await client.get(link + "?lang=en")
    assert response.status_code == 400
    assert heading(response.text) == "Link not valid"
    assert (
        "This verification link is invalid or has expired. Sign in to get a new one."
        in response.text
    )
    assert (await User.get(email="late@example.org")).email_verified_at is None


async def test_a_tampered_verification_link_is_refused(client, deliver):
    await sign_up(client, "forged@example.org")
    link = local_path(first_link((await deliver())[0]))
    tampered = link[:-2] + ("AA" if not link.endswith("AA") else "BB")
    response = await client.get(tampered)
    assert response.status_code == 400
    assert heading(response.text) == "الرابط غير صالح"
    assert (await User.get(email="forged@example.org")).email_verified_at is None


async def test_signed_in_people_are_sent_to_their_profile(client):
    await sign_up(client, "me@example.org")
    user = await User.get(email="me@example.org")
    user.email_verified_at = clock.now()
    await user.save()
    await log_in(client, "me@example.org")
    response = await client.get("/signup")
    assert response.status_code == 303
    assert response.headers["location"] == "http://testserver/account/profile"


LONG = "ب" * 201
REQUIRED = "هذا الحقل مطلوب."
BAD_EMAIL = "أدخل بريدًا إلكترونيًا صحيحًا، مثل name@example.com."


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        (
            {"name": "", "email": "", "password": "", "password_confirm": "", "language": ""},
            {
                "name": REQUIRED,
                "email": REQUIRED,
                "password": REQUIRED,
                "language": "اختر أحد الخيارات.",
            },
        ),
        ({"name": LONG}, {"name": "استخدم ما لا يزيد على 200 من الأحرف (استخدمت 201)."}),
        ({"name": "ر"}, {"name": "استخدم ما لا يقل عن 2 من الأحرف."}),
        ({"email": "reem.example.org"}, {"email": BAD_EMAIL}),
        ({"email": "reem@example"}, {"email": BAD_EMAIL}),
        ({"email": "a" * 250 + "@example.org"}, {"email": BAD_EMAIL}),
        (
            {"password": "short1", "password_confirm": "short1"},
            {"password": "استخدم 10 أحرف على الأقل."},
        ),
        (
            {"password": "x" * 129, "password_confirm": "x" * 129},
            {"password": "استخدم 128 حرفًا على الأكثر."},
        ),
        (
            {"password": "qwertyuiop", "password_confirm": "qwertyuiop"},
            {"password": "كلمة المرور هذه سهلة التخمين. استخدم عبارة أطول وأقل شيوعًا."},
        ),
        (
            {"password": "my reem.zahrani pass", "password_confirm": "my reem.zahrani pass"},
            {"password": "لا تستخدم بريدك الإلكتروني ضمن كلمة المرور."},
        ),
        (
            {"password_confirm": "tall palms by the sea 43"},
            {"password_confirm": "كلمتا المرور غير متطابقتين."},
        ),
        ({"language": "fr"}, {"language": "اختر أحد الخيارات."}),
        (
            {"name": "<script>alert(1)</script>"},
            {"name": "استخدم الحروف والمسافات والنقاط والفواصل العليا والشرطات فقط."},
        ),
        ({"email": "<script>@example.org"}, {"email": BAD_EMAIL}),
    ],
)
async def test_bad_sign_up_input_is_refused_field_by_field(client, changes, expected):
    data = {
        "name": "ريم الزهراني",
        "email": "reem.zahrani@example.org",
        "password": GOOD_PASSWORD,
        "password_confirm": GOOD_PASSWORD,
        "language": "ar",
    }
    data.update(changes)
    await client.get("/signup")
    before = await snapshot()
    response = await post_form(client, "/signup", data, page="/signup")

    assert response.status_code == 422
    assert {k: v for k, v in field_errors(response.text).items()} == {
        k: escape(v) for k, v in expected.items()
    }
    assert heading(response.text) == "إنشاء حساب"
    assert input_value(response.text, "name") == escape(data["name"])
    assert input_value(response.text, "email") == escape(data["email"].strip().lower())
    assert input_value(response.text, "password") is None  # never sent back
    if data["password"]:
        assert data["password"] not in response.text
    assert await snapshot() == before


async def test_script_in_a_name_is_shown_escaped_never_raw(client):
    response = await sign_up(client, "x@example.org", name='<script>alert("x")</script>')
    assert response.status_code == 422
    assert "<script>alert" not in response.text
    assert 'value="&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;"' in response.text
    assert await User.all().count() == 0


@pytest.mark.parametrize(
    "name",
    [
        "محمد بن سلمان آل سعود",
        "O'Brien-Smith",
        "Dr. Jean-Luc Picard",
        "سارة Sarah",
        "عبدُ الرَّحمن",
        "ريم\u200cالزهراني",
    ],
)
async def test_names_in_arabic_english_and_mixed_are_accepted(client, name):
    response = await sign_up(client, "name@example.org", name=name)
    assert response.status_code == 200, field_errors(response.text)
    user = await User.get(email="name@example.org")
    assert name in (user.name_ar, user.name_en)


async def test_invisible_direction_marks_are_removed_from_names(client):
    await sign_up(client, "bidi@example.org", name="\u202eريم\u202c الزهراني ")
    user = await User.get(email="bidi@example.org")
    assert user.name_ar == "ريم الزهراني"


async def test_sign_up_is_rate_limited_per_address(client, deliver):
    for n in range(10):
        assert (await sign_up(client, f"many{n}@example.org")).status_code == 200
    before = await snapshot()
    response = await sign_up(client, "one-more@example.org")
    assert response.status_code == 429
    assert "محاولات كثيرة جدًا. حاول مرة أخرى بعد" in response.text
    assert int(response.headers["retry-after"]) > 0
    assert await snapshot() == before
    clock.travel(dt.timedelta(hours=1, minutes=1))
    assert (await sign_up(client, "one-more@example.org")).status_code == 200


async def test_repeated_sign_ups_with_a_taken_address_send_few_mails(client, deliver):
    await sign_up(client, "busy@example.org")
    for _ in range(5):
        await sign_up(client, "busy@example.org", name="Intruder")
    subjects = [m["Subject"] for m in await deliver()]
    assert subjects.count("محاولة لإنشاء حساب على منصّة ببريدك الإلكتروني") == 3
    assert await OutboxMessage.all().count() == 4


async def test_sign_up_without_the_csrf_token_is_refused(client):
    await client.get("/signup")
    response = await client.post(
        "/signup",
        data={
            "name": "ريم",
            "email": "csrf@example.org",
            "password": GOOD_PASSWORD,
            "password_confirm": GOOD_PASSWORD,
            "language": "ar",
        },
    )
    assert response.status_code == 403
    assert re.search("انتهت صلاحية النموذج أو أُرسل من موقع آخر", response.text)
    assert await User.all().count() == 0


async def test_a_newcomer_invited_somewhere_lands_there_after_verifying_and_signing_in(
    client, deliver
):
    from tests.conftest import first_link

    landing = "/me/events"
    page = await client.get("/signup", params={"next": landing})
    assert f'name="next" value="{landing}"' in page.text
    response = await post_form(
        client,
        "/signup",
        {
            "name": "Lina Saleh",
            "email": "lina@example.org",
            "password": "a long calm river 42",
            "password_confirm": "a long calm river 42",
            "language": "en",
            "next": landing,
        },
        page="/signup",
    )
    assert response.status_code == 200
    link = first_link((await deliver())[-1])
    assert link.endswith("?next=%2Fme%2Fevents")
    verified = await client.get(link.removeprefix("http://testserver"))
    assert verified.status_code == 303
    assert verified.headers["location"].endswith(
        "/login?email=lina%40example.org&next=%2Fme%2Fevents"
    )
    signed_in = await post_form(
        client,
        "/login",
        {"email": "lina@example.org", "password": "a long calm river 42", "next": landing},
    )
    assert signed_in.headers["location"] == landing


async def test_an_off_site_next_in_a_sign_up_is_dropped_from_the_mailed_link(client, deliver):
    from tests.conftest import first_link

    await post_form(
        client,
        "/signup",
        {
            "name": "Lina Saleh",
            "email": "lina2@example.org",
            "password": "a long calm river 42",
            "password_confirm": "a long calm river 42",
            "language": "en",
            "next": "//evil.example/x",
        },
        page="/signup",
    )
    link = first_link((await deliver())[-1])
    assert "next" not in link and "evil" not in link
