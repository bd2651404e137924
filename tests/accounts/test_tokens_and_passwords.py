"""The pure parts: signed links, password rules, form parsing (with property tests)."""

from __future__ import annotations

import datetime as dt
import string

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accounts import forms, tokens
from accounts.passwords import dummy_hash, hash_password, verify_password, weakness
from core import clock

SECRET = "a-test-secret"
payloads = st.dictionaries(
    st.sampled_from(["u", "e", "h", "x"]),
    st.one_of(st.integers(-(2**31), 2**31), st.text(max_size=40)),
    min_size=1,
)


@pytest.fixture(autouse=True)
def _real_time():
    yield
    clock.reset()


@given(payloads, st.sampled_from(["verify", "reset"]))
def test_a_token_reads_back_what_was_signed(payload, purpose):
    token = tokens.make(SECRET, purpose, payload)
    assert tokens.read(SECRET, purpose, token, 60) == payload


@given(payloads, st.integers(min_value=0, max_value=200))
def test_any_change_to_a_token_is_refused(payload, position):
    token = tokens.make(SECRET, "reset", payload)
    i = position % len(token)
    changed = token[:i] + ("A" if token[i] != "A" else "B") + token[i + 1 :]
    # The signature covers every character of the payload and stamp; only the unused low bits
    # of the signature's last base64 character may change without effect.
    assert tokens.read(SECRET, "reset", changed, 3600) is None or i == len(token) - 1


def test_a_token_is_bound_to_its_purpose_and_secret():
    token = tokens.make(SECRET, "verify", {"u": 1})
    assert tokens.read(SECRET, "reset", token, 3600) is None
    assert tokens.read("another-secret", "verify", token, 3600) is None
    assert tokens.read(SECRET, "verify", "garbage", 3600) is None
    assert tokens.read(SECRET, "verify", "", 3600) is None


def test_tokens_expire_by_the_platform_clock():
    token = tokens.make(SECRET, "reset", {"u": 7})
    clock.travel(dt.timedelta(seconds=tokens.RESET_MAX_AGE - 5))
    assert tokens.read(SECRET, "reset", token, tokens.RESET_MAX_AGE) == {"u": 7}
    clock.travel(dt.timedelta(seconds=10))
    assert tokens.read(SECRET, "reset", token, tokens.RESET_MAX_AGE) is None


def test_a_token_stamped_in_the_future_is_refused():
    clock.travel(dt.timedelta(hours=2))
    token = tokens.make(SECRET, "reset", {"u": 7})
    clock.reset()
    assert tokens.read(SECRET, "reset", token, tokens.RESET_MAX_AGE) is None


def test_the_reset_fingerprint_changes_with_the_password_and_hides_the_hash():
    first, second = hash_password("one long password", "test"), hash_password("two", "test")
    fingerprint = tokens.password_fingerprint(SECRET, first)
    assert fingerprint == tokens.password_fingerprint(SECRET, first)
    assert fingerprint != tokens.password_fingerprint(SECRET, second)
    assert fingerprint != tokens.password_fingerprint("other secret", first)
    assert fingerprint not in first and first[-12:] not in fingerprint


@given(st.text(max_size=9))
def test_short_passwords_are_refused(password):
    assert weakness(password) == "short"


@given(st.text(min_size=129, max_size=300))
def test_overlong_passwords_are_refused(password):
    assert weakness(password) == "long"


@given(
    local=st.text(alphabet=string.ascii_lowercase + ".", min_size=4, max_size=20),
    before=st.text(max_size=40),
    after=st.text(max_size=40),
)
def test_a_password_containing_the_email_name_is_refused(local, before, after):
    password = (before + local.upper() + after).ljust(10, "!")[:128]
    if local.upper() in password:
        assert weakness(password, f"{local}@example.org") == "email"


@given(st.text(alphabet=string.ascii_letters + string.digits + " -_", min_size=4, max_size=4))
def test_long_varied_phrases_pass(word):
    password = f"{word} camel river lantern"
    if len(set(password)) >= 4:
        assert weakness(password, "someone.else@example.org") is None


@settings(max_examples=20, deadline=None)
@given(st.text(min_size=1, max_size=64))
def test_hash_and_verify(password):
    stored = hash_password(password, "test")
    assert verify_password(stored, password, "test")
    assert not verify_password(stored, password + "x", "test")
    assert not verify_password(dummy_hash("test"), password, "test")
    assert not verify_password("not-a-hash", password, "test")


ARABIC_LETTERS = "ابتثجحخدذرزسشصضطظعغفقكلمنهويءآأإةى"
name_words = st.text(alphabet=ARABIC_LETTERS + string.ascii_letters, min_size=1, max_size=12)


@given(st.lists(name_words, min_size=1, max_size=5))
def test_names_of_letters_in_any_mix_are_accepted(words):
    name = " ".join(words)
    form = forms.profile({"name_ar": name, "name_en": "", "language": "ar"})
    assert form.ok, form.errors
    assert form.values["name_ar"] == name


@given(st.text(max_size=30), st.sampled_from("<>"), st.text(max_size=30))
def test_markup_characters_are_refused_in_every_text_field(before, mark, after):
    value = before + mark + after
    form = forms.profile(
        {
            "name_ar": value,
            "name_en": value,
            "organization": value,
            "job_title": value,
            "language": "ar",
        }
    )
    for name in ("name_ar", "name_en", "organization", "job_title"):
        assert name in form.errors


@given(st.text(alphabet="0123456789٠١٢٣٤٥٦٧٨٩", min_size=6, max_size=15))
def test_phone_digits_become_western(digits):
    form = forms.profile({"name_en": "Reem", "phone": "+" + digits, "language": "en"})
    assert form.ok, form.errors
    assert form.values["phone"].lstrip("+").isascii()
    assert form.values["phone"].lstrip("+").isdigit()


def test_the_sign_up_form_reports_every_problem_at_once():
    form = forms.signup(
        {
            "name": "",
            "email": "x@example.org",
            "password": "abc",
            "password_confirm": "abd",
            "language": "ar",
        }
    )
    assert set(form.errors) == {"name", "password", "password_confirm"}
