"""统一社会信用代码 (GB 32100-2015): normalisation and the check character.

18 characters from ``0-9 A-H J-N P-R T U W-Y`` (no I, O, S, V, Z). Position 1 is the
registering authority, 2 the kind of entity, 3–8 the region code (digits), 9–17 the
organisation code, 18 the check character:
check = (31 − Σ value(cᵢ) × wᵢ mod 31) mod 31 over positions 1–17.
"""

from __future__ import annotations

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
VALUES = {c: i for i, c in enumerate(ALPHABET)}
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_FULL_WIDTH = {chr(0xFF10 + i): str(i) for i in range(10)} | {chr(0xFF21 + i): chr(0x41 + i) for i in range(26)}


def normalise(raw: str) -> str:
    """Upper-case, half-width, without spaces or hyphens (how clerks paste codes)."""
    text = "".join(_FULL_WIDTH.get(ch, ch) for ch in raw.strip())
    return "".join(ch for ch in text if ch not in " \u3000-\t").upper()


def check_character(first17: str) -> str:
    """The check character for the first 17 characters (all must be in the alphabet)."""
    total = sum(VALUES[ch] * weight for ch, weight in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def problem(code: str) -> str | None:
    """Why ``code`` (already normalised) is not a valid USCC, in Chinese; None when it is valid."""
    if len(code) != 18:
        return f"统一社会信用代码应为18位，实际为{len(code)}位"
    for position, ch in enumerate(code, start=1):
        if ch not in VALUES:
            return f"第{position}位“{ch}”不是统一社会信用代码允许的字符（不使用 I、O、S、V、Z）"
    if not code[2:8].isdigit():
        return "第3–8位应为登记管理机关的行政区划代码（6位数字）"
    expected = check_character(code[:17])
    if code[17] != expected:
        return f"校验位不正确：按 GB 32100 第18位应为“{expected}”，实际为“{code[17]}”，请核对是否有字符录错"
    return None


def make(first17: str) -> str:
    """A valid code from its first 17 characters (demo and test data)."""
    return first17 + check_character(first17)
