"""Local files as sources: a change signature standing in for ETag / Last-Modified.

A local feed file or folder has no HTTP validators, yet the daemon polls it every interval:
a signature of (path, size, mtime) lets an unchanged one come back ``not_modified`` like a 304.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

from tracker.sources.fetch import http_date
from tracker.sources.model import Validators

__all__ = ["signature"]


def signature(paths: Iterable[Path]) -> Validators:
    """Validators for a set of files: etag = hash of names, sizes, mtimes; last_modified = newest."""
    digest = hashlib.sha256()
    newest = 0.0
    for path in sorted(paths):
        try:
            stat = path.stat()
        except OSError:
            continue
        digest.update(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode("utf-8", "surrogateescape"))
        newest = max(newest, stat.st_mtime)
    last = http_date(datetime.fromtimestamp(newest, tz=UTC)) if newest else None
    return Validators(etag=f'"local-{digest.hexdigest()[:32]}"', last_modified=last)
