"""Optimistic concurrency: ``ETag`` on read, ``If-Match`` required on update (428 / 412)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header, Response

from louyu_kit.errors import PreconditionFailed, PreconditionRequired


def _if_match(
    if_match: Annotated[
        str | None,
        Header(alias="If-Match", description="读取时得到的 ETag；缺少时返回 428，与当前版本不一致时返回 412"),
    ] = None,
) -> str | None:
    return if_match


IfMatch = Annotated[str | None, Depends(_if_match)]


def etag(version: int) -> str:
    return f'"{version}"'


def set_etag(response: Response, version: int) -> None:
    response.headers["ETag"] = etag(version)


def require_version(if_match: str | None, current: int, what: str) -> None:
    """Refuse an update without ``If-Match`` (428) or based on another version (412)."""
    if if_match is None or not if_match.strip():
        raise PreconditionRequired(f"修改{what}前请先读取最新数据（请求缺少 If-Match）")
    tags = [t.strip().removeprefix("W/").strip('"') for t in if_match.split(",")]
    if "*" in tags:
        # "*" matches any version: it would skip the check it is there for.
        raise PreconditionRequired(
            f"修改{what}须在 If-Match 中给出读取时得到的版本号（ETag），不接受 *", error="PreconditionRequired"
        )
    if str(current) in tags:
        return
    raise PreconditionFailed(f"{what}已被他人修改（当前为第 {current} 版），请刷新后查看最新内容再修改")
