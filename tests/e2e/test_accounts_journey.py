"""A newcomer's first visit in a real browser: language switch, sign-up, the verification mail,
sign-in and sign-out in Arabic and in English; and a forgotten password, start to finish."""

from __future__ import annotations

import pytest

from core.i18n import gettext as _
from core.i18n import use_locale
from tests.e2e.conftest import (
    Account,
    link_in,
    new_account,
    screenshot,
    sign_in,
)

DIRECTIONS = {"ar": "rtl", "en": "ltr"}
SWITCH_LABELS = {"ar": "العربية", "en": "English"}
HOME_TITLE = {
    "ar": "المسابقات الإعلامية في مكان واحد",
    "en": "Media competitions, run in one place",
}


def text(lang: str, message: str, **variables: str) -> str:
    """What the site says in that language (the catalogs are the source of truth)."""
    with use_locale(lang):
        return _(message, **variables)


def assert_language(page, lang: str) -> None:  # noqa: ANN001
    html = page.locator("html")
    assert html.get_attribute("lang") == lang
    assert html.get_attribute("dir") == DIRECTIONS[lang]


def switch_language(page, lang: str) -> None:  # noqa: ANN001
    switch = page.get_by_test_id("lang-switch")
    assert switch.inner_text().strip() == SWITCH_LABELS[lang]
    switch.click()
    page.wait_for_function(f"document.documentElement.lang === '{lang}'")
    assert_language(page, lang)


def notice(page) -> str:  # noqa: ANN001
    return page.locator("main .notice").first.inner_text().strip()


def create_account(page, account: Account, step: str) -> None:  # noqa: ANN001
    page.locator("header").get_by_role("link", name=text(account.lang, "Create account")).click()
    assert page.locator("h1").inner_text() == text(account.lang, "Create account")
    page.fill("#f-name", account.name)
    page.fill("#f-email", account.email)
    page.fill("#f-password", account.password)
    page.fill("#f-password_confirm", account.password)
    assert page.locator("#f-language").input_value() == account.lang
    screenshot(page, f"{step}-2-signup-form")
    page.click("main form button[type=submit]")
    inbox = page.get_by_test_id("check-inbox")
    assert inbox.inner_text() == text(
        account.lang,
        "We have sent a message to %(email)s. Follow the link in it to confirm "
        "your address and finish creating your account.",
        email=account.email,
    )
    assert page.locator("h1").inner_text() == text(account.lang, "Check your inbox")
    screenshot(page, f"{step}-3-check-inbox")


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_sign_up_verify_sign_in_and_out(lang, page, wait_for_mail) -> None:  # noqa: ANN001
    account = new_account(lang, "ريم الشمري" if lang == "ar" else "Reem Al-Shammari")
    step = f"accounts-{lang}"
    browser_page = page(lang, "/")
    assert_language(browser_page, "ar")  # the site speaks Arabic to a first-time visitor
    assert browser_page.locator("h1").inner_text() == HOME_TITLE["ar"]
    switch_language(browser_page, "en")
    if lang == "ar":
        switch_language(browser_page, "ar")
    screenshot(browser_page, f"{step}-1-home")

    create_account(browser_page, account, step)

    mail = wait_for_mail(account.email)
    assert mail["Subject"] == text(lang, "Confirm your e-mail address on Manassa")
    browser_page.goto(link_in(mail))
    assert notice(browser_page) == text(
        lang, "Your e-mail address is confirmed. You can sign in now."
    )
    assert browser_page.locator("#f-email").input_value() == account.email
    browser_page.fill("#f-password", account.password)
    browser_page.click("main form button[type=submit]")

    profile_link = browser_page.get_by_test_id("nav-profile")
    assert profile_link.inner_text() == account.name
    assert notice(browser_page) == text(lang, "Welcome, %(name)s.", name=account.name)
    assert browser_page.locator("h1").inner_text() == HOME_TITLE[lang]
    assert_language(browser_page, lang)
    screenshot(browser_page, f"{step}-4-signed-in")

    browser_page.locator("header").get_by_role("button", name=text(lang, "Sign out")).click()
    assert notice(browser_page) == text(lang, "You have signed out.")
    assert browser_page.locator("h1").inner_text() == HOME_TITLE[lang]
    assert browser_page.get_by_test_id("nav-profile").count() == 0
    header = browser_page.locator("header")
    assert header.get_by_role("link", name=text(lang, "Sign in")).is_visible()
    assert_language(browser_page, lang)
    screenshot(browser_page, f"{step}-5-signed-out")


def test_forgotten_password_is_reset_by_mail(
    page,
    make_verified_user,  # noqa: ANN001
    wait_for_mail,
) -> None:
    account = make_verified_user("en")
    browser_page = page("en", "/login?lang=en")
    browser_page.get_by_role("link", name="Forgot your password?").click()
    browser_page.fill("#f-email", account.email)
    screenshot(browser_page, "reset-en-1-forgot")
    browser_page.click("main form button[type=submit]")
    assert browser_page.get_by_test_id("reset-sent").inner_text() == (
        f"If an account exists for {account.email}, we have sent it a link to choose a new "
        "password. The link works once and expires in one hour."
    )

    mail = wait_for_mail(account.email, subject_contains="Reset your Manassa password")
    browser_page.goto(link_in(mail))
    assert browser_page.locator("h1").inner_text() == "Choose a new password"
    new_password = "another long walk by the river 7"
    browser_page.fill("#f-password", new_password)
    browser_page.fill("#f-password_confirm", new_password)
    screenshot(browser_page, "reset-en-2-new-password")
    browser_page.click("main form button[type=submit]")
    assert notice(browser_page) == "Your password has been changed. Sign in with the new one."

    browser_page.fill("#f-password", account.password)  # the old one no longer works
    browser_page.click("main form button[type=submit]")
    assert browser_page.get_by_test_id("nav-profile").count() == 0
    assert (
        "The e-mail address or password is not correct."
        in browser_page.locator("main .notice-error").inner_text()
    )

    sign_in(browser_page, Account(account.email, new_password, account.name, "en"))
    assert browser_page.get_by_test_id("nav-profile").inner_text() == account.name
    assert browser_page.locator("h1").inner_text() == HOME_TITLE["en"]
    assert_language(browser_page, "en")
    screenshot(browser_page, "reset-en-3-signed-in")
