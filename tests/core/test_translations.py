"""Every string a user can see exists in Arabic, with the same placeholders."""

from __future__ import annotations

from babel.messages.catalog import Message

from core import i18n
from core.messages import DOMAINS, _check, extract, problems


def test_every_extracted_string_has_an_arabic_translation():
    assert problems("ar") == []


def test_every_domain_with_strings_has_its_arabic_catalog():
    for domain, catalog in extract().items():
        if len(catalog):
            assert (i18n.LOCALE_DIR / "ar" / "LC_MESSAGES" / f"{domain}.po").exists(), domain
    assert set(DOMAINS) >= {"core", "accounts", "events", "judging"}


def test_arabic_plural_forms_follow_arabic_grammar():
    with i18n.use_locale("ar"):
        forms = [
            i18n.ngettext(
                "Please correct %(num)s field below.", "Please correct %(num)s fields below.", n
            )
            for n in (1, 2, 3, 11, 100)
        ]
    assert forms == [
        "يرجى تصحيح حقل واحد أدناه.",
        "يرجى تصحيح حقلين أدناه.",
        "يرجى تصحيح 3 حقول أدناه.",
        "يرجى تصحيح 11 حقلًا أدناه.",
        "يرجى تصحيح 100 حقل أدناه.",
    ]


def test_a_plural_entry_with_an_empty_arabic_form_counts_as_untranslated():
    ids = ("One file", "%(num)s files")
    forms = ("لا ملفات", "ملف واحد", "ملفان", "%(num)s ملفات", "", "%(num)s ملفًا")
    assert _check("core", ids, Message(ids, forms)) == [
        "core: untranslated plural form: 'One file'"
    ]
    full = forms[:4] + ("%(num)s ملف",) + forms[5:]
    assert _check("core", ids, Message(ids, full)) == []
