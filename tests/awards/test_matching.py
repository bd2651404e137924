"""awards/matching.py: Arabic and Latin normalization, URL canonicalization, the similarity
test and the duplicate search, with hypothesis properties."""

from __future__ import annotations

import string
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from awards.matching import (
    ExactGroup,
    LikelyPair,
    Nomination,
    canonical_url,
    find_duplicates,
    normalize_text,
    similarity,
    tokens,
)


@pytest.mark.parametrize(
    ("variants", "expected"),
    [
        (["أحمد", "إحمد", "آحمد", "ٱحمد", "احمد"], "احمد"),
        (["مدرسة", "مدرسه"], "مدرسه"),
        (["مستشفى", "مستشفي"], "مستشفي"),
        (["مسؤول", "مسوول"], "مسوول"),
        (["رئيس", "رييس"], "رييس"),
        (["مُحَمَّدٌ", "محـــمد", "مـحـمـد", "محمد"], "محمد"),
        (["٢٠٢٤", "۲۰۲۴", "2024"], "2024"),
        (["القُدْسُ، فلسطين!", "القدس  فلسطين"], "القدس فلسطين"),
        (["Café Déjà-Vu!", "CAFE deja vu", "café   déjà vu."], "cafe deja vu"),
        (["STRASSE", "Straße"], "strasse"),
    ],
)
def test_spelling_variants_normalize_together(variants, expected):
    assert {normalize_text(v) for v in variants} == {expected}


ARABIC_LETTERS = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"
VARIANTS = {"ا": "أإآٱ", "و": "ؤ", "ي": "ئى", "ه": "ة"}
MARKS = "\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652\u0670\u0640"


@st.composite
def arabic_variants(draw):
    """A plain Arabic phrase and a variant of it: letters swapped for their hamza, madda,
    wasla, taa marbuta or alef maqsura forms, with harakat and tatweel sprinkled in."""
    words = draw(st.lists(st.text(ARABIC_LETTERS, min_size=1, max_size=8), min_size=1, max_size=4))
    plain = " ".join(words)
    out = []
    for char in plain:
        if char in VARIANTS and draw(st.booleans()):
            char = draw(st.sampled_from(VARIANTS[char]))
        out.append(char)
        out.append(draw(st.text(MARKS, max_size=2)))
    return plain, "".join(out)


@given(arabic_variants())
def test_arabic_variants_normalize_like_the_plain_text(pair):
    plain, variant = pair
    assert normalize_text(variant) == normalize_text(plain)


@given(st.text())
@settings(max_examples=500)
def test_normalization_is_idempotent(text):
    once = normalize_text(text)
    assert normalize_text(once) == once


@given(st.text(string.ascii_letters + " ", min_size=1), st.data())
def test_latin_case_and_punctuation_do_not_matter(text, data):
    shouted = "".join(c.upper() if data.draw(st.booleans()) else c for c in text)
    punctuated = data.draw(st.sampled_from([" ", "!", ",", ".", " - ", "?", "…", "  "])).join(
        shouted.split(" ")
    )
    assert normalize_text(punctuated) == " ".join(text.lower().split())


def test_tokens_drop_the_arabic_article_from_long_words():
    assert tokens("الجزيرة والعربية بالإعلام في الخبر") == ["جزيره", "عربيه", "اعلام", "في", "خبر"]


@pytest.mark.parametrize(
    "form",
    [
        "https://example.com/news/story?a=1&b=2",
        "HTTP://WWW.Example.COM:80/news/story/?b=2&a=1",
        "https://www.example.com:443/news/story?utm_source=x&b=2&utm_medium=y&a=1#comments",
        "example.com/news/story/?a=1&fbclid=abc&b=2&gclid=q",
        "  https://example.com./news/%73tory?a=1&b=2  ",
    ],
)
def test_equivalent_urls_share_one_canonical_form(form):
    assert canonical_url(form) == "https://example.com/news/story?a=1&b=2"


def test_different_urls_stay_different():
    assert canonical_url("https://example.com/a?id=1") != canonical_url(
        "https://example.com/a?id=2"
    )
    assert canonical_url("https://example.com:8080/a") == "https://example.com:8080/a"
    assert canonical_url("https://news.example.com/a") != canonical_url("https://example.com/a")


