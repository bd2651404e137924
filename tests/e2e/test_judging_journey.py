"""Judging the open Mediathon in a real browser, once in Arabic and once in English.

Before the journeys, two more demo teams submit through the site, so the event has at least
three entries (other browser journeys of the session may have added theirs). Then, per language,
in a round of its own: the organizer builds a rubric and assigns the judges; one judge declares a
conflict on one of our three entries, scores the two others and submits; the other judge scores
their whole queue; the organizer compares the methods, shortlists into a final, marks winners
and publishes; the public reads the results and a team member the feedback.

Conflicts are declared for the whole event, so each language has its own main judge and its own
conflicted entry, and the runs pass in either order.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any

import pytest

from core.i18n import gettext, ngettext, use_locale
from tests.e2e.conftest import Account, LiveServer, new_context, screenshot, sign_in

EVENT = "mediathon-2026"
EVENT_TITLE = {"ar": "ميدياثون 2026", "en": "Mediathon 2026"}
DEMO_PASSWORD = "Manassa-demo-2026"  # noqa: S105 - the demo's published password
DIRECTIONS = {"ar": "rtl", "en": "ltr"}
PAGE_CACHE_SECONDS = 5

VERIFY = "تحقّق قبل أن تشارك"  # team عين الحقيقة: participant@ (ar) and participant2@ (en)
COPILOT = "Copilot for local editors"  # team Newsroom Bots: james@ and maryam@
YOUTH = "قصص جيلنا"  # team جيل رقمي: lina@ and faisal@ (who joins it below)
TEAM_OF = {VERIFY: "عين الحقيقة", COPILOT: "Newsroom Bots", YOUTH: "جيل رقمي"}

# Scores per entry (clarity 1..5 weighing 2, impact 0..10 weighing 1): the main judge is more
# generous than the other, and every method ranks VERIFY, then COPILOT, then YOUTH.
GENEROUS = {VERIFY: ("5", "9"), COPILOT: ("4", "7"), YOUTH: ("3", "5")}
HARSH = {VERIFY: ("4", "8"), COPILOT: ("3", "6"), YOUTH: ("2", "4")}
LAST = ("1", "0")  # for ideas other browser journeys submitted: last under every method
TOTALS = {("5", "9"): "96.7", ("4", "7"): "73.3", ("3", "5"): "50.0"}
METHODS = ("Mean", "Median", "Trimmed mean", "Z-score calibration", "Judge-leniency model")


@dataclass(frozen=True)
class Run:
    """What differs between the Arabic and the English journey."""

    lang: str
    round_ar: str
    round_en: str
    final_ar: str
    final_en: str
    blind: bool
    judge: Account  # declares the conflict, scores two entries
    other_judge: Account  # scores their whole queue
    conflicted: str  # the entry the main judge has a conflict with
    method: str  # the method the organizer picks
    member: Account  # a member of the winning team, reading the feedback

    def name(self, of: str = "round") -> str:
        return getattr(self, f"{of}_{self.lang}")


def demo(email: str, lang: str) -> Account:
    return Account(f"{email}@manassa.local", DEMO_PASSWORD, email, lang)


RUNS = {
    "ar": Run(
        "ar",
        "جولة التقييم",
        "Assessment round",
        "جولة الحسم",
        "Deciding round",
        True,
        demo("judge", "ar"),
        demo("judge2", "ar"),
        COPILOT,
        "trimmed_mean",
        demo("participant", "ar"),
    ),
    "en": Run(
        "en",
        "جولة لجنة التحكيم",
        "Jury round",
        "النهائي الكبير",
        "Grand final",
        False,
        demo("judge2", "en"),
        demo("judge", "en"),
        YOUTH,
        "leniency",
        demo("participant2", "en"),
    ),
}


def text(lang: str, message: str, **variables: Any) -> str:
    """What the site says in that language (the catalogs are the source of truth)."""
    with use_locale(lang):
        return gettext(message, **variables)


def plural(lang: str, singular: str, many: str, n: int, **variables: Any) -> str:
    with use_locale(lang):
        return ngettext(singular, many, n, **variables)


def flashes(page: Any) -> list[str]:
    return [t.strip() for t in page.locator("main > p.notice[role=status]").all_inner_texts()]


def follow(locator: Any) -> None:
    """Click a link or a form's button and wait until the page it leads to has loaded (reading
    the page right after a click could still read the one before)."""
    with locator.page.expect_navigation():
        locator.click()


def lines(locator: Any) -> list[str]:
    """The visible lines of an element, blank ones left out."""
    return [line.strip() for line in locator.inner_text().split("\n") if line.strip()]


def assert_direction(page: Any, lang: str) -> None:
    html = page.locator("html")
    assert (html.get_attribute("lang"), html.get_attribute("dir")) == (lang, DIRECTIONS[lang])


def signed_in(open_page: Callable[..., Any], account: Account) -> Any:
    """A new browser session in the account's language, signed in."""
    browser_page = open_page(account.lang, f"/?lang={account.lang}")
    sign_in(browser_page, account)
    return browser_page


