"""Who an event is about, as one key across scripts and spellings (rules/entities.toml).

The timeline must never merge two different steps. Type, jurisdiction and date are not
enough: the SFC licenses two firms on one day, and the HKMA and the SFC open consultations
on one day. So a merge also compares the party (the named firm or instrument) and the actor
(the authority), after folding each name to an identity: "證監會" and "the SFC" are one
authority, "《稳定币条例》" and "the Stablecoins Ordinance" one instrument.

The gazetteer is data. A name it does not list is still compared, folded: "OSL Digital
Limited" and "OSL Digital Ltd" agree without an entry.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, ValidationError

from tracker.errors import RuleError
from tracker.rules import default_rules_dir

__all__ = ["Identities", "load_identities", "default_identities", "fold_name"]

_QUOTES = re.compile(r"[《》〈〉「」『』\"“”‘’'`]")
_LEADING = re.compile(r"^(?:the|a|an)\s+")
# Company suffixes say nothing about which firm it is; they come and go between reports.
_SUFFIX = re.compile(
    r"(?:[\s,]+(?:limited|ltd|inc|incorporated|corp|corporation|co|company|plc|llc|group|holdings?)\.?)+$"
    r"|(?:股份有限公司|有限责任公司|有限責任公司|有限公司|集团|集團|控股)+$"
)
_SPACE = re.compile(r"[\s.,·・]+")


def fold_name(name: str) -> str:
    """The comparable form of a name: width, case, quotes, articles and suffixes folded."""
    folded = unicodedata.normalize("NFKC", name).casefold().strip()
    folded = _QUOTES.sub("", folded)
    folded = _LEADING.sub("", folded)
    folded = _SUFFIX.sub("", folded).strip()
    return _SPACE.sub(" ", folded).strip()


class _Entity(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    kind: Literal["authority", "firm", "instrument"]
    names: list[str]
    broad: bool = False


class _Example(BaseModel):
    model_config = ConfigDict(extra="forbid")

    rule: str
    same: list[str]
    different: list[str] = []


class _EntitiesFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: Literal[1]
    entities: list[_Entity] = []
    examples: list[_Example] = []


@dataclass(frozen=True)
class Identities:
    """Folded name → entity id, and the ids of broad bodies (which never tell mentions apart)."""

    ids: dict[str, str]
    broad: frozenset[str]
    examples: tuple[_Example, ...] = ()

    def of(self, name: str | None) -> str | None:
        """The identity of one name: its entity id, else its folded form; None for no name."""
        if not name:
            return None
        folded = fold_name(name)
        return self.ids.get(folded, folded) or None

    def parties(self, party: str | None) -> frozenset[str]:
        """The identities of a mention's party field ("A; B" names two firms)."""
        if not party:
            return frozenset()
        return frozenset(key for part in party.split(";") if (key := self.of(part)))

    def parties_differ(self, a: str | None, b: str | None) -> bool:
        """Both name parties and none is shared: two firms licensed, two different steps."""
        left, right = self.parties(a), self.parties(b)
        return bool(left and right and not left & right)

    def actors_differ(self, a: str | None, b: str | None) -> bool:
        """Two specific authorities: an HKMA consultation is not the SFC's."""
        left, right = self.of(a), self.of(b)
        if left is None or right is None or left in self.broad or right in self.broad:
            return False
        return left != right

    def same_actor(self, a: str | None, b: str | None) -> bool:
        left = self.of(a)
        return left is not None and left == self.of(b)


def _location(exc: ValidationError) -> str:
    first = exc.errors()[0]
    path = ""
    for part in first["loc"]:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return f"{path or '(top level)'}: {first['msg']}"


def load_identities(path: Path) -> Identities:
    """Read and check an entities file; a problem raises RuleError naming the file and the key."""
    label = f"{path.parent.name}/{path.name}"
    try:
        with path.open("rb") as fh:
            raw = tomllib.load(fh)
    except FileNotFoundError:
        raise RuleError(f"{label}: file not found") from None
    except tomllib.TOMLDecodeError as exc:
        raise RuleError(f"{label}: not valid TOML: {exc}") from None
    try:
        data = _EntitiesFile.model_validate(raw)
    except ValidationError as exc:
        raise RuleError(f"{label}: {_location(exc)}") from None
    ids: dict[str, str] = {}
    for index, entity in enumerate(data.entities):
        for name in entity.names:
            key = fold_name(name)
            if ids.get(key, entity.id) != entity.id:
                raise RuleError(f"{label}: entities[{index}].names: {name!r} already belongs to {ids[key]!r}")
            ids[key] = entity.id
    known = {entity.id for entity in data.entities}
    for index, example in enumerate(data.examples):
        if example.rule not in known:
            raise RuleError(f"{label}: examples[{index}].rule: unknown entity id {example.rule!r}")
    broad = frozenset(entity.id for entity in data.entities if entity.broad)
    return Identities(ids, broad, tuple(data.examples))


@lru_cache(maxsize=4)
def default_identities(rules_dir: str | None = None) -> Identities:
    """The gazetteer of ``rules_dir`` (default: the bundled rules/), read once per process;
    a directory without an entities file compares folded names only."""
    base = Path(rules_dir) if rules_dir else default_rules_dir()
    path = base / "entities.toml"
    if not path.exists():
        return Identities({}, frozenset())
    return load_identities(path)
