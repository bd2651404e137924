"""Duplicate nominations: text normalization (Arabic and Latin), URL canonicalization, a
similarity test, and the search for exact and likely duplicates among a category's nominations.

Pure: only the standard library (and `awards.voters` for the canonical e-mail).

Arabic normalization follows the usual practice of Arabic information retrieval (the light
normalization of Larkey, Ballesteros and Connell, "Light Stemming for Arabic Information
Retrieval", 2007, as in Lucene's ArabicNormalizer): alef with hamza above or below, alef with
madda and alef wasla become bare alef (أ إ آ ٱ -> ا); hamza on waw or yeh becomes the letter
(ؤ -> و, ئ -> ي); taa marbuta becomes heh (ة -> ه); alef maqsura becomes yeh (ى -> ي); harakat
and other Quranic marks and the tatweel (ـ) are removed; Arabic-Indic and Eastern Arabic-Indic
digits become 0-9. Latin text is case-folded and stripped of accents (Unicode NFKD, marks
dropped); punctuation and symbols become spaces, and runs of spaces become one.

URL canonicalization (after RFC 3986 section 6 and the WHATWG URL standard's serialization):
http and https are one scheme; host in lower case without ``www.`` or a trailing dot; default
ports dropped; percent-encoding normalized; no trailing slash and no fragment; tracking
parameters (``utm_*``, ``fbclid``, ``gclid`` ...) dropped and the rest sorted.

Duplicate search: never all pairs. Each nomination gets blocking keys (its normalized name and
title tokens, its canonical e-mail and URLs, its outlet and date); only nominations sharing a
key are compared, and keys shared by too many nominations (common words) are skipped.
"""

from __future__ import annotations

import functools
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit

from awards.voters import AddressError, canonical_email

