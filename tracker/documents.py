"""Documents given on the command line: JSON Lines (the scorers' contract) or one text file.

Input is read and validated whole before any output is written, so a bad line 40 stops the
command with a message naming the file and the line, and nothing is half-written.
"""

from __future__ import annotations

import json
import re
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

from tracker.dates import date_locale, find_dates
from tracker.errors import InputError, json_problem
from tracker.isotime import parse_iso
from tracker.lang import detect_lang

__all__ = ["read_jsonl", "read_text_file", "parse_published", "dates_record", "MAX_TEXT_CHARS"]

#: Longer texts are cut here before extraction, with a warning: a scraped page this long is
#: a dump, not an article, and extraction time grows with it.
MAX_TEXT_CHARS = 1_000_000


def _clip(doc: dict[str, Any], where: str) -> None:
    if len(doc["text"]) > MAX_TEXT_CHARS:
        print(
            f"tracker: warning: {where}: text of {len(doc['text'])} characters cut to {MAX_TEXT_CHARS}",
            file=sys.stderr,
        )
        doc["text"] = doc["text"][:MAX_TEXT_CHARS]


def parse_published(value: Any, where: str, field: bool = True) -> datetime | None:
    """``value`` as a datetime; errors name ``where`` (and the JSON field when ``field``)."""
    if value in (None, ""):
        return None
    label = f"{where}: published" if field else where
    if not isinstance(value, str):
        raise InputError(f"{label}: expected an ISO 8601 datetime string or null, got {value!r}")
    parsed = parse_iso(value)
    if parsed is None:
        raise InputError(f"{label}: not an ISO 8601 datetime: {value!r}")
    return parsed


def _read(path: Path) -> str:
    try:
        if str(path) == "-":
            return sys.stdin.read()
        raw = path.read_bytes()
        if raw.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 with its byte-order mark, as folder sources read it
            from tracker.sources.charset import decode_text

            text, problem = decode_text(raw)
            if problem is None:
                return text
        return raw.decode("utf-8-sig")  # a byte-order mark is not part of the text
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a folder, not a file") from None
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None


#: The keys of an input document (DESIGN.md's contract, and ``locale`` for the date finder).
DOCUMENT_KEYS = ("id", "published", "text", "title", "url", "lang", "locale")
#: Gold annotations of the shared corpora, which are given to the commands as they are: ignored.
ANNOTATION_KEYS = ("kind", "events", "timexes", "ignore")
LANGS = ("en", "zh")


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    """Every document of a JSON Lines file, validated whole: each error names the file, the
    line and the key (an unknown key, an id that is missing, not a string or repeated, a lang
    other than en or zh, a file with no document at all)."""
    docs: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    for number, line in enumerate(_read(path).splitlines(), 1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            doc = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"{where}: not JSON ({json_problem(exc.msg, column=exc.colno)})") from None
        if not isinstance(doc, dict):
            raise InputError(f"{where}: expected a JSON object, got {type(doc).__name__}")
        _check_keys(doc, where)
        if not isinstance(doc["id"], str) or not doc["id"].strip():
            raise InputError(f"{where}: id: expected a non-empty string, got {doc['id']!r}")
        if doc["id"] in seen:
            raise InputError(f"{where}: id: {doc['id']!r} repeats the id of line {seen[doc['id']]}")
        seen[doc["id"]] = number
        doc["published_dt"] = parse_published(doc.get("published"), where)
        _clip(doc, where)
        if doc.get("lang") is None:
            doc["lang"] = detect_lang(doc["text"])
        docs.append(doc)
    if not docs:
        raise InputError(f"{path}: no documents (the file is empty)")
    return docs


def _check_keys(doc: dict[str, Any], where: str) -> None:
    for key in doc:
        if key not in DOCUMENT_KEYS and key not in ANNOTATION_KEYS:
            raise InputError(f"{where}: {key}: unknown key (known: {', '.join(DOCUMENT_KEYS)})")
    if "id" not in doc:
        raise InputError(f"{where}: id: missing (every document needs a string id)")
    if not isinstance(doc.get("text"), str):
        raise InputError(f"{where}: text: missing or not a string")
    for key in ("title", "url", "locale"):
        if doc.get(key) is not None and not isinstance(doc[key], str):
            raise InputError(f"{where}: {key}: expected a string or null, got {doc[key]!r}")
    if doc.get("lang") is not None and doc["lang"] not in LANGS:
        raise InputError(f"{where}: lang: expected en or zh (or no lang: detected), got {doc['lang']!r}")
    locale = doc.get("locale")
    if locale is not None and not re.fullmatch(r"[A-Za-z]{2}", locale):
        raise InputError(f"{where}: locale: expected a country code such as US, GB or HK, got {locale!r}")


def read_text_file(path: Path, published: str | None, lang: str | None) -> dict[str, Any]:
    """One plain-text document, for people trying things by hand."""
    text = _read(path)
    if lang is not None and lang not in LANGS:
        raise InputError(f"--lang: expected en or zh, got {lang!r}")
    doc: dict[str, Any] = {
        "id": path.name,
        "published": published,
        "published_dt": parse_published(published, "--published", field=False),
        "text": text,
        "lang": lang,
    }
    _clip(doc, str(path))
    doc["lang"] = lang or detect_lang(doc["text"])
    return doc


def dates_record(doc: dict[str, Any]) -> dict[str, Any]:
    """The `tracker dates --jsonl` output line of one document (DESIGN.md contract)."""
    published = doc.get("published_dt")
    if published is None and doc.get("published"):
        published = parse_published(doc["published"], str(doc.get("id")))
    locale = date_locale(doc.get("lang"), doc.get("url"), doc.get("locale"))
    found = find_dates(doc["text"], published, doc.get("lang"), locale)
    return {
        "id": doc["id"],
        "timexes": [
            {"start": d.start, "end": d.end, "text": d.text, "value": d.value, "precision": d.precision} for d in found
        ],
    }
