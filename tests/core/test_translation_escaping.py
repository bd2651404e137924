"""Translations are text, never HTML: `_()`, `ngettext` and `{% trans %}` escape the translated
sentence and its values in HTML templates, while markup the template builds on purpose (its own
tags, values made with Markup such as `|ltr`) stays markup; text templates stay plain."""

from __future__ import annotations

import pytest
from markupsafe import Markup

from core import i18n
from core.templating import environment

SLUG_HELP = "Lowercase Latin letters, digits and hyphens; the page will be /events/<address>."


def html(source: str, **context: object) -> str:
    return environment.from_string(source).render(**context)


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", "the page will be /events/&lt;address&gt;."),
        ("ar", "وسيكون رابط الصفحة ‎/events/&lt;الاسم&gt;."),
    ],
)
def test_a_translation_holding_markup_is_escaped(lang, expected):
    with i18n.use_locale(lang):
        rendered = html("<p>{{ _(message) }}</p>", message=SLUG_HELP)
    assert rendered.startswith("<p>") and rendered.endswith(f"{expected}</p>")


def test_values_are_escaped_and_deliberate_markup_is_kept():
    with i18n.use_locale("en"):
        rendered = html(
            '<b>{{ _("From %(who)s to %(whom)s <i>now</i>", who=name, whom=mail|ltr) }}</b>',
            name="<script>x</script>",
            mail="a&b@example.org",
        )
    assert rendered == (
        "<b>From &lt;script&gt;x&lt;/script&gt; to "
        '<bdi dir="ltr">a&amp;b@example.org</bdi> &lt;i&gt;now&lt;/i&gt;</b>'
    )
    with i18n.use_locale("en"):
        kept = html('{{ _("Sent to %(who)s", who=tag) }}', tag=Markup("<bdi>r</bdi>"))
    assert kept == "Sent to <bdi>r</bdi>"


def test_plural_and_trans_blocks_escape_too():
    with i18n.use_locale("en"):
        plural = html('{{ ngettext("%(num)s <x>", "%(num)s <xs>", n) }}', n=2)
        block = html("{% trans who=name %}Hello <u>{{ who }}</u>{% endtrans %}", name="<em>")
    assert plural == "2 &lt;xs&gt;"
    assert block == "Hello &lt;u&gt;&lt;em&gt;&lt;/u&gt;"


def test_text_templates_keep_translations_plain():
    # a .txt mail template is rendered without autoescape, as this block is
    source = "{% autoescape false %}{{ _(message) }}{% endautoescape %}"
    with i18n.use_locale("en"):
        assert html(source, message=SLUG_HELP) == SLUG_HELP