HOSTS = st.from_regex(r"[a-z][a-z0-9]{0,8}(\.[a-z]{2,5}){1,2}", fullmatch=True)
SEGMENTS = st.lists(
    st.text(string.ascii_letters + string.digits + "-_.~%é ", max_size=6), max_size=3
)
PARAMS = st.lists(
    st.tuples(
        st.sampled_from(["id", "q", "utm_source", "fbclid", "page", "gclid"]), st.text(max_size=4)
    ),
    max_size=4,
)


@given(
    st.sampled_from(["http", "https", "HTTPS"]),
    st.booleans(),
    HOSTS,
    st.sampled_from(["", ":80", ":443", ":8080"]),
    SEGMENTS,
    PARAMS,
    st.text(max_size=5),
)
@settings(max_examples=300)
def test_url_canonicalization_is_idempotent_and_ignores_irrelevant_details(
    scheme, www, host, port, segments, params, fragment
):
    from urllib.parse import quote, urlencode

    path = "/" + "/".join(quote(s) for s in segments)
    url = f"{scheme}://{'www.' if www else ''}{host.upper()}{port}{path}"
    query = urlencode(params)
    full = url + (f"?{query}" if query else "") + (f"#{quote(fragment)}" if fragment else "")
    canonical = canonical_url(full)
    assert canonical_url(canonical) == canonical
    kept = [(k, v) for k, v in params if k not in ("utm_source", "fbclid", "gclid")]
    plain = f"https://{host}{port if port == ':8080' else ''}{path}/"
    reordered = plain + (f"?{urlencode(list(reversed(kept)))}" if kept else "")
    assert canonical_url(reordered) == canonical


def test_similarity_is_exact_and_ignores_spelling_variants():
    assert similarity("أحمد الرشيد", "احمد الرشيد") == 1
    assert similarity("Ahmed Al-Rashid", "ahmed al rashid") == 1
    assert similarity("", "") == 0
    value = similarity("Ahmed Mohammed", "Ahmad Mohamed")
    assert isinstance(value, Fraction) and value == Fraction(16, 23)


def test_exact_duplicates_by_email_or_url_merge_transitively():
    nominations = [
        Nomination("n1", names=("Sara Ali",), email="Sara.Ali+award@gmail.com"),
        Nomination("n2", names=("سارة علي",), email="saraali@googlemail.com",
                   urls=("https://www.example.com/story/",)),
        Nomination("n3", names=("Someone Else",), urls=("http://example.com/story?utm_source=x",)),
        Nomination("n4", names=("Omar Khaled",), email="omar@example.org"),
    ]  # fmt: skip
    found = find_duplicates(nominations)
    assert found.exact == (ExactGroup(("n1", "n2", "n3"), ("email", "url")),)
    assert found.likely == ()


def test_likely_duplicates_are_offered_with_their_signals():
    nominations = [
        Nomination("n1", names=("مُحَمَّد عبدالله الشمري",), titles=("ملف الفساد في الموانئ",)),
        Nomination("n2", names=("محمد عبد الله الشمرى",), titles=("تحقيق عن الموانئ",)),
        Nomination("n3", names=("Laila Hassan",), titles=("The Water Files",), outlet="Al Waha",
                   published="2026-03-01"),
        Nomination("n4", names=("Layla Hasan",), titles=("Water files, part one",),
                   outlet="AL-WAHA", published="2026-03-01"),
        Nomination("n5", names=("Khalid Omar",), titles=("Desert Cities",)),
    ]  # fmt: skip
    found = find_duplicates(nominations)
    assert found.exact == ()
    assert [(p.first, p.second, p.reasons) for p in found.likely] == [
        ("n1", "n2", ("similar name",)),
        ("n3", "n4", ("same outlet and date",)),
    ]
    assert all(isinstance(p, LikelyPair) and 0 < p.score <= 1 for p in found.likely)


def test_a_common_word_alone_does_not_pair_everyone():
    nominations = [
        Nomination(f"n{i}", names=(f"Person {i:04d} Zq{i}x",), titles=("Report",))
        for i in range(300)
    ]
    assert find_duplicates(nominations).likely == ()
