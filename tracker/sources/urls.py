"""URL normalisation: the dedup key of a document must survive tracking parameters.

Feeds regenerate GUIDs and campaign tools append ``utm_*``; the lead dedups documents by the
normalised URL plus a content hash, so two spellings of one article must normalise alike.
"""

from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit, urlunsplit

__all__ = ["normalize_url", "is_http_url", "TRACKING_PARAMS"]

TRACKING_PARAMS = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "gbraid",
        "wbraid",
        "msclkid",
        "yclid",
        "twclid",
        "igshid",
        "mc_cid",
        "mc_eid",
        "_ga",
        "_gl",
        "_hsenc",
        "_hsmi",
        "mkt_tok",
        "oly_anon_id",
        "oly_enc_id",
        "vero_id",
        "rb_clickid",
        "s_cid",
        "spm",
        "scm",
        "ref_src",
        "ref_url",
        "cmpid",
        "isappinstalled",
        "wt.mc_id",
        "wt_mc_id",
    }
)
_TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "hmsr", "hmpl", "hmcu", "hmkw", "hmci")
_DEFAULT_PORTS = {"http": 80, "https": 443}
_PCT = re.compile(r"%[0-9a-fA-F]{2}")


def _is_tracking(name: str) -> bool:
    lowered = name.lower()
    return lowered in TRACKING_PARAMS or lowered.startswith(_TRACKING_PREFIXES)


def is_http_url(url: str) -> bool:
    return urlsplit(url).scheme.lower() in ("http", "https")


def normalize_url(url: str) -> str:
    """Drop tracking parameters and the fragment, lowercase scheme and host, drop a default port.

    The query order is kept (some CMSs route on it); the path is not case-folded (servers are
    case-sensitive). Non-http URLs (``file:``) only lose their fragment.
    """
    url = url.strip()
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS:
        return urlunsplit((scheme, parts.netloc, parts.path, parts.query, ""))
    host = (parts.hostname or "").rstrip(".")
    try:
        port = parts.port
    except ValueError:
        port = None
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    netloc = host
    if port is not None and port != _DEFAULT_PORTS[scheme]:
        netloc = f"{host}:{port}"
    if parts.username is not None:
        auth = parts.username + (f":{parts.password}" if parts.password is not None else "")
        netloc = f"{auth}@{netloc}"
    # Percent-escapes are only upper-cased, never decoded: Chinese sites put GBK bytes in
    # URLs, and decoding them as UTF-8 would corrupt the address.
    path = _PCT.sub(lambda m: m.group(0).upper(), parts.path) or "/"
    query = parts.query
    if query:
        kept = [p for p in query.split("&") if p and not _is_tracking(unquote(p.split("=", 1)[0]))]
        query = "&".join(kept)
    return urlunsplit((scheme, netloc, path, query, ""))
