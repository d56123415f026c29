"""Matching the way documents spell a unit to the directory: normalisation, variants and a
cautious near match (one character lost or changed), always reported to the caller."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

_DROP = re.compile(r"[\s·•.,，、;；:：()（）【】\[\]<>《》“”\"'‘’]")
# Prefixes a document may add in front of a district unit's short name.
_PREFIXES = (("武汉市武昌区", "区"), ("武昌区", "区"), ("武汉市", "市"))


def normalise(name: str) -> str:
    """Full-width to half-width, no spaces or punctuation, lower case: the alias key."""
    return _DROP.sub("", unicodedata.normalize("NFKC", name)).lower()


def variants(name: str) -> list[str]:
    """Keys to try for one written name, most literal first."""
    key = normalise(name)
    out = [key]
    for prefix, replacement in _PREFIXES:
        if key.startswith(prefix):
            out.append(replacement + key[len(prefix) :])
    for candidate in list(out):
        if candidate.endswith("街道办事处"):
            out.append(candidate.removesuffix("办事处"))
        if not candidate.startswith(("区", "市")):
            out.append("区" + candidate)
    return list(dict.fromkeys(out))


def _within_one_edit(a: str, b: str) -> bool:
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    for i in range(len(long_)):
        if long_[:i] + long_[i + 1 :] == short:
            return True
    return False


@dataclass(frozen=True)
class UnitRef:
    code: str
    name: str
    kind: str


@dataclass
class Resolution:
    """What one written name stands for: ``units`` (several for a collective), how it matched
    (``exact`` / ``variant`` / ``near`` / ``unknown``) and a warning when not exact."""

    written: str
    units: list[UnitRef] = field(default_factory=list)
    matched_by: str = "unknown"
    collective: str | None = None
    warning: str | None = None


@dataclass
class Directory:
    """The unit directory in memory (a few hundred rows): alias keys → unit, collectives → members."""

    units: dict[str, UnitRef]
    keys: dict[str, str]
    members: dict[str, list[str]]

    def exact(self, written: str) -> str | None:
        """The unit code a name stands for by its spelling or a variant (no near matching)."""
        for key in variants(written):
            if key in self.keys:
                return self.keys[key]
        return None

    def resolve(self, written: str) -> Resolution:
        written = written.strip()
        result = Resolution(written=written)
        if not normalise(written):
            result.warning = "责任单位名称为空"
            return result
        code = None
        for index, key in enumerate(variants(written)):
            code = self.keys.get(key)
            if code is not None:
                result.matched_by = "exact" if index == 0 else "variant"
                break
        if code is None:
            code = self._near(normalise(written))
            if code is not None:
                result.matched_by = "near"
                result.warning = f"“{written}”按近似名称识别为“{self.units[code].name}”，请核对"
        if code is None:
            result.warning = f"未识别的责任单位“{written}”（目录中没有该单位或别名，未予创建）"
            return result
        unit = self.units[code]
        if unit.kind == "collective":
            result.collective = unit.code
            result.units = [self.units[c] for c in self.members.get(unit.code, [])]
            if not result.units:
                result.warning = f"“{written}”是统称，但目录中没有它包含的单位"
        else:
            result.units = [unit]
        return result

    def _near(self, key: str) -> str | None:
        if not 5 <= len(key) <= 40:  # a long text is no unit name: do not compare it with every alias
            return None
        found = {code for alias, code in self.keys.items() if len(alias) >= 5 and _within_one_edit(key, alias)}
        return found.pop() if len(found) == 1 else None
