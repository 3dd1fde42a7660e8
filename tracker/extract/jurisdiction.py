"""Which jurisdiction an event belongs to: the acting authority first, then places in the
clause and the sentence, then the paragraph and the document.

Kept apart from the date, cue and subject steps because attribution is its own
problem: HK and the mainland must be told apart ("a CSRC instruction about Hong Kong
activities is CN"), and generic actors ("the regulator", 央行) take the document's context.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

from tracker.extract.frame import Frame
from tracker.extract.model import Document, Name, Sentence, Trigger
from tracker.rules import Rules, cached_rules

__all__ = ["acting_place", "attach_place", "choose_jurisdiction", "dominant_code", "find_names", "resolve_generic"]


def acting_place(text: str, n: Name, rules: Rules) -> bool:
    """A place naming the actor after it ("Hong Kong officials", "Chinese police")."""
    return n.kind == "place" and rules.pattern("actor_noun").match(text, n.end) is not None


def choose_jurisdiction(
    trig: Trigger,
    sent: tuple[int, int],
    clause: tuple[int, int],
    names: list[Name],
    para_start: int,
    title_names: list[Name],
    zh: bool = False,
    dominant: str | None = None,
    starts: list[int] | None = None,
    text: str = "",
    rules: Rules | None = None,
) -> tuple[Name | None, float]:
    """The jurisdiction of ``trig`` with a confidence factor.

    Acting authority first (a CSRC instruction about Hong Kong is CN), then the nearest place
    in the clause ("a Hong Kong-issued licence" is HK, "China's ban" is CN), then the sentence,
    then the last name before it in the paragraph, then (across paragraphs) the document's
    dominant jurisdiction when the last name belongs to a digression ("Elsewhere, Singapore's
    MAS…" does not make the next paragraph Singaporean), then the title. The factors are
    rules/confidence.toml ``[jurisdiction]``.
    """
    if rules is None:
        rules = cached_rules()
    w = rules.weights
    after = w["jurisdiction.after"]

    def nearest(cands: list[Name]) -> Name | None:
        best, best_d = None, 1e9
        for n in cands:
            d = trig.start - n.end if n.end <= trig.start else (n.start - trig.end) * after + 1
            d = max(d, 0)
            if d < best_d:
                best, best_d = n, d
        return best

    # names are sorted and do not overlap: slice them by bisection (``starts`` is their start
    # offsets, computed once per document), so long pages stay linear-logarithmic
    starts = starts if starts is not None else [n.start for n in names]
    in_clause = names[bisect_left(starts, clause[0]) : bisect_left(starts, clause[1])]
    sent_lo = bisect_left(starts, sent[0])
    in_sent = names[sent_lo : bisect_left(starts, sent[1])]
    earlier = names[:sent_lo]
    if earlier and earlier[-1].end > sent[0]:
        earlier = earlier[:-1]
    for pool, factor in ((in_clause, w["jurisdiction.clause"]), (in_sent, w["jurisdiction.sentence"])):
        auth = nearest([n for n in pool if _acts(n, text, rules)])
        if auth is not None:
            return auth, factor
        if pool is in_sent and not zh and earlier and earlier[-1].start >= para_start:
            # English clauses are long: a place in another clause of the sentence is less
            # telling than the paragraph's last name ("…ordered to wind down, and operators
            # moved to Hong Kong" continues a paragraph about Beijing).
            return earlier[-1], w["jurisdiction.paragraph"]
        place = nearest([n for n in pool if n.kind == "place"])
        if place is not None:
            return _place_or_actor(place, pool is in_clause, in_sent, trig, text, rules, factor)
    if earlier:
        last = earlier[-1]
        if last.start >= para_start:
            return last, w["jurisdiction.paragraph"]
        if dominant and last.code != dominant:
            home = [n for n in earlier if n.code == dominant]
            if home:
                return home[-1], w["jurisdiction.home"]
        return last, w["jurisdiction.earlier"]
    if title_names:
        return title_names[0], w["jurisdiction.title"]
    later = names[bisect_left(starts, sent[1]) :]
    return (later[0], w["jurisdiction.later"]) if later else (None, w["jurisdiction.none"])


# "Hong Kong regulator warns …", "Chinese police arrested …": a place naming the actor that follows it


_DATELINE = re.compile(r"\s*(?:[(（][^)）]{0,20}[)）]\s*)?[-–—,:(（]")


def dominant_code(text: str, names: list[Name], title_names: list[Name], first_start: int) -> str | None:
    """The jurisdiction a document is mostly about: dateline, title and explicit names.

    A dateline ("HONG KONG -", "BEIJING, May 2 (Reuters) -") counts most, the title next,
    then every explicit name in the content. None on a tie or with no explicit name.
    """
    score: dict[str, float] = {}
    for n in names:
        if n.kind in ("generic", "ambiguous"):
            continue
        w = 1.0
        if n.start - first_start < 3 and _DATELINE.match(text, n.end):
            w = 4.0
        score[n.code] = score.get(n.code, 0.0) + w
    for n in title_names:
        if n.kind not in ("generic", "ambiguous"):
            score[n.code] = score.get(n.code, 0.0) + 2.0
    if not score:
        return None
    ranked = sorted(score.items(), key=lambda kv: -kv[1])
    if len(ranked) > 1 and ranked[0][1] == ranked[1][1]:
        return None
    return ranked[0][0]


def resolve_generic(
    names: list[Name], sentences: list[tuple[int, int, int]], dominant: str | None, text: str = ""
) -> list[Name]:
    """Give contextual actors ("the government", 央行, "the city") a jurisdiction.

    A name with a default (央行 → CN, "the city" → HK) keeps it unless the explicit name just
    before it, in the same sentence, is an authority of another jurisdiction (香港金管局…
    央行數碼貨幣 is HK). A name
    without one ("the regulator", "police") is an anaphor: it takes the last explicit name
    of its paragraph, else the document's dominant jurisdiction (dateline, title), else the
    last explicit name before it; with none it is dropped.
    """
    out: list[Name] = []
    starts = [s for s, _, _ in sentences]
    first_auth = _first_authority_code(names, starts)
    defined = _defined_short_names(names, text)
    last: Name | None = None
    last_auth: Name | None = None
    for n in names:
        if n.kind == "ambiguous":
            # an authority whose short name two jurisdictions share (证监会: the CSRC in
            # mainland text, the SFC in Hong Kong text): the document's jurisdiction decides
            code = defined.get(n.text) or dominant or n.code  # 证券及期货事务监察委员会(「证监会」) defines it
            out.append(Name(n.start, n.end, n.text, code, "authority"))
            continue
        if n.kind != "generic":
            out.append(n)
            last = n
            if n.kind == "authority":
                last_auth = n
            continue
        i = max(0, bisect_right(starts, n.start) - 1)
        s, _, para = sentences[i] if sentences else (0, 0, 0)
        code = n.code
        if code:
            if last is not None and last.kind == "authority" and last.start >= s and last.code != code:
                code = last.code  # the acting authority just named decides (香港金管局…央行數碼貨幣)
        elif last is not None and last.start >= para:
            code = last.code  # anaphora: the paragraph's last explicit name
        else:
            # no dominant jurisdiction: an anaphoric "the regulators" is the last authority named
            code = dominant or (first_auth.get(i) or (last_auth.code if last_auth else (last.code if last else "")))
        if code:
            out.append(Name(n.start, n.end, n.text, code, "authority"))
    return out


#: What stands between a full name and the short form it defines: "Securities and Futures
#: Commission (the "SFC")", 证券及期货事务监察委员会(「证监会」).
_DEFINES = re.compile(r"\s*[(（]\s*(?:the\s+|以下简称|以下簡稱|下称|下稱|简称|簡稱)?\s*[「\"“'‘]?\s*$")


def _defined_short_names(names: list[Name], text: str) -> dict[str, str]:
    """Short names a document defines after a full authority name, with that authority's
    jurisdiction: the SFC's own 证监会 in a simplified-Chinese text about Hong Kong."""
    defined: dict[str, str] = {}
    for full, short in zip(names, names[1:], strict=False):
        if (
            text
            and full.kind == "authority"
            and short.kind == "ambiguous"
            and short.start - full.end <= 12
            and _DEFINES.match(text[full.end : short.start])
        ):
            defined.setdefault(short.text, full.code)
    return defined


def _first_authority_code(names: list[Name], starts: list[int]) -> dict[int, str]:
    """Sentence index → code of the first explicit authority named in it, in one pass (a
    per-name scan of every name made ``resolve_generic`` quadratic on long pages)."""
    out: dict[int, str] = {}
    if not starts:
        return out
    for m in names:
        if m.kind == "authority" and m.code:
            i = max(0, bisect_right(starts, m.start) - 1)
            out.setdefault(i, m.code)
    return out


def find_names(text: str, rules: Rules, lo: int = 0, hi: int | None = None) -> list[Name]:
    out = []
    origin, agencies = rules.lexicon("firm_origin"), rules.lexicon("local_agency")
    covered = lo  # the end of a local authority's whole name: names inside it are part of it
    for m in rules.name_pattern.finditer(text, lo, len(text) if hi is None else hi):
        if m.start() < covered:
            continue
        hit = rules.names.get(m.group(0)) or rules.names.get(m.group(0).lower())
        if hit is None or hit.kind == "firm":
            continue
        if hit.kind == "place" and origin.match(text, m.end()):
            continue  # "Singapore-based Bybit": where a firm is from, never where a step is taken
        agency = agencies.match(text, m.end()) if hit.kind == "place" else None
        if agency is not None and agency.end() > m.end():
            # 青海省工信厅, "the Sichuan Energy Bureau": a local authority named by its place
            out.append(Name(m.start(), agency.end(), text[m.start() : agency.end()], hit.code, "authority"))
            covered = agency.end()
            continue
        out.append(Name(m.start(), m.end(), m.group(0), hit.code, hit.kind))
    return out


def attach_place(doc: Document, sent: Sentence, f: Frame) -> Frame | None:
    """The jurisdiction of the frame and how telling its evidence is."""
    f.place, f.place_factor = choose_jurisdiction(
        f.trigger,
        (sent.start, sent.end),
        f.clause,
        doc.names,
        sent.para,
        doc.title_names,
        doc.zh,
        doc.dominant,
        doc.name_starts,
        doc.text,
        doc.rules,
    )
    return f


def _place_or_actor(
    place: Name, in_clause: bool, in_sent: list[Name], trig: Trigger, text: str, rules: Rules, factor: float
) -> tuple[Name, float]:
    """A place after the verb of its clause locates the step's object ("暂停在香港的业务", "halt
    the pilot in Hong Kong"): an authority named before the verb in the sentence is the one
    acting (ANNOTATION.md §4: a CSRC instruction about Hong Kong plans is CN)."""
    w = rules.weights
    if in_clause and place.start >= trig.end:
        before = [n for n in in_sent if n.end <= trig.start and _acts(n, text, rules)]
        if before:
            return before[-1], w["jurisdiction.sentence"]
    return place, factor * w["jurisdiction.place"]


def _acts(n: Name, text: str, rules: Rules) -> bool:
    """An authority, or a place naming the actor after it ("Hong Kong regulator warns …")."""
    return n.kind == "authority" or bool(text and acting_place(text, n, rules))
