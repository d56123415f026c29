"""Visit photos: checked by content (not by name or declared type) and size-capped."""

from __future__ import annotations

import hashlib

from louyu_kit.errors import Invalid, LouyuError


class PhotoTooLarge(LouyuError):
    status_code = 413
    default_detail = "照片过大"


# (content type, extension) by the file's first bytes.
def sniff(head: bytes) -> tuple[str, str] | None:
    """The image type of a file from its first bytes, or None when it is not a photo we accept."""
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg", "jpg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png", "png"
    if len(head) >= 12 and head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp", "webp"
    if len(head) >= 12 and head[4:8] == b"ftyp" and head[8:12] in (b"heic", b"heix", b"mif1", b"msf1", b"hevc"):
        return "image/heic", "heic"
    return None


def check(content: bytes, *, max_bytes: int) -> tuple[str, str]:
    if len(content) > max_bytes:
        raise PhotoTooLarge(
            f"照片不能超过 {max_bytes // (1024 * 1024)} MB", fields=[{"field": "file", "message": "文件过大"}]
        )
    if not content:
        raise Invalid("照片文件是空的", fields=[{"field": "file", "message": "文件为空"}])
    kind = sniff(content[:32])
    if kind is None:
        raise Invalid(
            "只接受 JPEG、PNG、WebP 或 HEIC 格式的照片（按文件内容判断）",
            fields=[{"field": "file", "message": "不是可接受的图片"}],
        )
    return kind


def digest(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()
