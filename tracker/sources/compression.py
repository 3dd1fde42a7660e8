"""Content-Encoding decoding with a hard limit on the decoded size.

httpx's ``iter_bytes`` decompresses each network chunk in one call, so a 64 KiB chunk of a gzip
bomb can become ~64 MiB in memory before any counter sees it. Here every ``decompress`` call is
given ``max_length``, so memory stays within the cap plus one read size whatever the ratio.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Iterator

__all__ = ["SUPPORTED_ENCODINGS", "decoded_chunks", "UnsupportedEncoding", "TooLarge", "CorruptBody"]

SUPPORTED_ENCODINGS = ("gzip", "x-gzip", "deflate", "identity")
_STEP = 64 * 1024


class UnsupportedEncoding(ValueError):
    """A Content-Encoding we did not ask for (we send ``Accept-Encoding: gzip, deflate``)."""


class TooLarge(ValueError):
    """The decoded body passed the limit."""


class CorruptBody(ValueError):
    """The compressed stream is not valid gzip/deflate."""


class _Inflater:
    """gzip (multi-member) or deflate (zlib-wrapped or raw, as servers disagree)."""

    def __init__(self, encoding: str) -> None:
        self.gzip = encoding in ("gzip", "x-gzip")
        self.obj: zlib._Decompress | None = self._new() if self.gzip else None

    def _new(self) -> zlib._Decompress:
        return zlib.decompressobj(zlib.MAX_WBITS | 16)

    def feed(self, data: bytes, budget: int) -> Iterator[bytes]:
        """Yield decompressed pieces of at most ``_STEP`` bytes; stop once ``budget`` is passed."""
        if self.obj is None:  # deflate: is there a zlib header (RFC 1950) or is it raw?
            wrapped = len(data) >= 2 and (data[0] & 0x0F) == 8 and ((data[0] << 8) | data[1]) % 31 == 0
            self.obj = zlib.decompressobj(zlib.MAX_WBITS if wrapped else -zlib.MAX_WBITS)
        produced = 0
        while data:
            try:
                out = self.obj.decompress(data, _STEP)
            except zlib.error as exc:
                raise CorruptBody(str(exc)) from None
            produced += len(out)
            if out:
                yield out
            if produced > budget:
                return
            data = self.obj.unconsumed_tail
            if not data and self.obj.eof and self.obj.unused_data and self.gzip:
                data = self.obj.unused_data.lstrip(b"\0")  # next gzip member (or padding)
                self.obj = self._new()


def decoded_chunks(raw: Iterable[bytes], encoding: str | None, limit: int) -> Iterator[bytes]:
    """Decode a raw byte stream; raise TooLarge as soon as more than ``limit`` bytes came out."""
    codings = [c.strip().lower() for c in (encoding or "").split(",") if c.strip()]
    codings = [c for c in codings if c != "identity"]
    if len(codings) > 1 or (codings and codings[0] not in SUPPORTED_ENCODINGS):
        raise UnsupportedEncoding(", ".join(codings))
    total = 0
    inflater = _Inflater(codings[0]) if codings else None
    for chunk in raw:
        pieces = inflater.feed(chunk, limit - total + 1) if inflater else (chunk,)
        for piece in pieces:
            total += len(piece)
            if total > limit:
                raise TooLarge(f"more than {limit} bytes")
            yield piece
