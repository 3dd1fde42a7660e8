"""Bytes → text with the charset the document declares, and the Chinese encodings done right.

Order (the WHATWG one, plus the XML declaration): byte-order mark, HTTP ``charset=``, the XML
declaration, ``<meta charset>`` / ``http-equiv``, then detection with charset-normalizer, then
UTF-8 with replacement. Declared labels are mapped to their supersets, because servers say
"gb2312" while sending GBK characters and "big5" while sending HKSCS ones: GB2312/GBK → gb18030,
Big5 → big5hkscs, Latin-1/ASCII → windows-1252.
"""

from __future__ import annotations

import codecs
import re

__all__ = ["decode_body", "decode_text", "codec_for", "charset_from_content_type"]

_SUPERSETS = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "gb_2312-80": "gb18030",
    "csgb2312": "gb18030",
    "euc-cn": "gb18030",
    "cp936": "gb18030",
    "ms936": "gb18030",
    "gb18030": "gb18030",
    "chinese": "gb18030",
    "iso-ir-58": "gb18030",
    "big5": "big5hkscs",
    "big5-hkscs": "big5hkscs",
    "cn-big5": "big5hkscs",
    "x-x-big5": "big5hkscs",
    "csbig5": "big5hkscs",
    "cp950": "big5hkscs",
    "big5hkscs": "big5hkscs",
    "iso-8859-1": "cp1252",
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "us-ascii": "cp1252",
    "ascii": "cp1252",
    "l1": "cp1252",
    "utf8": "utf-8",
    "unicode-1-1-utf-8": "utf-8",
}
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
_CT_CHARSET = re.compile(r"""charset\s*=\s*["']?([\w.:-]+)""", re.I)
_XML_DECL = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([\w.:-]+)["']""", re.I)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.I)
_SNIFF_BYTES = 4096


def codec_for(label: str | None) -> str | None:
    """A Python codec name for a declared label, mapped to its superset; None if unknown."""
    if not label:
        return None
    name = label.strip().strip("\"'").lower()
    name = _SUPERSETS.get(name, name)
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def charset_from_content_type(content_type: str | None) -> str | None:
    match = _CT_CHARSET.search(content_type or "")
    return match.group(1) if match else None


def _declared(body: bytes, content_type: str | None) -> list[tuple[str, str]]:
    """Declared charsets in priority order, as (where, codec) pairs."""
    found: list[tuple[str, str | None]] = []
    for bom, name in _BOMS:
        if body.startswith(bom):
            found.append(("bom", name))
    found.append(("header", codec_for(charset_from_content_type(content_type))))
    head = body[:_SNIFF_BYTES]
    xml = _XML_DECL.match(head)
    if xml:
        found.append(("xml", codec_for(xml.group(1).decode("ascii", "replace"))))
    meta = _META_CHARSET.search(head)
    if meta:
        found.append(("meta", codec_for(meta.group(1).decode("ascii", "replace"))))
    return [(where, name) for where, name in found if name]


def decode_body(body: bytes, content_type: str | None = None) -> tuple[str, str]:
    """Decode ``body``; returns (text, codec used).

    A declared charset that fails strictly is passed over for the next signal (servers lie);
    if all declarations fail, the first one is used with replacement rather than guessing wildly.
    """
    declared = _declared(body, content_type)
    for _where, name in declared:
        try:
            text = body.decode(name)
        except (UnicodeDecodeError, LookupError):
            continue
        return (text[1:] if text.startswith("\ufeff") else text), name
    if not declared:
        try:
            return body.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            pass
    guessed = _detect(body)
    if guessed:
        try:
            return body.decode(guessed), guessed
        except (UnicodeDecodeError, LookupError):
            pass
    name = declared[0][1] if declared else "utf-8"
    return body.decode(name, "replace"), name


def decode_text(body: bytes) -> tuple[str, str | None]:
    """A local text file (.txt, .jsonl) as (text, problem or None). They declare nothing, so no
    codepage is guessed: UTF-8 (a UTF-8 byte-order mark dropped), or UTF-16 when its byte-order
    mark says so and the bytes are UTF-16 text; anything else is decoded as UTF-8 with
    replacement characters, and the problem says so (the caller names the file in a warning)."""
    start = 0
    for bom, name in _BOMS:
        if body.startswith(bom):
            start = len(bom)  # a mark, never text: dropped even when the rest is not its encoding
            if name == "utf-8":
                break
            try:
                text = body[start:].decode(name)
            except UnicodeDecodeError:
                break
            if _plausible(text):
                return text, None
            break
    try:
        return body[start:].decode("utf-8"), None
    except UnicodeDecodeError as exc:
        problem = (
            f"not UTF-8 text (byte 0x{body[start + exc.start]:02x} at offset {start + exc.start}); "
            "decoded with replacement characters"
        )
        return body[start:].decode("utf-8", "replace"), problem


def _plausible(text: str) -> bool:
    """Text, not bytes of another encoding read as UTF-16: no control characters (other than
    tab and line ends), unassigned code points or lone surrogates."""
    import unicodedata

    for ch in text:
        if ch in "\t\n\r\f":
            continue
        if unicodedata.category(ch) in ("Cc", "Cn", "Cs", "Co"):
            return False
    return True


def _detect(body: bytes) -> str | None:
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # an optional dependency (comes with trafilatura/requests)
        return None
    best = from_bytes(body[:65536]).best()
    return codec_for(best.encoding) if best else None