def shot(page: Any, run: Run, step: str) -> None:
    screenshot(page, f"judging-{run.lang}-{step}")


# --- before the journeys: two more teams submit -----------------------------------------------


@pytest.fixture(scope="module")
def three_entries(browser: Any, live_server: LiveServer) -> Iterator[None]:
    """Newsroom Bots submit their draft; Faisal joins Lina's team by its code and Lina submits:
    with the demo's submitted idea, the open event has three entries."""
    context = new_context(browser, live_server, "en")

    def fresh(account: Account) -> Any:
        context.clear_cookies()
        new = context.new_page()
        new.goto(f"/?lang={account.lang}")
        sign_in(new, account)
        return new

    try:
        bots = fresh(demo("james", "en"))
        submit_idea(
            bots,
            "en",
            {
                "problem": "Local editors drown in council minutes.",
                "solution": "An assistant that drafts briefs from them.",
                "audience": "Editors of local newsrooms.",
            },
        )
        code = join_code(fresh(demo("lina", "ar")))
        joining = fresh(demo("faisal", "ar"))
        joining.goto(f"/events/{EVENT}/join")
        joining.fill("#f-code", code)
        follow(joining.locator("main form button[type=submit]"))
        joining.wait_for_url(f"**/events/{EVENT}/teams/*")
        submit_idea(
            fresh(demo("lina", "ar")),
            "ar",
            {
                "title": YOUTH,
                "summary": "قصص قصيرة يكتبها الشباب عن أحيائهم.",
                "problem": "لا يجد الشباب أنفسهم في الأخبار المحلية.",
                "solution": "منصة قصص قصيرة بأقلامهم مع تحرير مهني.",
                "audience": "الشباب بين 16 و24 سنة.",
            },
        )
        yield
    finally:
        context.close()


def join_code(page: Any) -> str:
    page.goto("/me/events")
    follow(page.get_by_role("link", name=text("ar", "Team %(team)s", team="جيل رقمي")))
    return page.get_by_test_id("join-code").inner_text().strip()


def submit_idea(page: Any, lang: str, values: dict[str, str]) -> None:
    page.goto("/me/events")
    follow(page.get_by_role("link", name=text(lang, "Work on your idea")))
    for name, value in values.items():
        page.fill(f"#f-{name}", value)
    follow(page.get_by_role("button", name=text(lang, "Submit"), exact=True))
    (saved,) = flashes(page)
    before, after = text(
        lang,
        "Version %(n)s is submitted. Fingerprint: %(fp)s. A receipt is on its way to every member.",
        n=1,
        fp="FP",
    ).split("FP")
    assert saved.startswith(before) and saved.endswith(after)


# --- the organizer prepares the round ------------------------------------------------------------


