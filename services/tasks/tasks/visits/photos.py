"""Visit photos: checked by content (not by name or declared type), size-capped, written under
the data directory, and removed again if the request that stored them fails."""

from __future__ import annotations

import hashlib
import os
import uuid
from pathlib import Path

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


def root(data_dir: Path) -> Path:
    return data_dir / "tasks-files"


def store(data_dir: Path, *, visit_id: int, content: bytes, extension: str) -> tuple[str, str]:
    """Write the photo durably; return (relative path, sha256)."""
    relative = f"visits/{visit_id}/{uuid.uuid4().hex}.{extension}"
    target = root(data_dir) / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".part")
    with partial.open("wb") as f:
        f.write(content)
        f.flush()
        os.fsync(f.fileno())
    partial.replace(target)
    return relative, hashlib.sha256(content).hexdigest()


def path_of(data_dir: Path, relative: str) -> Path:
    base = root(data_dir).resolve()
    path = (base / relative).resolve()
    if base not in path.parents:
        raise ValueError("photo path outside the data directory")
    return path


def remove(data_dir: Path, relative: str) -> None:
    try:
        path_of(data_dir, relative).unlink(missing_ok=True)
    except (OSError, ValueError):
        pass
