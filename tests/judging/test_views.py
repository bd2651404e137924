"""judging/views.py: a round's section of the judge's queue, kept by every value it shows
(core.templating.Fragment)."""

from __future__ import annotations

from markupsafe import Markup

from core.i18n import use_locale
from core.templating import Fragment
from judging.views import ShownRound


def _round(progress: str, title: str = "Initiative 1") -> ShownRound:
    return ShownRound(
        Markup("Mediathon · First round"),
        progress,
        1,
        2,
        False,  # closed: its notice is translated
        "",
        [("http://testserver/judging/entries/1", title, Markup(""), "Submitted")],  # type: ignore[list-item]
    )


def test_a_section_is_made_once_for_the_same_values_and_again_in_the_other_language() -> None:
    made: list[str] = []
    section = Fragment("judging/_queue_round.html")

    def values(progress: str) -> dict[str, ShownRound]:
        made.append(progress)
        return {"q": _round(progress)}

    with use_locale("en"):
        first = section(("round", 1), lambda: values("1 of 2 submitted"))
        again = section(("round", 1), lambda: values("not made"))
    assert again == first and made == ["1 of 2 submitted"]
    assert "This round is closed: you can read your scores" in first
    with use_locale("ar"):
        arabic = section(("round", 1), lambda: values("١ من ٢"))
    assert made == ["1 of 2 submitted", "١ من ٢"]
    assert "هذه الجولة مغلقة" in arabic and "This round is closed" not in arabic


def test_what_someone_typed_is_escaped_and_the_kept_sections_are_bounded() -> None:
    section = Fragment("judging/_queue_round.html", kept=2)
    with use_locale("en"):
        shown = section(1, lambda: {"q": _round("1 of 2", "<script>alert(1)</script>")})
        for key in range(2, 6):
            section(key, lambda: {"q": _round("1 of 2")})
            assert len(section) <= 2
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in shown and "<script>" not in shown
