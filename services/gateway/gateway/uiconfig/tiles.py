"""The map's tile server, set by the deployer (e.g. 天地图 with the deployer's own key):
its URL templates are checked when the gateway starts, and their origins are the only ones
added to the CSP's ``img-src``. With no tile URL the map draws no tiles and the browser
fetches nothing from another host.

- ``LOUYU_MAP_TILE_URL``: a Leaflet URL template, ``https://…{z}…{x}…{y}…`` (``{s}`` for a
  subdomain, in the host only). ``http://`` only for a tile server on this machine
  (127.0.0.1, localhost).
- ``LOUYU_MAP_TILE_SUBDOMAINS``: what ``{s}`` takes: comma separated (``t0,t1``) or one
  character each (``01234567``); required when a template has ``{s}``.
- ``LOUYU_MAP_LABEL_URL``: optional second layer drawn above (天地图's 注记 ``cva_w``), same rules.
- ``LOUYU_MAP_ATTRIBUTION``: the text shown in the map's corner (plain text; 审图号 etc.).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

LOOPBACK = frozenset({"127.0.0.1", "localhost"})
_HOST = re.compile(r"^[A-Za-z0-9.-]+$")
_SUBDOMAIN = re.compile(r"^[A-Za-z0-9-]+$")
_PLACEHOLDER = re.compile(r"\{([a-z]+)\}")
ALLOWED_PLACEHOLDERS = frozenset({"s", "z", "x", "y", "r"})
MAX_URL = 2000
MAX_ATTRIBUTION = 300
EXAMPLE = (
    "https://t{s}.tianditu.gov.cn/vec_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=vec"
    "&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk=您的密钥"
)


class TileConfigError(ValueError):
    """A tile setting the gateway refuses to start with (the message names the setting)."""


def subdomains(value: str) -> tuple[str, ...]:
    """``LOUYU_MAP_TILE_SUBDOMAINS`` as a list (comma separated, or one character each)."""
    value = value.strip()
    if not value:
        return ()
    items = [v.strip() for v in value.split(",")] if "," in value else list(value)
    for item in items:
        if not _SUBDOMAIN.match(item):
            raise TileConfigError(
                f"LOUYU_MAP_TILE_SUBDOMAINS 中的“{item}”不是有效的子域名（只能包含字母、数字和连字符，"
                "多个用逗号分隔，如 0,1,2,3,4,5,6,7）"
            )
    return tuple(items)


def _origin(url: str, setting: str) -> str:
    """``scheme://host[:port]`` of one concrete URL (``{s}`` already filled in)."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if "@" in parts.netloc or not _HOST.match(host):
        raise TileConfigError(f"{setting} 的主机名不正确（只能包含字母、数字、点和连字符，不能带用户名或密码）")
    try:
        port = parts.port
    except ValueError as exc:
        raise TileConfigError(f"{setting} 的端口不正确") from exc
    return f"{parts.scheme}://{host}" + (f":{port}" if port else "")


def check_template(value: str, *, setting: str, subdomain_list: tuple[str, ...]) -> tuple[str, ...]:
    """Validate one tile URL template; its origins (one per subdomain when the host has ``{s}``)."""
    url = value.strip()
    hint = f"应为 https:// 开头、含 {{z}} {{x}} {{y}} 的瓦片地址模板，例如 {EXAMPLE}"
    if len(url) > MAX_URL:
        raise TileConfigError(f"{setting} 过长（超过 {MAX_URL} 个字符）")
    if any(ch.isspace() or ch in "\"'<>`\\" for ch in url):
        raise TileConfigError(f"{setting} 含有空格、引号或尖括号等不允许的字符；{hint}")
    scheme = url.split(":", 1)[0].lower() if ":" in url else ""
    if scheme not in ("https", "http"):
        raise TileConfigError(f"{setting} 不是 https 地址（“{scheme or url[:20]}:”不允许）；{hint}")
    after_scheme = url.split("://", 1)[1] if "://" in url else ""
    host_part = re.split(r"[/?#]", after_scheme, maxsplit=1)[0]
    if not host_part:
        raise TileConfigError(f"{setting} 缺少主机名；{hint}")
    if scheme == "http" and host_part.split(":")[0].replace("{s}", "") not in LOOPBACK:
        raise TileConfigError(f"{setting} 必须使用 https（http 只允许本机 127.0.0.1 / localhost 上的瓦片服务）；{hint}")
    found = set(_PLACEHOLDER.findall(url))
    missing = [p for p in ("z", "x", "y") if p not in found]
    if missing:
        raise TileConfigError(f"{setting} 缺少 " + "、".join("{" + p + "}" for p in missing) + f" 占位符；{hint}")
    unknown = sorted(found - ALLOWED_PLACEHOLDERS)
    if unknown:
        raise TileConfigError(
            f"{setting} 含有不支持的占位符 "
            + "、".join("{" + p + "}" for p in unknown)
            + "（只支持 {s} {z} {x} {y} {r}）"
        )
    if "{" in host_part.replace("{s}", "") or "}" in host_part.replace("{s}", ""):
        raise TileConfigError(f"{setting} 的主机名中只允许 {{s}} 一个占位符")
    if "{s}" in host_part:
        if not subdomain_list:
            raise TileConfigError(
                f"{setting} 的主机名含 {{s}}，请用 LOUYU_MAP_TILE_SUBDOMAINS 列出子域（天地图为 0,1,2,3,4,5,6,7）"
            )
        return tuple(dict.fromkeys(_origin(url.replace("{s}", s), setting) for s in subdomain_list))
    return (_origin(url, setting),)


def check_attribution(value: str) -> str:
    text = value.strip()
    if len(text) > MAX_ATTRIBUTION:
        raise TileConfigError(f"LOUYU_MAP_ATTRIBUTION 过长（超过 {MAX_ATTRIBUTION} 个字符）")
    if any(ord(ch) < 32 for ch in text):
        raise TileConfigError("LOUYU_MAP_ATTRIBUTION 含有控制字符")
    return text


@dataclass(frozen=True)
class TileConfig:
    """The checked tile settings (``tile_url`` empty: no tiles)."""

    tile_url: str = ""
    label_url: str = ""
    subdomains: tuple[str, ...] = ()
    attribution: str = ""
    origins: tuple[str, ...] = ()

    @property
    def enabled(self) -> bool:
        return bool(self.tile_url)


def tile_config(*, tile_url: str, label_url: str, subdomains_value: str, attribution: str) -> TileConfig:
    """Check the four settings together; raises ``TileConfigError`` with a clear message."""
    tile_url, label_url = tile_url.strip(), label_url.strip()
    subs = subdomains(subdomains_value)
    if not tile_url:
        if label_url:
            raise TileConfigError("设置了 LOUYU_MAP_LABEL_URL（注记图层）但没有设置 LOUYU_MAP_TILE_URL（底图）")
        return TileConfig()
    origins = check_template(tile_url, setting="LOUYU_MAP_TILE_URL", subdomain_list=subs)
    if label_url:
        origins += check_template(label_url, setting="LOUYU_MAP_LABEL_URL", subdomain_list=subs)
    return TileConfig(
        tile_url=tile_url,
        label_url=label_url,
        subdomains=subs,
        attribution=check_attribution(attribution),
        origins=tuple(dict.fromkeys(origins)),
    )
