"""Extract translatable strings into one catalog per domain (locale/<lang>/LC_MESSAGES/<domain>.po)
and check that Arabic has them all. `make messages` runs this; a test runs `problems()`."""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po, write_po

from core.settings import ROOT

DOMAINS = ("core", "accounts", "events", "judging", "awards")
LANGS = ("ar", "en")
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None}
JINJA_OPTIONS = {"extensions": "jinja2.ext.i18n", "newstyle_gettext": "true", "trimmed": "false"}
PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def domain_of(path: Path) -> str:
    """A file's domain: its package, or the templates/<domain>/ or templates/mail/<domain>/
    folder; anything else belongs to core."""
    parts = path.relative_to(ROOT).parts
    if parts[0] == "templates":
        folders = parts[1:-1]
        if folders[:1] == ("mail",):
            folders = folders[1:]
        return folders[0] if folders and folders[0] in DOMAINS else "core"
    return parts[0] if parts[0] in DOMAINS else "core"


def source_files() -> Iterator[Path]:
    for domain in DOMAINS:
        yield from sorted((ROOT / domain).rglob("*.py"))
    for pattern in ("*.html", "*.txt"):
        yield from sorted((ROOT / "templates").rglob(pattern))


def extract() -> dict[str, Catalog]:
    catalogs = {d: Catalog(domain=d, project="Manassa", charset="utf-8") for d in DOMAINS}
    for path in source_files():
        method = "python" if path.suffix == ".py" else "jinja2"
        options = {} if method == "python" else JINJA_OPTIONS
        location = str(path.relative_to(ROOT))
        for lineno, message, _comments, _context in extract_from_file(
            method, str(path), keywords=KEYWORDS, options=options
        ):
            catalogs[domain_of(path)].add(message, locations=[(location, lineno)])
    return catalogs


def po_path(lang: str, domain: str) -> Path:
    return ROOT / "locale" / lang / "LC_MESSAGES" / f"{domain}.po"


def update(templates: dict[str, Catalog]) -> None:
    for lang in LANGS:
        for domain, template in templates.items():
            path = po_path(lang, domain)
            if not len(template) and not path.exists():
                continue
            catalog = _read(path, lang, domain)
            catalog.update(template, no_fuzzy_matching=True)
            catalog.obsolete.clear()
            catalog.fuzzy = False
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("wb") as f:
                write_po(f, catalog, width=100, sort_output=True, omit_header=False)


def _read(path: Path, lang: str, domain: str) -> Catalog:
    if path.exists():
        with path.open("rb") as f:
            return read_po(f, locale=lang, domain=domain)
    return Catalog(locale=lang, domain=domain, project="Manassa", charset="utf-8")


def problems(lang: str = "ar") -> list[str]:
    """Every string of the source that `lang` lacks, has fuzzy, or translates with other
    placeholders."""
    found: list[str] = []
    for domain, template in extract().items():
        path = po_path(lang, domain)
        catalog = _read(path, lang, domain)
        for message in template:
            if not message.id:
                continue
            found.extend(_check(domain, message.id, catalog.get(message.id)))
    return found


def _check(domain: str, msgid: object, translated: object) -> list[str]:
    key = msgid if isinstance(msgid, str) else msgid[0]  # type: ignore[index]
    if translated is None or not translated.string or translated.fuzzy:  # type: ignore[attr-defined]
        return [f"{domain}: untranslated: {key!r}"]
    strings = translated.string  # type: ignore[attr-defined]
    strings = strings if isinstance(strings, (list, tuple)) else [strings]
    if not all(strings):  # a plural entry with a form left empty
        return [f"{domain}: untranslated plural form: {key!r}"]
    ids: Any = msgid if isinstance(msgid, (list, tuple)) else [msgid]
    wanted = set().union(*(PLACEHOLDER.findall(i) for i in ids)) - {"num"}
    return [
        f"{domain}: placeholders differ: {key!r}"
        for s in strings
        if s and (set(PLACEHOLDER.findall(s)) - {"num"}) != wanted
    ]


def main(check: bool = False, domain: str | None = None) -> int:
    templates = extract()
    update({d: c for d, c in templates.items() if domain in (None, d)})
    missing = [p for p in problems("ar") if domain is None or p.startswith(f"{domain}:")]
    for line in missing:
        print(line)
    print(f"catalogs updated; {len(missing)} Arabic strings missing")
    return 1 if (check and missing) else 0


if __name__ == "__main__":
    chosen = next((a.split("=", 1)[1] for a in sys.argv if a.startswith("--domain=")), None)
    sys.exit(main(check="--check" in sys.argv, domain=chosen))
