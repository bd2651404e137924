"""Browser tests: Playwright's sync API drives Debian's Chromium against a live `manassa serve`.

Everything under tests/e2e is marked `e2e`. Without Chromium the tests are skipped with the
reason; with MANASSA_REQUIRE_BROWSER=1 (CI) any skipped browser test fails instead.

Helpers for journeys (fixtures unless said otherwise):
- `live_server`: LiveServer(base_url, mail_dir, url(path)) -- one server for the session, on a
  temporary SQLite database, with its outbox worker and development mail sink running.
- `page(lang="ar", path=None)`: a factory opening a new browser context (its own cookies) with
  that locale, optionally at `path`; every page is closed after the test.
- `wait_for_mail(to, subject_contains=None, timeout=10)`: the next mail to that address (each
  mail is returned once), read from the sink's .eml files.
- `make_verified_user(lang="en", name=None)`: signs up through the UI and confirms the address;
  returns an Account(email, password, name, lang).
- plain functions: `link_in(message)`, `screenshot(page, name)` (tests/e2e/artifacts/name.png),
  `sign_in(page, account)`, `new_context(browser, live_server, lang)` (a browser context whose
  pages are checked with axe-core).

Accessibility: every page of a context opened here is checked with axe-core before each action a
test takes on it and after the test body (tests/e2e/accessibility.py); a serious or critical
violation fails the test, with the rule, the elements and the page's address.
"""

from __future__ import annotations

import email
import itertools
import os
import re
import shutil
import subprocess
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest

from bench.servers import free_port, manassa_command, stop_process
from tests.e2e import accessibility

E2E_DIR = Path(__file__).resolve().parent
ROOT = E2E_DIR.parent.parent
ARTIFACTS = E2E_DIR / "artifacts"
REQUIRE_BROWSER = os.environ.get("MANASSA_REQUIRE_BROWSER", "") not in {"", "0", "false"}
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LOCALES = {"ar": "ar-SA", "en": "en-US"}
PASSWORD = "a long walk by the sea 42"  # noqa: S105 - test accounts only
LINK = re.compile(r"https?://\S+")
SERVER_START_SECONDS = 30.0
_accounts = itertools.count(1)


# --- marking and the "a skip is a failure in CI" rule ------------------------------------------