def open_judging(page: Any, run: Run) -> None:
    page.goto(f"/events/{EVENT}/manage?lang={run.lang}")
    follow(page.get_by_test_id("judging-link"))
    title = text(run.lang, "Judging of %(title)s", title=EVENT_TITLE[run.lang])
    assert page.locator("h1").inner_text() == title


def create_round(page: Any, run: Run, *, final: bool = False) -> None:
    follow(page.get_by_role("link", name=text(run.lang, "New round"), exact=True))
    names = ("final_ar", "final_en") if final else ("round_ar", "round_en")
    page.fill("#f-name_ar", getattr(run, names[0]))
    page.fill("#f-name_en", getattr(run, names[1]))
    ends = (dt.date.today() + dt.timedelta(days=10)).isoformat()
    page.fill("#f-ends_at", f"{ends}T21:00")
    page.fill("#f-judges_per_entry", "2")
    if run.blind and not final:
        page.check("#f-blind")
    if final:
        page.select_option("#f-entry_rule", "shortlist_of_previous")
        page.select_option("#f-previous_id", label=run.name())
    follow(page.locator("main form button[type=submit]"))
    assert flashes(page) == [text(run.lang, "The round has been created. Now write its rubric.")]


CRITERIA = (
    {
        "name_ar": "وضوح الفكرة",
        "name_en": "Clarity of the idea",
        "guidance_ar": "هل المشكلة والحل واضحان؟",
        "guidance_en": "Are the problem and the solution clear?",
        "levels_ar": "5: واضحة تمامًا\n1: غامضة",
        "levels_en": "5: Crystal clear\n1: Vague",
        "min_score": "1",
        "max_score": "5",
        "step": "1",
        "weight": "2",
        "priority": "1",
    },
    {
        "name_ar": "الأثر المتوقع",
        "name_en": "Expected impact",
        "guidance_ar": "كم شخصًا تخدم المبادرة؟",
        "guidance_en": "How many people does it serve?",
        "levels_ar": "",
        "levels_en": "",
        "min_score": "0",
        "max_score": "10",
        "step": "0.5",
        "weight": "1",
        "priority": "",
    },
)


def build_rubric(page: Any, run: Run) -> None:
    for values in CRITERIA:
        for name, value in values.items():
            page.fill(f"#f-{name}", value)
        follow(page.get_by_role("button", name=text(run.lang, "Add the criterion")))
        assert flashes(page) == [text(run.lang, "The criterion has been added.")]
    rows = page.get_by_test_id("criteria").locator("tbody tr")
    assert rows.count() == 2
    first, second = (rows.nth(i).locator("td") for i in range(2))
    assert first.nth(0).locator("strong").first.inner_text() == CRITERIA[0][f"name_{run.lang}"]
    assert first.nth(1).inner_text().startswith("1–5")
    assert first.nth(2).inner_text() == "2 (67%)"
    assert second.nth(2).inner_text() == "1 (33%)"
    assert "5 " + CRITERIA[0][f"levels_{run.lang}"].split("\n")[0][3:] in first.nth(0).inner_text()


def tab(page: Any, run: Run, label: str) -> None:
    follow(page.locator("nav.tabs").get_by_role("link", name=text(run.lang, label)))


def bring_entries_and_assign(page: Any, run: Run) -> int:
    """Brings in every submitted idea (ours, and any an earlier browser journey submitted) and
    assigns both judges to each; returns the number of entries."""
    tab(page, run, "Overview")
    follow(page.get_by_role("button", name=text(run.lang, "Bring in the submitted entries")))
    titles = page.get_by_test_id("entries").locator("tbody tr td:first-child").all_inner_texts()
    assert {VERIFY, COPILOT, YOUTH} <= set(titles)
    count = len(titles)
    assert flashes(page) == [
        text(
            run.lang,
            "Entries updated: %(added)s added, %(updated)s changed, %(removed)s removed, "
            "%(kept)s kept because they already have scores.",
            added=count,
            updated=0,
            removed=0,
            kept=0,
        )
    ]
    tab(page, run, "Judges and progress")
    follow(page.get_by_role("button", name=text(run.lang, "Assign judges")))
    # Two judges per entry, one fewer when the other language's judge has a conflict here.
    added = {
        plural(run.lang, "%(num)s assignment added.", "%(num)s assignments added.", n)
        for n in (2 * count - 1, 2 * count)
    }
    assert flashes(page)[0] in added
    progress = page.get_by_test_id("judge-progress").locator("tbody tr")
    row = progress.filter(has_text=judge_label(run.judge.name, run.lang))
    assert row.locator("td").nth(2).inner_text() == str(count)  # all, before the conflict
    return count