_ARABIC_MAP = {
    "\u0623": "\u0627",  # أ
    "\u0625": "\u0627",  # إ
    "\u0622": "\u0627",  # آ
    "\u0671": "\u0627",  # ٱ
    "\u0672": "\u0627",  # ٲ
    "\u0673": "\u0627",  # ٳ
    "\u0624": "\u0648",  # ؤ -> و
    "\u0626": "\u064a",  # ئ -> ي
    "\u0629": "\u0647",  # ة -> ه
    "\u0649": "\u064a",  # ى -> ي
    "\u06cc": "\u064a",  # Farsi yeh -> ي
    "\u06a9": "\u0643",  # keheh -> ك
}
_ARABIC_MAP.update({chr(0x0660 + d): str(d) for d in range(10)})  # ٠-٩
_ARABIC_MAP.update({chr(0x06F0 + d): str(d) for d in range(10)})  # ۰-۹
TATWEEL = "\u0640"
_ARTICLES = ("\u0648\u0627\u0644", "\u0628\u0627\u0644", "\u0627\u0644")  # وال بال ال
_ARTICLE_STARTS = frozenset(article[0] for article in _ARTICLES)
TRACKING_PARAMETERS = frozenset(
    {"fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "mc_cid", "mc_eid", "igshid"}
)
DEFAULT_PORTS = {"http": 80, "https": 443}
SIMILAR = Fraction(4, 5)  # a name or title this similar (trigram Dice) is a likely duplicate
SIMILAR_WITH_OUTLET = Fraction(1, 2)  # enough when the outlet and the date are the same too
BLOCK_LIMIT = 50  # a token shared by more nominations than this is too common to block on


class _CharTable(dict[int, str]):
    """str.translate's table, filled on first sight of each character: Arabic variants and
    digits mapped, marks, format characters and the tatweel dropped, punctuation, symbols,
    separators and controls turned into spaces, anything else kept."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        mapped = _ARABIC_MAP.get(char, char)
        category = unicodedata.category(mapped)
        if mapped == TATWEEL or category in ("Mn", "Me", "Cf"):
            value = ""
        elif category[0] in "PSZC":
            value = " "
        else:
            value = mapped
        self[code] = value
        return value


_TABLE = _CharTable()


def _one_pass(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).casefold()
    text = unicodedata.normalize("NFKD", text).translate(_TABLE)
    return " ".join(text.split())


def normalize_text(text: str) -> str:
    """Text for comparison: Arabic letter variants, harakat, tatweel and digits folded, Latin
    case and accents folded, punctuation to spaces, whitespace collapsed. Idempotent."""
    previous, current = None, _one_pass(text)
    while current != previous and not _is_fixed(current):
        previous, current = current, _one_pass(current)
    return current


_FIXED: set[str] = {" "}
_SEEN: set[str] = {" "}


def _is_fixed(text: str) -> bool:
    """Whether one more pass would leave `text` (a pass's output) unchanged: true when every
    character is its own NFKD decomposition and case fold, has combining class 0 and is kept
    by the table (so the whole string is unchanged too); the second pass is skipped then."""
    chars = set(text)
    for char in chars - _SEEN:
        _SEEN.add(char)
        if (
            unicodedata.normalize("NFKD", char) == char
            and char.casefold() == char
            and unicodedata.combining(char) == 0
            and _TABLE[ord(char)] == char
        ):
            _FIXED.add(char)
    return chars <= _FIXED


def tokens(text: str) -> list[str]:
    """The words of the normalized text, the Arabic article (ال, وال, بال) taken off words
    long enough to keep a stem of three letters."""
    return _words(normalize_text(text))


def _words(normalized: str) -> list[str]:
    words = normalized.split()
    for index, word in enumerate(words):
        if word[:1] in _ARTICLE_STARTS:
            for article in _ARTICLES:
                if word.startswith(article) and len(word) - len(article) >= 3:
                    words[index] = word[len(article) :]
                    break
    return words


def canonical_url(url: str) -> str:
    """The URL two nominations of the same work share: ``HTTP://WWW.Example.com:80/a/?b=2&a=1
    &utm_source=x#top`` gives ``https://example.com/a?a=1&b=2``. Idempotent."""
    text = url.strip()
    if "://" not in text:
        text = "https://" + text.lstrip("/")
    parts = urlsplit(text)
    scheme = parts.scheme.lower()
    if scheme in DEFAULT_PORTS:
        scheme = "https"
    host = (parts.hostname or "").rstrip(".")
    if host.startswith("www."):
        host = host[4:]
    try:
        port = parts.port
    except ValueError:
        port = None
    if port is not None and port not in DEFAULT_PORTS.values():
        host = f"{host}:{port}"
    path = quote(unquote(parts.path), safe="/:@!$&'()*+,;=~")
    path = path.rstrip("/")
    pairs = [
        (quote(unquote(key), safe=""), quote(unquote(value), safe=""))
        for key, value in parse_qsl(parts.query, keep_blank_values=True)
        if not key.lower().startswith("utm_") and key.lower() not in TRACKING_PARAMETERS
    ]
    query = urlencode(sorted(pairs), safe="%")
    return f"{scheme}://{host}{path}" + (f"?{query}" if query else "")


def trigrams(text: str) -> frozenset[str]:
    """Character trigrams of each normalized word, padded with a space on each side."""
    return _grams(tokens(text))


def _grams(words: Iterable[str]) -> frozenset[str]:
    return frozenset().union(*map(_word_grams, words))


@functools.lru_cache(maxsize=1 << 16)
def _word_grams(word: str) -> frozenset[str]:
    padded = f" {word} "
    return frozenset(padded[i : i + 3] for i in range(len(padded) - 2))


def dice(first: frozenset[str], second: frozenset[str]) -> Fraction:
    """Sørensen-Dice coefficient of two sets: 2 |A ∩ B| / (|A| + |B|), exactly."""
    if not first and not second:
        return Fraction(0)
    return Fraction(2 * len(first & second), len(first) + len(second))


def similarity(first: str, second: str) -> Fraction:
    """How alike two names or titles are, from 0 to 1: the Dice coefficient of their character
    trigrams after normalization (so word order, spelling variants of Arabic letters, harakat,
    case and punctuation do not matter)."""
    return dice(trigrams(first), trigrams(second))


@dataclass(frozen=True)
class Nomination:
    """What duplicate detection needs of a nomination: the nominee's names and the work's
    titles (in Arabic and/or English), the nominee's e-mail, outlet, publication date (ISO
    text, "" when unknown) and the work's links."""

    id: str
    names: tuple[str, ...] = ()
    titles: tuple[str, ...] = ()
    email: str = ""
    outlet: str = ""
    published: str = ""
    urls: tuple[str, ...] = ()


@dataclass(frozen=True)
class ExactGroup:
    """Nominations that merge automatically, and why ("email", "url")."""

    ids: tuple[str, ...]
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class LikelyPair:
    """Two nominations offered to the organizer as likely duplicates, with the signals."""

    first: str
    second: str
    score: Fraction
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class Duplicates:
    exact: tuple[ExactGroup, ...]
    likely: tuple[LikelyPair, ...]


@dataclass
class _Features:
    """A nomination prepared for comparison; the trigram sets are computed when first needed
    (only nominations that share a blocking key with another are ever compared)."""

    name_words: tuple[tuple[str, ...], ...]
    title_words: tuple[tuple[str, ...], ...]
    email: str
    urls: frozenset[str]
    outlet: str
    published: str
    words: frozenset[str]

    @functools.cached_property
    def names(self) -> tuple[frozenset[str], ...]:
        return tuple(g for g in map(_grams, self.name_words) if g)

    @functools.cached_property
    def titles(self) -> tuple[frozenset[str], ...]:
        return tuple(g for g in map(_grams, self.title_words) if g)


def _features(nomination: Nomination) -> _Features:
    try:
        email = canonical_email(nomination.email) if nomination.email.strip() else ""
    except AddressError:
        email = nomination.email.strip().lower()
    names = [tuple(_words(normalize_text(n))) for n in nomination.names]
    titles = [tuple(_words(normalize_text(t))) for t in nomination.titles]
    return _Features(
        tuple(names),
        tuple(titles),
        email,
        frozenset(canonical_url(u) for u in nomination.urls if u.strip()),
        normalize_text(nomination.outlet),
        nomination.published.strip(),
        frozenset(w for words in names + titles for w in words if len(w) >= 3),
    )


def _best(first: Iterable[frozenset[str]], second: Sequence[frozenset[str]]) -> tuple[int, int]:
    """The highest Dice coefficient between the two lists, as (numerator, denominator)."""
    best = (0, 1)
    for a in first:
        for b in second:
            part = (2 * len(a & b), len(a) + len(b))
            if part[0] * best[1] > best[0] * part[1]:
                best = part
    return best


def _at_least(part: tuple[int, int], limit: Fraction) -> bool:
    return part[0] * limit.denominator >= limit.numerator * part[1]


def likely_duplicate(first: Nomination, second: Nomination) -> LikelyPair | None:
    """The similarity test for two nominations (see `find_duplicates`)."""
    return _compare(first.id, _features(first), second.id, _features(second))


def _compare(a: str, fa: _Features, b: str, fb: _Features) -> LikelyPair | None:
    name = _best(fa.names, fb.names)
    title = _best(fa.titles, fb.titles)
    best = name if name[0] * title[1] >= title[0] * name[1] else title
    same_place = bool(fa.outlet) and fa.outlet == fb.outlet and bool(fa.published)
    same_place = same_place and fa.published == fb.published
    reasons = []
    if _at_least(name, SIMILAR):
        reasons.append("similar name")
    if _at_least(title, SIMILAR):
        reasons.append("similar title")
    if same_place and (reasons or _at_least(best, SIMILAR_WITH_OUTLET)):
        reasons.append("same outlet and date")
    if not reasons:
        return None
    return LikelyPair(a, b, Fraction(*best), tuple(reasons))


def find_duplicates(nominations: Sequence[Nomination]) -> Duplicates:
    """Exact duplicates (the same canonical nominee e-mail, or a canonical work URL in common)
    grouped transitively; likely duplicates (a name or a title with trigram similarity of 4/5 or
    more, or of 1/2 or more with the same outlet and publication date) as pairs, leaving out
    pairs already in one exact group. Only nominations sharing a blocking key are compared."""
    features = [_features(n) for n in nominations]
    ids = [n.id for n in nominations]
    parent = list(range(len(nominations)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    exact_keys: dict[tuple[str, str], list[int]] = defaultdict(list)
    blocks: dict[tuple[str, str], list[int]] = defaultdict(list)
    for index, f in enumerate(features):
        if f.email:
            exact_keys[("email", f.email)].append(index)
        for url in f.urls:
            exact_keys[("url", url)].append(index)
        for word in f.words:
            blocks[("word", word)].append(index)
        if f.outlet and f.published:
            blocks[("outlet", f"{f.outlet}|{f.published}")].append(index)
    reasons: dict[int, set[str]] = defaultdict(set)
    for (kind, _), members in exact_keys.items():
        for other in members[1:]:
            parent[root(other)] = root(members[0])
        if len(members) > 1:
            for member in members:
                reasons[member].add(kind)
    groups: dict[int, list[int]] = defaultdict(list)
    for index in range(len(nominations)):
        groups[root(index)].append(index)
    exact = sorted(
        (
            ExactGroup(
                tuple(sorted(ids[i] for i in members)),
                tuple(sorted({r for i in members for r in reasons[i]})),
            )
            for members in groups.values()
            if len(members) > 1
        ),
        key=lambda group: group.ids,
    )
    seen: set[tuple[int, int]] = set()
    likely: list[LikelyPair] = []
    for members in blocks.values():
        if len(members) < 2 or len(members) > BLOCK_LIMIT:
            continue
        for x, i in enumerate(members):
            for j in members[x + 1 :]:
                pair = (i, j) if i < j else (j, i)
                if pair in seen or root(i) == root(j):
                    continue
                seen.add(pair)
                found = _compare(ids[pair[0]], features[pair[0]], ids[pair[1]], features[pair[1]])
                if found is not None:
                    likely.append(found)
    likely.sort(key=lambda p: (-p.score, p.first, p.second))
    return Duplicates(tuple(exact), tuple(likely))
