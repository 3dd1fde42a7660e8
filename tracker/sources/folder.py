"""The ``folder`` kind: a local directory of .html, .txt and .jsonl documents.

For offline use and backfills. One bad file becomes a warning naming it, never a failed poll.

Conventions (documented in the README by the lead):

* ``.jsonl`` — one JSON object per line, the DESIGN document format:
  ``{"id", "published", "text", "title"?, "url"?, "lang"?}``. Blank lines are skipped; a line
  that is not JSON, not an object or has no ``text`` is a warning naming ``file:line``. Without
  ``url`` the item's URL is the file URI plus ``?id=<id>`` (or ``?line=<n>``), so documents of
  one file keep distinct dedup keys.
* ``.html`` / ``.htm`` — main text extracted; title, date and canonical URL from the head
  (og:title/<title>, article:published_time/date/DC.date/<time datetime>, rel=canonical).
* ``.txt`` — optional header: the first lines, while they look like ``Key: value`` with a key
  among Title, Published, URL, Lang (case-insensitive), end at the first blank line; the rest
  is the text. Without a header the whole file is the text and there is no date; a
  ``Published`` value that cannot be read is a warning naming the file.
* ``.txt`` and ``.jsonl`` files are UTF-8 (a byte-order mark is dropped; a UTF-16 one is
  honoured). Other bytes are never decoded with a guessed codepage: they are read as UTF-8
  with replacement characters, with a warning naming the file.

A file's modification time is never taken as a publication date: ``published`` stays None.
"""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path
from typing import Any
from urllib.parse import quote

from tracker.config import SourceConfig
from tracker.errors import json_problem
from tracker.htmlpage import parse_page
from tracker.isotime import parse_datetime
from tracker.lang import detect_lang
from tracker.sources.charset import decode_body, decode_text
from tracker.sources.errors import FetchError, one_line
from tracker.sources.fetch import Fetcher
from tracker.sources.local import signature
from tracker.sources.model import Item, PollResult, Validators
from tracker.sources.options import FolderOptions, resolved
from tracker.sources.urls import normalize_url

__all__ = ["poll_folder", "read_file", "SUFFIXES"]

log = logging.getLogger(__name__)

SUFFIXES = (".html", ".htm", ".txt", ".jsonl")
_MAX_FILE_BYTES = 50_000_000
_HEADER = re.compile(r"^(title|published|url|lang)\s*:\s*(.*)$", re.I)


def poll_folder(source: SourceConfig, validators: Validators, fetcher: Fetcher | None = None) -> PollResult:
    """Read every document of the folder; an unchanged folder (same signature) → not_modified."""
    options = resolved(source, FolderOptions)
    root = Path(source.location)
    if not root.is_dir():
        raise FetchError(f"{root}: not a folder (sources.{source.name}.path)")
    pattern = "**/*" if options.recursive else "*"
    files = sorted(
        p
        for p in root.glob(pattern)
        if p.suffix.lower() in SUFFIXES
        and p.is_file()
        and not any(part.startswith(".") for part in p.relative_to(root).parts)
    )
    new_validators = signature(files)
    if validators.etag and validators.etag == new_validators.etag:
        return PollResult(True, [], validators, [])
    limit = fetcher.settings.max_body_bytes if fetcher is not None else _MAX_FILE_BYTES
    items: list[Item] = []
    warnings: list[str] = []
    for path in files:
        try:
            found, problems = read_file(path, source.lang, limit)
        except Exception as exc:  # noqa: BLE001 - one bad file must not stop the folder
            found, problems = [], [f"{path.name}: unreadable ({type(exc).__name__}: {one_line(exc)})"]
        items.extend(found)
        warnings.extend(problems)
        if len(items) >= options.max_items:
            warnings.append(f"stopped at max_items = {options.max_items}")
            items = items[: options.max_items]
            break
    for warning in warnings:
        log.warning("event=folder_warning source=%s url=%s warning=%s", source.name, root, warning)
    return PollResult(False, items, new_validators, warnings)