def judge_label(account: str, lang: str) -> str:
    """A demo judge's profile name in the page's language (accounts/demo.py)."""
    names = {
        "judge": {"ar": "خالد المنصوري", "en": "Khalid Al-Mansoori"},
        "judge2": {"ar": "Sarah Johnson", "en": "Sarah Johnson"},
    }
    return names[account][lang]


def open_round(page: Any, run: Run) -> None:
    tab(page, run, "Overview")
    # The event still takes submissions: opening now needs the organizer's explicit override.
    follow(page.get_by_role("button", name=text(run.lang, "Open for scoring")))
    refusal = text(
        run.lang,
        "Submissions are open until %(when)s: scoring opens once they close. "
        "To open it now anyway, tick “Open before submissions close”.",
        when="WHEN",
    )
    assert refusal.split("WHEN")[0] in page.locator("main").inner_text()
    shot(page, run, "open-refused")
    page.get_by_label(text(run.lang, "Open before submissions close")).check()
    follow(page.get_by_role("button", name=text(run.lang, "Open for scoring")))
    assert flashes(page) == [text(run.lang, "The round is open: judges can score now.")]
    assert page.get_by_test_id("round-state").inner_text() == text(run.lang, "Scoring open")


# --- judges ------------------------------------------------------------------------------------


def queue_of(page: Any, run: Run) -> Any:
    page.goto("/judging/queue")
    heading = f"{EVENT_TITLE[run.lang]} · {run.name()}"
    return page.get_by_test_id("queue-round").filter(
        has=page.get_by_role("heading", name=heading, exact=True)
    )


def declare_conflict(page: Any, run: Run, count: int) -> None:
    queue = queue_of(page, run)
    assert {VERIFY, COPILOT, YOUTH} <= set(queue.locator("ol.queue-list a").all_inner_texts())
    assert queue.get_by_test_id("queue-progress").inner_text() == text(
        run.lang, "%(done)s of %(total)s submitted", done=0, total=count
    )
    shot(page, run, "04-judge-queue")
    follow(queue.get_by_role("link", name=run.conflicted, exact=True))
    page.locator("details.conflict-box summary").click()
    page.fill(
        "#f-reason",
        "I advised this team before the event."
        if run.lang == "en"
        else "قدّمت استشارة لهذا الفريق قبل الفعالية.",
    )
    shot(page, run, "05-judge-conflict")
    follow(page.get_by_role("button", name=text(run.lang, "Declare the conflict")))
    assert flashes(page) == [
        text(
            run.lang,
            "Your conflict has been recorded: this entry has left your queue and the "
            "organizers will assign it to someone else.",
        )
    ]
    queue = queue_of(page, run)
    assert run.conflicted not in queue.inner_text()
    assert queue.get_by_test_id("queue-progress").inner_text() == text(
        run.lang, "%(done)s of %(total)s submitted", done=0, total=count - 1
    )


