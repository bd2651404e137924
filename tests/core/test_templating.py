"""The Jinja environment's `auto` filter: a user-written value in its own direction."""

from __future__ import annotations

from urllib.parse import urlencode

from core.i18n import use_locale
from core.templating import Kept, environment, plain_helpers


def render(source: str, **context: object) -> str:
    return environment.from_string(source).render(**context)


def test_a_value_is_isolated_and_escaped() -> None:
    assert render("{{ name|auto }}", name="فريق <العين>") == (
        '<bdi dir="auto">فريق &lt;العين&gt;</bdi>'
    )


def test_an_empty_value_stays_empty_so_a_fallback_still_shows() -> None:
    assert render('{{ name|auto or "—" }}', name="") == "—"
    assert render('{{ name|auto or "—" }}', name=None) == "—"


def test_organizer_content_says_which_language_it_is_in() -> None:
    event = {"title_ar": "ميدياثون", "title_en": ""}
    with use_locale("en"):  # only in Arabic: shown in Arabic, and marked so
        assert render('{{ localized(e, "title")|auto }}', e=event) == (
            '<bdi dir="auto" lang="ar">ميدياثون</bdi>'
        )


def test_inside_a_translated_sentence_the_value_is_isolated_once() -> None:
    with use_locale("en"):
        html = render('{{ _("Team %(team)s", team=name|auto) }}', name="<b>")
    assert html == 'Team <bdi dir="auto">&lt;b&gt;</bdi>'


def test_markup_made_on_purpose_is_kept_and_other_values_are_shown_as_text() -> None:
    assert render("{{ code|ltr|auto }}", code="<x>") == (
        '<bdi dir="auto"><bdi dir="ltr">&lt;x&gt;</bdi></bdi>'
    )
    assert render("{{ n|auto }}", n=42) == '<bdi dir="auto">42</bdi>'
    assert render('{{ name|auto("en") }}', name='"quoted" & <b>') == (
        '<bdi dir="auto" lang="en">&#34;quoted&#34; &amp; &lt;b&gt;</bdi>'
    )


def test_calls_in_a_loop_answer_as_jinja_would() -> None:
    """The environment's context calls our helpers and built-in methods directly; a function
    marked pass_context (none of ours) still gets the loop's variables, as Jinja gives them."""
    from jinja2 import pass_context

    @pass_context
    def seen(context: object, name: str) -> object:
        return context[name]  # type: ignore[index]

    def shout(text: str, mark: str = "!") -> str:
        return text.upper() + mark

    plain_helpers(shout)  # a domain's helper, called directly
    source = (
        "{% for row in rows %}{% set label = row.get('name') %}"
        "{{ seen('label') }}|{{ _('Sign in') }}|{{ row.get('missing', '-') }}|"
        "{{ shout(label, mark='?') }};{% endfor %}"
    )
    rows = [{"name": "<a>"}, {"name": "ب"}]
    with use_locale("ar"):
        shown = render(source, rows=rows, seen=seen, shout=shout)
    assert shown == "&lt;a&gt;|تسجيل الدخول|-|&lt;A&gt;?;ب|تسجيل الدخول|-|ب?;"


def test_the_language_switch_keeps_the_path_as_the_request_url_has_it() -> None:
    """The switch's addresses are made from the scope's path (no URL built per page), the
    same as from request.url: ? # and backslash escaped, one leading slash."""
    from types import SimpleNamespace

    from starlette.requests import Request

    from core.templating import _page_values

    app = SimpleNamespace(state=SimpleNamespace(settings=None))
    for path in ["/", "//evil.example/x", "/a?b", "/a#b", "/a\\b", "/ملف/١", "/x/"]:
        for query in [b"", b"lang=en", b"page=2&lang=ar&q=%D8%A3"]:
            scope = {
                "type": "http",
                "path": path,
                "query_string": query,
                "headers": [(b"host", b"testserver")],
                "app": app,
                "state": {},
            }
            made = _page_values(Request(scope))
            url = Request(scope).url
            expected_path = "/" + url.path.lstrip("/")
            kept = [(k, v) for k, v in Request(scope).query_params.multi_items() if k != "lang"]
            assert made["switch_next"] == expected_path + ("?" + urlencode(kept) if kept else "")
            assert made["switch_url"] == expected_path + "?" + urlencode([*kept, ("lang", "en")])


def test_a_template_sees_the_environments_globals_under_its_own() -> None:
    """Each template's globals are one plain dict (copied in C into every render's context),
    holding the environment's globals with the template's own over them, as Jinja's ChainMap
    does."""
    template = environment.from_string("{{ shout }}|{{ url_for is defined }}", {"shout": "own"})
    assert type(template.globals) is dict
    assert template.globals["url_for"] is environment.globals["url_for"]
    assert template.render() == "own|True"
    assert environment.from_string("{{ shout }}").render(shout="given") == "given"


def test_addresses_are_kept_per_site_the_request_names(app) -> None:  # noqa: ANN001
    """url_for keeps each address by what the base URL is made of (site_of): a request for
    another host, scheme, port or root path never gets another site's address."""
    from starlette.requests import Request

    from core.templating import url_for

    def made(host: bytes | None, scheme: str = "http", root: str = "") -> str:
        headers = [(b"host", host)] if host is not None else []
        scope = {
            "type": "http",
            "scheme": scheme,
            "server": ("10.0.0.1", 8000),
            "path": "/",
            "root_path": root,
            "query_string": b"",
            "headers": headers,
            "app": app,
        }
        return str(url_for(Request(scope), "accounts:login"))

    for _ in range(2):  # made, then kept
        assert made(b"a.example") == "http://a.example/login"
        assert made(b"b.example:8080") == "http://b.example:8080/login"
        assert made(b"a.example", "https") == "https://a.example/login"
        assert made(b"a.example", root="/sub") == "http://a.example/sub/login"
        assert made(None) == "http://10.0.0.1:8000/login"


def test_kept_values_are_made_once_per_key_and_language_and_bounded() -> None:
    """core.templating.Kept: made once for the same key in the same language, again in the
    other language or for another key, and never more than `kept` at once."""
    made: list[tuple[str, int]] = []
    kept: Kept[str] = Kept(kept=3)

    def make(key: int, lang: str) -> str:
        made.append((lang, key))
        return f"{lang}:{key}"

    with use_locale("en"):
        assert kept(1, lambda: make(1, "en")) == "en:1"
        assert kept(1, lambda: make(1, "en")) == "en:1"
    with use_locale("ar"):
        assert kept(1, lambda: make(1, "ar")) == "ar:1"
        for key in range(2, 9):
            assert kept(key, lambda key=key: make(key, "ar")) == f"ar:{key}"
            assert len(kept) <= 3
    assert made[:3] == [("en", 1), ("ar", 1), ("ar", 2)]
    assert len(made) == 9
