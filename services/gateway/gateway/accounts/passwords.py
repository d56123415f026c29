"""Password hashing (Argon2id, argon2-cffi) and the password policy."""

from __future__ import annotations

import os
import secrets
import string
import threading
from functools import lru_cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

_hasher = PasswordHasher()  # Argon2id with the library's current recommended parameters
_COMMON_FILE = Path(__file__).parent / "common-passwords.txt"
# Argon2id takes 64 MiB and several threads per hash: computing more at once than there are
# cores only multiplies the memory and makes every one of them slower. Sign-ins beyond this
# wait their turn (issue 14, item 11).
_HASHING = threading.BoundedSemaphore(max(2, os.cpu_count() or 2))


def hash_password(password: str) -> str:
    with _HASHING:
        return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    with _HASHING:
        try:
            return _hasher.verify(password_hash, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


@lru_cache
def _dummy_hash() -> str:
    return _hasher.hash(secrets.token_urlsafe(16))


def burn_verify_time(password: str) -> None:
    """Spend the time a real verification takes, so timing does not reveal unknown usernames."""
    verify_password(_dummy_hash(), password)


@lru_cache
def common_passwords() -> frozenset[str]:
    lines = _COMMON_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines if line.strip() and not line.startswith("#"))


def policy_problem(password: str, *, min_length: int, username: str | None = None) -> str | None:
    """The Chinese reason a password is refused, or None when it is acceptable."""
    if len(password) < min_length:
        return f"密码长度不能少于 {min_length} 位"
    if len(password) > 128:
        return "密码长度不能超过 128 位"
    classes = sum(
        [
            any(c.islower() for c in password),
            any(c.isupper() for c in password),
            any(c.isdigit() for c in password),
            any(not c.isalnum() for c in password),
        ]
    )
    if classes < 3:
        return "密码需包含大写字母、小写字母、数字、特殊符号中的至少三类"
    if password.lower() in common_passwords():
        return "该密码过于常见，容易被猜中，请换一个"
    if username and username.lower() in password.lower():
        return "密码不能包含用户名"
    return None


def generate_password(length: int = 16) -> str:
    """A random password that satisfies the policy (for the first admin, and resets)."""
    alphabet = string.ascii_letters + string.digits + "-_.!@#"
    while True:
        candidate = "".join(secrets.choice(alphabet) for _ in range(length))
        if policy_problem(candidate, min_length=8) is None:
            return candidate