def score(page: Any, run: Run, entry: str, marks: dict[str, tuple[str, str]], comment: str) -> None:
    follow(queue_of(page, run).get_by_role("link", name=entry, exact=True))
    assert page.locator("h1").inner_text() == entry
    detail = page.get_by_test_id("entry-detail").inner_text()
    if run.blind:
        assert TEAM_OF.get(entry, "?") not in detail
        assert (
            text(run.lang, "Blind round: the team and its members are not shown.")
            in page.locator("main").inner_text()
        )
    elif entry in TEAM_OF:
        assert TEAM_OF[entry] in detail
    clarity, impact = marks.get(entry, LAST)
    page.fill("#f-score_c1", clarity)
    page.fill("#f-score_c2", impact)
    if marks is GENEROUS:  # the running total is the page's own script, while typing
        assert page.get_by_test_id("running-total").inner_text() == TOTALS[(clarity, impact)]
    page.fill("#f-comment_for_team", comment)
    page.fill("#f-note_for_organizers", f"Private note on {entry}")
    follow(page.get_by_role("button", name=text(run.lang, "Submit scores")))
    assert flashes(page) == [text(run.lang, "Your scores have been submitted.")]
    page.get_by_test_id("sheet-submitted").wait_for()


def comment(run: Run, entry: str, whose: str) -> str:
    """A comment for the team, in the run's language, naming the entry and the round."""
    texts = {
        ("ar", "main"): "فكرة واضحة في «{entry}»، جرّبوها مع جمهور صغير ({round}).",
        ("ar", "other"): "عرض جيد لـ«{entry}»، أضيفوا أرقامًا تدعم الأثر ({round}).",
        ("en", "main"): "A clear pitch for “{entry}”: try it with a small audience ({round}).",
        ("en", "other"): "Good work on “{entry}”: add numbers behind the impact ({round}).",
    }
    return texts[(run.lang, whose)].format(entry=entry, round=run.name())


def main_judge_scores(page: Any, run: Run, count: int) -> None:
    declare_conflict(page, run, count)
    scored = [e for e in (VERIFY, COPILOT, YOUTH) if e != run.conflicted]
    for number, entry in enumerate(scored, 1):
        score(page, run, entry, GENEROUS, comment(run, entry, "main"))
        shot(page, run, f"06-judge-scored-{number}")
    queue = queue_of(page, run)
    assert queue.get_by_test_id("queue-progress").inner_text() == text(
        run.lang, "%(done)s of %(total)s submitted", done=2, total=count - 1
    )
    shot(page, run, "07-judge-done")


def other_judge_scores(page: Any, run: Run) -> None:
    entries = queue_of(page, run).locator("ol.queue-list a").all_inner_texts()
    assert entries  # two or three, depending on the other language's conflict
    for entry in entries:
        score(page, run, entry, HARSH, comment(run, entry, "other"))


# --- the organizer decides -------------------------------------------------------------------


def close_round(page: Any, run: Run) -> None:
    tab(page, run, "Overview")
    follow(page.get_by_role("button", name=text(run.lang, "Close scoring")))
    assert page.get_by_test_id("round-state").inner_text() == text(run.lang, "Closed")


def ranking_rows(page: Any) -> Any:
    return page.get_by_test_id("ranking").locator("tbody tr")


def compare_methods(page: Any, run: Run) -> None:
    tab(page, run, "Results")
    headers = page.get_by_test_id("ranking").locator("thead th").all_inner_texts()
    assert [h.strip() for h in headers[4:9]] == [text(run.lang, m) for m in METHODS]
    titles = [lines(row.locator("td").nth(1))[0] for row in ranking_rows(page).all()]
    assert titles[:3] == [VERIFY, COPILOT, YOUTH]
    leniency = page.get_by_test_id("leniency").locator("tbody tr td:first-child")
    assert sorted(leniency.all_inner_texts()) == sorted(
        judge_label(name, run.lang) for name in ("judge", "judge2")
    )
    notes = page.get_by_test_id("organizer-note").all_inner_texts()
    assert any(f"Private note on {VERIFY}" in n for n in notes)
    shot(page, run, "08-results-compared")
    page.select_option("#f-method", run.method)
    follow(page.get_by_role("button", name=text(run.lang, "Use this method")))
    assert flashes(page) == [text(run.lang, "The method for this round has been saved.")]
    chosen = page.get_by_test_id("ranking").locator("thead th.chosen").inner_text()
    assert chosen.strip() == text(
        run.lang,
        dict(zip(("mean", "median", "trimmed_mean", "zscore", "leniency"), METHODS, strict=True))[
            run.method
        ],
    )


