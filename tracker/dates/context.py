"""What a date expression needs from its surroundings: the reference day, the tense of its
clause, the preposition that qualifies it, and what the document has already dated.

Partial dates ("August 1", "in March", "Friday", "the third quarter") carry no year, and the
year is settled by the clause: "passed on August 1" looks back, "will take effect on January 1"
looks forward. The document state lets "the same day" or "a year earlier" lean on the dates
written before them, the way a reader does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from tracker.regexes import folded

__all__ = ["Context", "tense_of", "qualifier_of"]

# "U.S. " and "J. " end no sentence: a stop after a lone capital is an abbreviation
_SENT_END = re.compile(r"(?<!\b[A-Z])[.!?;]\s|[。！？；\n]")

_CLAUSE_JOIN = re.compile(r"(?i),\s+(?:and|but|while|whereas)\s+")
_FUTURE = re.compile(
    r"(?i)\b(?:will|won't|shall|going to|expected|expects?|scheduled|set to|is due|are due|(?<!action )plans?|"
    r"planned|planning|intends?|intended|aims?|aimed|would|should|must|may|might|could|hopes?|"
    r"upcoming|forthcoming|coming|next|to take effect|to come into|to start|to begin|to launch|"
    r"to be|deadline|until|ahead of|in time for|as (?:early|soon) as|"
    # a decision or promise to act: "has decided to admit them in March" looks ahead
    r"(?:decided|agreed|voted|pledged|promised|vowed|threatened|offered|wants?|seeks?) to)\b|'ll\b|"
    r"将|將|预计|預計|计划|計劃|拟于|擬於|拟将|擬將|应于|應於|必须|必須|须于|須於|明年|下月|下周|下週|即将|即將"
)
_PAST = re.compile(
    r"(?i)\b(?:was|were|had|did|ago|last|earlier|previously|said|says|took|came|began|rose|fell|"
    r"saw|made|won|gave|got|went|became|left|ran|held|told|brought|sent|since|has been|have been|"
    r"put (?:forward|out|up|in place|on hold)|set out|laid out|sought|struck|wrote|spoke|chose|drew|met|led|kept|"
    r"paid|sold|bought|found|lost|stood|withdrew|oversaw|forbade|upheld|threw|"
    r"(?!(?:ne|spe|inde|hundr|r|b|fe|se|de|embe|bre|gree|she|wee|limit|unit|relat|bas|unprecedent|"
    r"expect|schedul|plann|propos|intend|aim|preferr|detail|advanc|qualifi|concern|interest|alleg|suppos)ed\b)"
    r"(?!un(?:specifi|expect|chang|nam|identifi|solv|answer|disclos|limit|settl|confirm|verifi|regulat|licens|"
    r"report|finish|resolv|determin|schedul|publish|list|restrict)ed\b)[a-z]{2,}ed)\b|已|曾|了|去年|上月|上周|上週"
)


_PART_OF = re.compile(
    r"(?i)\b(?:the\s+)?(?:very\s+)?(?:first|last|final)\s+(?:days?|weeks?|months?|quarter|half)\s+of\s+$"
)


def _clause(text: str, start: int, end: int) -> tuple[str, str]:
    """The text of the sentence to the left and to the right of a span (bounded windows)."""
    left = text[max(0, start - 90) : start]
    cuts = list(_SENT_END.finditer(left)) + list(_CLAUSE_JOIN.finditer(left))
    if cuts:
        left = left[max(c.end() for c in cuts) :]
    part = _PART_OF.search(left)
    if part:
        left = left[: part.start()]  # "the last week of March": "last" is no past tense
    right = text[end : end + 60]
    cut = _SENT_END.search(right)
    if cut:
        right = right[: cut.start()]
    return left, right


_PRESENT = re.compile(
    r"(?i)\b(?:apply|applies|takes?\s+effect|comes?\s+into|expires|runs|closes|begins|starts|"
    r"opens|is|are|remains|becomes|effective)\b|生效|施行|实施|實施"
)
# verbs of schedules in the simple present, read only before the date: "leaders meet on Friday" is
# a plan, while after it the same words are mostly nouns ("Sunday's vote")
_SCHEDULE = re.compile(
    r"(?i)\b(?:meet|meets|votes?|visits?|resumes?|arrives?|returns?|travels?|hosts?|faces?|heads?|"
    r"testif(?:y|ies)|convenes?|reconvenes?|launch|launches|debuts?|kicks?\s+off|goes\s+on\s+sale)\b"
)
_SINCE_BEFORE = re.compile(r"(?i)\bsince\s+(?:the\s+)?$|[自从從]\s*$")
_PARTICIPLE_PENALTY = 6


_STRONG_FUTURE = re.compile(
    r"(?i)\b(?:will|won't|shall|going to|scheduled|set to|is due|are due|to take effect|to come into)\b|'ll\b|"
    r"将|將|拟于|擬於|即将|即將"
)
_REPORTED_FUTURE = re.compile(
    r"(?i)\b(?:said|told|announced|stated|added|had|was|were|expected|planned|intended)\b.*?"
    r"\b(?:would|was to|were to|was due|were due|expected|planned|intended|aimed|hoped|was set to|were set to)\b"
)
_DEADLINE = re.compile(
    r"(?i)\b(?:by|until|till|before|ahead of|no later than|not later than|prior to)\s+(?:the\s+end\s+of\s+)?$"
)
_PAST_AUX = re.compile(r"(?i)\b(?:was|were|had|did)\b|已|曾")
_GENERIC_ED = re.compile(r"[a-z]+ed$")


_REPORTING = frozenset(
    (
        "said",
        "says",
        "told",
        "reported",
        "announced",
        "stated",
        "added",
        "noted",
        "last",
        "earlier",
        "previously",
        "ago",
        "since",
        "去年",
        "上月",
        "上周",
        "上週",
        "了",
    )
)


def _strong(label: str, hit: re.Match[str], left: str) -> bool:
    """Does the marker govern the date (a hard constraint) rather than hint at it? Only a verb
    close before the date, in the same clause ("approved spot ETFs on", "will take effect on")."""
    tail = left[hit.end() :]
    if len(tail) > 30 or tail.lower().endswith(("the ", "a ", "an ", "its ", "their ")) or "," in tail or "，" in tail:
        return False
    if label == "future":
        return _STRONG_FUTURE.fullmatch(hit.group(0)) is not None
    return label == "past" and hit.group(0).lower() not in _REPORTING and not _TARGET.search(left)


_PARTICIPLE_BEFORE = re.compile(
    r"(?i)\b(?:to|will|shall|must|would|could|should|may|might|can|would\s+not|to\s+have)\s+(?:[a-z]+ly\s+)?"
    r"be(?:en)?\s+(?:[a-z]+ly\s+)?$"
)
_INFINITIVE = re.compile(r"(?i)\b(?:to|must|should|will|would|shall|can|may|might|could)\s+(?!the\b|an?\b)[a-z]+")


def _past_hits(left: str, hits: list[re.Match[str]], fut_end: int) -> list[re.Match[str]]:
    """Drop -ed words that are participles, not past verbs: after "be"/"been" ("to be completed
    around Nov. 1") or after a future marker in the same clause ("will be listed on")."""
    out = []
    for h in hits:
        if _PARTICIPLE_BEFORE.search(left, 0, h.start()) and h.group(0) not in ("was", "were", "had", "did"):
            continue  # "will be paid Dec. 14": a participle, whether -ed or irregular
        if _GENERIC_ED.fullmatch(h.group(0)):
            if h.start() > fut_end >= 0 and "," not in left[fut_end : h.start()]:
                continue
        out.append(h)
    return out


def _is_deadline(left: str, right: str) -> bool:
    """ "shut down by Sunday", "must be filed by Friday": a deadline ahead, unless the verb it
    bounds is past ("received 36 applications by the end of September", "By Tuesday, police
    had received")."""
    cuts = list(_INFINITIVE.finditer(left))
    seg = left[cuts[-1].end() :] if cuts else left
    if _past_hits(seg, list(_PAST.finditer(seg)), -1) or _PAST_AUX.search(right[:40]):
        return False
    return True


# "extended to Nov. 20", "postponed until March": the past verb moves a date, which may lie ahead
_TARGET = re.compile(r"(?i)\b(?:to|until|till|through|into)\s+$")


def _folded(regex: re.Pattern[str]) -> re.Pattern[str]:
    """What tense_of runs on lower-cased text: the case-sensitive twin of a (?i) pattern (`re`
    matches it about twice as fast) where tracker.regexes.folded finds it exact, else the
    pattern itself, which matches lower-cased text just the same."""
    twin = folded(re.compile(regex.pattern.removeprefix("(?i)"), regex.flags))
    return twin[0] if twin is not None and twin[1] else regex


_FUTURE_L, _PAST_L, _PRESENT_L, _SINCE_L, _STRONG_FUTURE_L, _REPORTED_FUTURE_L, _DEADLINE_L, _TARGET_L = map(
    _folded, (_FUTURE, _PAST, _PRESENT, _SINCE_BEFORE, _STRONG_FUTURE, _REPORTED_FUTURE, _DEADLINE, _TARGET)
)
_SCHEDULE_L = _folded(_SCHEDULE)


_INF_FUTURE = re.compile(r"to (?:be|start|begin|launch)")


def _governed(text: str, left_start: int, left: str, hits: list[re.Match[str]]) -> list[re.Match[str]]:
    """ "became the first brokerage to be allowed to offer ... in June": an infinitive after a
    past main verb (not a reporting one) in the same sentence belongs to that past event and
    marks no future."""
    h = hits[-1]
    wide = text[max(0, left_start - 120) : left_start].lower() + left[: h.start()]
    cuts = list(_SENT_END.finditer(wide))
    if cuts:
        wide = wide[cuts[-1].end() :]
    past = [p for p in _PAST_L.finditer(wide) if p.group(0) not in _REPORTING and not p.group(0).endswith("ed")]
    return hits[:-1] if past else hits


def tense_of(text: str, start: int, end: int) -> str | None:
    """ "past", "future", "present", "rfuture" or None for the clause around text[start:end].

    A "!" marks a verb that governs the date from the left ("took effect on", "will take effect
    on"): the date then cannot lie on the other side of the reference. "rfuture" is a future
    reported in the past ("said in March it would ... by April"): it lies ahead of the time of
    the report, not of the publication.

    The marker nearest to the date decides: in "said it will list on Monday" the nearer
    "will" outranks the reporting verb "said". Markers on the left weigh more than those on
    the right, which often belong to the next clause.
    """
    left, right = _clause(text, start, end)
    low_l, low_r = left.lower(), right.lower()
    if len(low_l) == len(left) and len(low_r) == len(right):
        left, right = low_l, low_r
    if _SINCE_L.search(left) or re.match(r"\s*(?:以来|以來)", right):
        return "past"
    near = left[-16:]
    fut = list(_STRONG_FUTURE_L.finditer(left))
    fut_end = fut[-1].end() if fut else -1
    near_past = _past_hits(left, list(_PAST_L.finditer(left, max(0, len(left) - 16))), fut_end)
    if near_past and not _FUTURE_L.search(left[-30:]) and not _DEADLINE_L.search(near) and not _TARGET_L.search(near):
        return "past!"  # "took effect on", "was passed on": the verb right before the date
    if _REPORTED_FUTURE_L.search(left):
        return "rfuture"
    if _DEADLINE_L.search(left[-30:]) and _is_deadline(left, right):
        return "future"  # "by Sunday", "until Friday": a deadline lies ahead
    best: tuple[float, str, bool] | None = None
    for regex, label, bias in (
        (_FUTURE_L, "future", 0.5),
        (_PAST_L, "past", 0.0),
        (_PRESENT_L, "present", -8.0),
        (_SCHEDULE_L, "present", -8.0),
    ):
        hits = list(regex.finditer(left))
        if label == "past":
            hits = _past_hits(left, hits, fut_end)
        elif label == "future" and hits and _INF_FUTURE.fullmatch(hits[-1].group(0)):
            hits = _governed(text, start - len(left), left, hits)
        if hits:
            hit = hits[-1]
            dist = (
                len(left)
                - hit.end()
                - bias
                + (_PARTICIPLE_PENALTY if hit.group(0).endswith("ed") and label == "past" else 0)
            )
            if best is None or dist < best[0]:
                best = (dist, label, _strong(label, hit, left))
        after = regex.search(right) if regex is not _SCHEDULE_L else None
        if after:
            dist = 3 * after.start() + 20 - bias
            if best is None or dist < best[0]:
                best = (dist, label, False)
    if best is None:
        # Chinese has no tense: a report of an authority's act right after its date
        # ("6月9日发布通知", "9日拘捕") tells of a step taken, so the date leans to the past
        # (a day only: "3月中下旬发布细则" plans the coming March as readily as it reports the last)
        day = text[max(start, end - 1) : end] in ("日", "号", "號")
        return "past" if day and _ZH_ACT_R.match(right) else None
    return best[1] + "!" if best[2] else best[1]


_ZH_ACT_R = re.compile(
    r"\s*(?:[,，]\s*)?(?:正式)?(?:发布|發布|發佈|印发|印發|出台|宣布|宣佈|通过|通過|召开|召開|发出|發出|下发|下發|公布|公佈|"
    r"表示|指出|批准|拘捕|逮捕|破获|破獲|查处|查處|约谈|約談|叫停|暂停|暫停|发文|發文|联合发布|聯合發布)"
)


_QUAL_EN = re.compile(
    r"(?i)(?:\b(?P<since>since|ever since)|\b(?P<from>from|starting(?: on| from)?|beginning(?: on)?|"
    r"effective(?: from| on)?|with effect from|as from|after|commencing(?: on)?)|\b(?P<until>until|till|"
    r"through|up to|to)|\b(?P<by>by|before|no later than|not later than|as of|as at|ahead of|prior to))"
    r"\s+(?:the\s+)?$"
)
_QUAL_ZH_BEFORE = re.compile(r"(?P<since>自|從|从|由)\s*$|(?P<until>截至|截止|直至|直到)\s*$")
_QUAL_ZH_AFTER = re.compile(r"^\s*(?P<since>以來|以来)|^\s*(?P<from>起|开始|開始)|^\s*(?P<by>前|之前|或之前)")


def qualifier_of(text: str, start: int, end: int) -> str | None:
    """The relation the text states between an event and the date at text[start:end]."""
    before = text[max(0, start - 24) : start]
    after = text[end : end + 6]
    zb = _QUAL_ZH_BEFORE.search(before)
    za = _QUAL_ZH_AFTER.search(after)
    if zb or za:
        if zb and zb.lastgroup == "since":
            return "since"
        if zb:
            return "until"
        assert za is not None
        return za.lastgroup
    m = _QUAL_EN.search(before)
    if not m:
        return None
    if m.lastgroup == "until" and m.group("until").lower() == "to":
        # "to" only bounds a range that opened with "from"
        return "until" if re.search(r"(?i)\bfrom\b", text[max(0, start - 60) : start]) else None
    return m.lastgroup


@dataclass(slots=True)
class Context:
    """Per-document state: the reference day and what has already been dated."""

    text: str
    ref: date | None
    locale: str | None = None  # the source's country ("US", "GB", "HK", "CN"), when known
    numeric_order: str | None = None  # "d"/"m" when the document's own numeric dates show it, "?" if not
    last_day: date | None = None
    last_year: int | None = None
    story_year: int | None = None  # the year of "the 2026 Budget", "the 2025 conference": the story's own
    last_quarter: tuple[int, int] | None = None
    last_quarter_pos: int | None = None
    seen: list[str] = field(default_factory=list)

    last_day_pos: int = -1
    last_pos: int = -1
    last_first: date | None = None
    last_precision: str | None = None  # of the last resolved expression
    last_month: tuple[int, int] | None = None  # (year, month) of the last month- or day-precision date
    last_month_pos: int = -1

    def antecedent_day(self, start: int) -> date | None:
        """The day that "the same day", "that day", 同日, 当日 refer back to: the last day-precision
        date, if it is in the same paragraph or the one before; None when there is none."""
        if self.last_day is None:
            return None
        if (
            self.text.count("\n\n", self.last_day_pos, start)
            + (self.text.count("\n", self.last_day_pos, start) if "\n\n" not in self.text else 0)
            > 1
        ):
            return None
        return self.last_day

    def narrative_year(self, start: int, month: int, day: int) -> int | None:
        """The year of a month-day written shortly after a day-precision date ("a statement on
        Sept. 13, 2023 ... arrested on Sept. 18", "passed on Dec. 20 ... takes effect on Jan. 1"):
        the story is told around that date when the day falls within weeks of it."""
        last = self.last_day
        if last is None or start - self.last_day_pos > 400:
            return None
        best: tuple[int, int] | None = None
        for y in (last.year - 1, last.year, last.year + 1):
            try:
                gap = abs((date(y, month, day) - last).days)
            except ValueError:
                continue
            if gap <= 45 and (best is None or gap < best[0]):
                best = (gap, y)
        return best[1] if best else None

    def anchor_year(self) -> int | None:
        """With no publication date, the year of the occasion the story is about ("the 2026
        Budget", "the 2025 conference") gives a month or a month-day its year (ANNOTATION.md §5);
        a year that dates another step ("the 2021 ban") is no such anchor."""
        return self.story_year if self.ref is None else None

    def tense(self, start: int, end: int) -> str | None:
        return tense_of(self.text, start, end)

    def frame(self, start: int, end: int) -> tuple[date | None, str | None]:
        """The reference day and tense for a partial date at text[start:end].

        A future reported in the past ("said in March it would ... by the end of April") is
        anchored to the date its own sentence gives for the report, and lies after it; without
        one, the nearest occurrence to the publication wins."""
        tense = tense_of(self.text, start, end)
        if tense != "rfuture":
            return self.ref, tense
        if (
            self.last_first is not None
            and self.last_precision in ("day", "week", "month")  # a report's own date, not a year it names
            and 0 <= start - self.last_pos < 90
            and not _SENT_END.search(self.text, self.last_pos, start)
        ):
            return self.last_first, "future!"
        return self.ref, "future"