def _is_e2e(item: pytest.Item) -> bool:
    return E2E_DIR in Path(str(item.path)).resolve().parents


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark the browser tests (tryfirst: before `-m "not e2e"` deselects) and run them last:
    Playwright's sync API keeps its event loop running in this thread while the browser is
    open, and an asyncio test after it could not start its own."""
    browser_tests = [item for item in items if _is_e2e(item)]
    for item in browser_tests:
        item.add_marker(pytest.mark.e2e)
    items[:] = [item for item in items if not _is_e2e(item)] + browser_tests


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Any:
    report = yield
    if REQUIRE_BROWSER and report.skipped and _is_e2e(item):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
        report.outcome = "failed"
        report.longrepr = f"MANASSA_REQUIRE_BROWSER=1 and this browser test was skipped: {reason}"
    return report


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Any:
    """After a browser test's body: the pages it left open are checked too, and any serious or
    critical accessibility violation found on the way fails the test."""
    if not _is_e2e(item):
        return (yield)
    try:
        result = yield
    except BaseException:
        accessibility.AUDIT.forget()  # the test's own failure says more
        raise
    found = accessibility.AUDIT.finish()
    if found:
        pytest.fail(accessibility.report(found), pytrace=False)
    return result


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if accessibility.AUDIT.documents:
        terminalreporter.write_line(
            f"axe-core checked {accessibility.AUDIT.documents} documents of the browser "
            f"journeys in {accessibility.AUDIT.seconds:.1f} s"
        )


# --- Chromium ----------------------------------------------------------------------------------


def chromium_path() -> str | None:
    configured = os.environ.get("MANASSA_CHROMIUM", "")
    if configured:
        return configured if Path(configured).exists() else None
    return shutil.which("chromium") or (
        "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None
    )


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    executable = chromium_path()
    if executable is None:
        pytest.skip(
            "Chromium is not installed (apt-get install chromium, or set "
            "MANASSA_CHROMIUM to its path)"
        )
    from playwright.sync_api import sync_playwright

    accessibility.install()
    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
    finally:
        playwright.stop()


# --- the live server ---------------------------------------------------------------------------


@dataclass(frozen=True)
class LiveServer:
    base_url: str
    mail_dir: Path
    root: Path

    def url(self, path: str = "/") -> str:
        return self.base_url + path


def server_env(tmp: Path, port: int) -> dict[str, str]:
    return {
        **os.environ,
        "APP_ENV": "test",
        "SECURITY_ARGON2_PROFILE": "test",
        "SECRET_KEY": "e2e-secret-key-not-for-production",
        "DATABASE_URL": f"sqlite://{tmp / 'db.sqlite3'}?busy_timeout=5000",
        "BASE_URL": f"http://127.0.0.1:{port}",
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": str(free_port()),
        "MAIL_BACKEND": "smtp",
        "MAIL_WORKER_IN_APP": "true",
        "MAIL_DEV_SINK": "true",
        "MAIL_DEV_SINK_DIR": str(tmp / "mail"),
        "MAIL_POLL_SECONDS": "0.2",
        "UPLOADS_DIR": str(tmp / "uploads"),
        "SERVER_WORKERS": "1",
        # many journeys sign up from the same loopback address within the hour
        "SECURITY_FORM_MAX_PER_HOUR": "10000",
        "LOG_LEVEL": "WARNING",
    }


def wait_until_healthy(process: subprocess.Popen, base_url: str, log: Path) -> None:
    deadline = time.monotonic() + SERVER_START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        try:
            with urllib.request.urlopen(base_url + "/healthz", timeout=1) as answer:  # noqa: S310
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"manassa serve did not become healthy:\n{log.read_text()[-4000:]}")


@pytest.fixture(scope="session")
def live_server(browser: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    tmp = tmp_path_factory.mktemp("live")
    port = free_port()
    env = server_env(tmp, port)
    for step in (["migrate"], ["demo"]):  # the demo data every journey may start from
        subprocess.run(
            [*manassa_command(), *step],
            cwd=ROOT,
            env=env,
            check=True,  # noqa: S603
            capture_output=True,
        )
    log = tmp / "server.log"
    with log.open("wb") as out:
        process = subprocess.Popen(  # noqa: S603
            [*manassa_command(), "serve", "--host", "127.0.0.1", "--port", str(port)],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    server = LiveServer(env["BASE_URL"], tmp / "mail", tmp)
    try:
        wait_until_healthy(process, server.base_url, log)
        yield server
    finally:
        stop_process(process, timeout=10)


# --- pages -------------------------------------------------------------------------------------


def new_context(browser: Any, live_server: LiveServer, lang: str = "ar") -> Any:
    """A browser context (its own cookies) in that language whose pages are checked with
    axe-core. `bypass_csp`, in tests only: the app's policy forbids injected scripts (see
    tests/e2e/accessibility.py)."""
    context = browser.new_context(
        base_url=live_server.base_url,
        locale=LOCALES[lang],
        viewport={"width": 1280, "height": 900},
        bypass_csp=True,
    )
    context.set_default_timeout(10_000)
    context.on("page", accessibility.AUDIT.watch)
    return context


@pytest.fixture
def page(browser: Any, live_server: LiveServer) -> Iterator[Callable[..., Any]]:
    contexts: list[Any] = []

    def open_page(lang: str = "ar", path: str | None = None) -> Any:
        context = new_context(browser, live_server, lang)
        contexts.append(context)
        new = context.new_page()
        if path is not None:
            new.goto(path)
        return new

    yield open_page
    for context in contexts:
        context.close()


def screenshot(page: Any, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


# --- mail --------------------------------------------------------------------------------------


@dataclass
class MailBox:
    directory: Path
    seen: set[str] = field(default_factory=set)

    def arrived(self) -> list[Path]:
        if not self.directory.exists():
            return []
        files = [p for p in self.directory.glob("*.eml") if p.name not in self.seen]
        return sorted(files, key=lambda p: (p.stat().st_mtime_ns, p.name))

    def take(self, to: str, subject_contains: str | None) -> EmailMessage | None:
        for path in self.arrived():
            message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
            subject = str(message["Subject"] or "")
            if to.lower() in str(message["To"]).lower() and (
                subject_contains is None or subject_contains in subject
            ):
                self.seen.add(path.name)
                return message  # type: ignore[return-value]
        return None


@pytest.fixture(scope="session")
def mailbox(live_server: LiveServer) -> MailBox:
    return MailBox(live_server.mail_dir)


@pytest.fixture
def wait_for_mail(mailbox: MailBox) -> Callable[..., EmailMessage]:
    def wait(to: str, subject_contains: str | None = None, timeout: float = 10) -> EmailMessage:
        deadline = time.monotonic() + timeout
        while True:
            message = mailbox.take(to, subject_contains)
            if message is not None:
                return message
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"no mail to {to} (subject containing {subject_contains!r}) within {timeout} s"
                )
            time.sleep(0.1)

    return wait


def link_in(message: EmailMessage) -> str:
    """The first link in the plain-text part of a mail."""
    text = message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    match = LINK.search(text)
    assert match, f"no link in mail {message['Subject']!r}"
    return match.group(0)


# --- accounts ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Account:
    email: str
    password: str
    name: str
    lang: str


def sign_up(page: Any, account: Account) -> None:
    """Fill the sign-up form on the current site (the page is in the account's language)."""
    page.goto(f"/signup?lang={account.lang}")
    page.fill("#f-name", account.name)
    page.fill("#f-email", account.email)
    page.fill("#f-password", account.password)
    page.fill("#f-password_confirm", account.password)
    page.select_option("#f-language", account.lang)
    page.click("main form button[type=submit]")
    page.wait_for_selector("[data-testid=check-inbox]")


def sign_in(page: Any, account: Account) -> None:
    page.goto("/login")
    page.fill("#f-email", account.email)
    page.fill("#f-password", account.password)
    page.click("main form button[type=submit]")
    page.wait_for_selector("[data-testid=nav-profile]")


def _letters(n: int, alphabet: str) -> str:
    """1 -> a, 2 -> b ... (names may not hold digits)."""
    out = ""
    while n:
        n, digit = divmod(n - 1, len(alphabet))
        out = alphabet[digit] + out
    return out


def new_account(lang: str = "en", name: str | None = None) -> Account:
    """A fresh address (unique across runs of the session) and a name in that language."""
    n = next(_accounts)
    if name is None:
        name = (
            f"مشارك {_letters(n, 'أبتثجحخدذرزسشصضطظعغفقكلمنهوي')}"
            if lang == "ar"
            else f"Participant {_letters(n, 'abcdefghijklmnopqrstuvwxyz').title()}"
        )
    return Account(f"person-{os.getpid()}-{n}@example.org", PASSWORD, name, lang)


@pytest.fixture
def make_verified_user(
    page: Callable[..., Any], wait_for_mail: Callable[..., EmailMessage]
) -> Callable[..., Account]:
    def make(lang: str = "en", name: str | None = None) -> Account:
        account = new_account(lang, name)
        browser_page = page(lang)
        sign_up(browser_page, account)
        browser_page.goto(link_in(wait_for_mail(account.email)))
        return account

    return make