def back_to_results(page: Any, run: Run) -> None:
    page.goto(f"/events/{EVENT}/manage")
    follow(page.get_by_test_id("judging-link"))
    follow(page.get_by_test_id("rounds").get_by_role("link", name=run.name(), exact=True))
    tab(page, run, "Results")


def shortlist_and_mark(page: Any, run: Run) -> None:
    page.fill("#f-count", "2")
    follow(page.get_by_role("button", name=text(run.lang, "Shortlist and tell the teams")))
    assert plural(
        run.lang, "%(num)s entry is on the shortlist.", "%(num)s entries are on the shortlist.", 2
    ) in flashes(page)
    shortlisted = text(run.lang, "shortlisted")
    marked = [row.locator("td").last.inner_text() for row in ranking_rows(page).all()]
    assert [shortlisted in cell for cell in marked[:3]] == [True, True, False]
    for entry, choice in ((VERIFY, "1"), (COPILOT, "2"), (YOUTH, "mention")):
        row = ranking_rows(page).filter(has_text=entry)
        row.locator("select[name=mark]").select_option(choice)
        follow(row.get_by_role("button", name=text(run.lang, "Mark"), exact=True))
        assert flashes(page) == [text(run.lang, "The mark has been saved.")]
    decisions = [row.locator("td").last.inner_text() for row in ranking_rows(page).all()]
    assert decisions[0].startswith(
        text(run.lang, "First place") + " · " + text(run.lang, "overall")
    )
    assert decisions[1].startswith(text(run.lang, "Second place"))
    assert decisions[2].startswith(text(run.lang, "Honourable mention"))
    shot(page, run, "09-results-decided")


def nothing_public_yet(visitor: Any, organizer: Any, run: Run) -> None:
    """Before publication the public results page (if an earlier round made it exist) says
    nothing of this round, and the event page shows none of its winners."""
    scope = re.search(r"/judging/event/\d+", organizer.url)
    assert scope is not None
    answer = visitor.goto(f"{scope.group(0)}/results?lang={run.lang}")
    assert answer.status == 404 or run.name() not in visitor.locator("main").inner_text()
    visitor.goto(f"/events/{EVENT}?lang={run.lang}")
    results = visitor.get_by_test_id("event-results")
    assert results.count() == 0 or run.name() not in results.inner_text()


def preview_and_publish(page: Any, run: Run) -> None:
    follow(page.get_by_role("link", name=text(run.lang, "Preview the public results page")))
    assert page.get_by_test_id("preview-notice").is_visible()
    winners = page.get_by_test_id("winners-overall").inner_text()
    assert VERIFY in winners and COPILOT in winners
    shot(page, run, "10-results-preview")
    page.go_back()
    page.once("dialog", lambda dialog: dialog.accept())  # "Publish the results? ..."
    follow(page.get_by_role("button", name=text(run.lang, "Publish and send the announcement")))
    assert flashes(page) == [
        text(run.lang, "The results are published and the teams are being told.")
    ]
    assert page.get_by_test_id("published-notice").is_visible()
    shot(page, run, "11-results-published")


# --- the public and the team ----------------------------------------------------------------


def round_section(page: Any, testid: str, name: str) -> Any:
    """The part of a results or feedback page about one round (named once there are several)."""
    sections = page.get_by_test_id(testid)
    return sections if sections.count() == 1 else sections.filter(has_text=name)


def round_names(page: Any) -> str:
    """The event page's results section: the latest round's name and winners."""
    section = page.get_by_test_id("event-results")
    return section.inner_text() if section.count() else ""


