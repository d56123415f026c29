"""统一社会信用代码 check: shared with metrics, so it lives in ``louyu_kit.uscc``; re-exported here."""

from louyu_kit.uscc import ALPHABET, VALUES, WEIGHTS, check_character, make, normalise, problem

__all__ = ["ALPHABET", "VALUES", "WEIGHTS", "check_character", "make", "normalise", "problem"]