def read_file(path: Path, lang_hint: str, limit: int = _MAX_FILE_BYTES) -> tuple[list[Item], list[str]]:
    """Items of one file and warnings naming it."""
    size = path.stat().st_size
    if size > limit:
        return [], [f"{path.name}: {size} bytes, larger than the cap ({limit}); skipped"]
    body = path.read_bytes()
    suffix = path.suffix.lower()
    if suffix == ".jsonl":
        return _jsonl(path, body, lang_hint)
    problems: list[str] = []
    if suffix in (".html", ".htm"):
        item = _html(path, body, lang_hint)
    else:
        item = _txt(path, body, lang_hint, problems)
    if not item.text.strip():
        return [], [*problems, f"{path.name}: no text; skipped"]
    return [item], problems


def _html(path: Path, body: bytes, hint: str) -> Item:
    html, _ = decode_body(body, "text/html")
    page = parse_page(html, url=path.as_uri())
    url = normalize_url(page.url) if page.url else path.as_uri()
    return Item(url, page.title, page.published, page.text, detect_lang(page.text, page.lang or hint), guid=None)


def _txt(path: Path, body: bytes, hint: str, problems: list[str]) -> Item:
    text, problem = decode_text(body)
    if problem:
        problems.append(f"{path.name}: {problem}")
    lines = text.splitlines()
    header: dict[str, str] = {}
    index = 0
    while index < len(lines):
        match = _HEADER.match(lines[index].strip())
        if not match:
            break
        header[match.group(1).lower()] = match.group(2).strip()
        index += 1
    if header and (index == len(lines) or not lines[index].strip()):
        body_text = "\n".join(lines[index:]).strip()
    else:  # not a header after all (e.g. "Title: ..." followed directly by text)
        header, body_text = {}, text.strip()
    lang = header.get("lang", "")[:2].lower()
    url = header.get("url") or ""
    published = parse_datetime(header.get("published"))
    if header.get("published") and published is None:
        problems.append(f'{path.name}: unreadable "Published" {header["published"]!r}; kept without a date')
    return Item(
        url=normalize_url(url) if url.startswith(("http://", "https://")) else path.as_uri(),
        title=header.get("title") or None,
        published=published,
        text=body_text,
        lang=lang if lang in ("en", "zh") else detect_lang(body_text, hint),
    )


def _jsonl(path: Path, body: bytes, hint: str) -> tuple[list[Item], list[str]]:
    text, problem = decode_text(body)
    items: list[Item] = []
    warnings: list[str] = [f"{path.name}: {problem}"] if problem else []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{path.name}:{number}"
        try:
            doc: Any = json.loads(line)
        except json.JSONDecodeError as exc:
            warnings.append(f"{where}: not JSON ({json_problem(exc.msg, column=exc.colno)}); skipped")
            continue
        if not isinstance(doc, dict) or not isinstance(doc.get("text"), str) or not doc["text"].strip():
            warnings.append(f'{where}: expected an object with a non-empty "text"; skipped')
            continue
        published = doc.get("published")
        when = parse_datetime(published)
        if published not in (None, "") and when is None:
            warnings.append(f'{where}: unreadable "published" {published!r}; kept without a date')
        doc_id = doc.get("id")
        guid = str(doc_id) if doc_id is not None else None
        url = doc.get("url") if isinstance(doc.get("url"), str) and doc.get("url") else None
        if url is None:
            url = path.as_uri() + (f"?id={quote(guid, safe='')}" if guid else f"?line={number}")
        else:
            url = normalize_url(url)
        given = doc.get("lang")
        lang = given if isinstance(given, str) and given in ("en", "zh") else detect_lang(doc["text"], hint)
        title = doc.get("title") if isinstance(doc.get("title"), str) else None
        items.append(Item(url, title, when, doc["text"], lang, guid=guid))
    return items, warnings