def public_results(page: Any, run: Run) -> None:
    assert_direction(page, run.lang)
    # Anonymous visitors may be served the event page from a cache a few seconds old
    # (events.public_cache.TTL): the results appear at the latest when it expires.
    deadline = time.monotonic() + 2 * PAGE_CACHE_SECONDS
    while run.name() not in round_names(page) and time.monotonic() < deadline:
        time.sleep(0.5)
        page.reload()
    summary = page.get_by_test_id("event-results").inner_text()
    assert text(run.lang, "Results") in summary and VERIFY in summary
    shot(page, run, "12-public-event-page")
    follow(page.get_by_test_id("results-link"))
    assert page.locator("h1").inner_text() == text(
        run.lang, "Results of %(title)s", title=EVENT_TITLE[run.lang]
    )
    ours = round_section(page, "results-round", run.name())
    overall = ours.get_by_test_id("winners-overall").locator("li")
    assert lines(overall.nth(0)) == [text(run.lang, "First place"), VERIFY, TEAM_OF[VERIFY]]
    assert lines(overall.nth(1)) == [text(run.lang, "Second place"), COPILOT, TEAM_OF[COPILOT]]
    assert YOUTH in ours.get_by_test_id("mentions").inner_text()
    shot(page, run, "13-public-results")


def read_feedback(page: Any, run: Run) -> None:
    page.goto("/me/events")
    card = page.locator("section.event-card").filter(
        has=page.get_by_role("heading", name=EVENT_TITLE[run.lang], exact=True)
    )
    follow(card.get_by_test_id("feedback-link"))
    assert_direction(page, run.lang)
    assert page.locator("h1").inner_text() == text(run.lang, "Feedback from the judges")
    ours = round_section(page, "feedback-round", run.name())
    rows = ours.get_by_test_id("feedback-criteria").locator("tbody tr")
    clarity = rows.nth(0).locator("td").all_inner_texts()
    assert clarity[0] == CRITERIA[0][f"name_{run.lang}"] and clarity[2] == "1–5"
    assert float(clarity[1]) in {4.5, 5.0}  # one or two judges scored it, 5 and 4
    comments = ours.get_by_test_id("feedback-comments").inner_text()
    assert comment(run, VERIFY, "main") in comments
    for name in ("Khalid", "Sarah", "Private note"):
        assert name not in page.locator("main").inner_text()
    shot(page, run, "14-team-feedback")


# --- the journey ------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_judging_from_rubric_to_published_results(
    lang,
    page,
    wait_for_mail,  # noqa: ANN001
    three_entries,
) -> None:
    run = RUNS[lang]
    organizer = signed_in(page, demo("organizer", lang))
    open_judging(organizer, run)
    assert_direction(organizer, lang)
    shot(organizer, run, "01-judging-of-the-event")
    create_round(organizer, run)
    build_rubric(organizer, run)
    shot(organizer, run, "02-rubric")
    count = bring_entries_and_assign(organizer, run)
    shot(organizer, run, "03-assigned")
    open_round(organizer, run)

    main_judge_scores(signed_in(page, run.judge), run, count)
    other_judge_scores(signed_in(page, run.other_judge), run)

    close_round(organizer, run)
    compare_methods(organizer, run)
    open_judging(organizer, run)
    create_round(organizer, run, final=True)
    back_to_results(organizer, run)
    shortlist_and_mark(organizer, run)
    assert shortlist_mail(wait_for_mail, run) is not None
    visitor = page(lang)
    nothing_public_yet(visitor, organizer, run)
    preview_and_publish(organizer, run)

    visitor.goto(f"/events/{EVENT}?lang={lang}")
    public_results(visitor, run)
    read_feedback(signed_in(page, run.member), run)


def shortlist_mail(wait_for_mail: Callable[..., EmailMessage], run: Run) -> EmailMessage | None:
    """The winning team's mail about this run's final (an earlier run's may come first)."""
    lang = run.member.lang
    subject = text(lang, "Your entry is on the shortlist of %(title)s", title=EVENT_TITLE[lang])
    final = getattr(run, f"final_{lang}")
    for _attempt in range(2):
        message = wait_for_mail(run.member.email, subject_contains=subject)
        if final in message.get_body(("plain",)).get_content():  # type: ignore[union-attr]
            return message
    return None
