"""The district outline drawn under the buildings on the map (GeoJSON, WGS-84 / CGCS2000 degrees).

The shipped file (``data/wuchang-outline.geojson``) is an **approximate** outline traced by
hand from public knowledge — 示意边界（近似，非标准地图）— so the map can place buildings
inside the district when no tile server is configured. It is not an administrative boundary.
A deployer replaces it with the official one by pointing ``LOUYU_METRICS_MAP_OUTLINE_FILE``
at a GeoJSON file (a Polygon, MultiPolygon, Feature or FeatureCollection of those).
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

SHIPPED = Path(__file__).resolve().parent / "data" / "wuchang-outline.geojson"
APPROXIMATE_LABEL = "示意边界（近似，非标准地图）"
SETTING = "LOUYU_METRICS_MAP_OUTLINE_FILE"
# Generous bounds of China: a file in projected metres or with lat/lng swapped is refused.
LNG_RANGE, LAT_RANGE = (73.0, 136.0), (3.0, 54.0)
MAX_BYTES = 20 * 1024 * 1024

Ring = list[tuple[float, float]]


class OutlineError(ValueError):
    """The outline file cannot be used (the message names the setting and the problem)."""


def load(path: Path | None = None) -> dict[str, Any]:
    """The outline as a FeatureCollection (``path`` or the shipped approximate one), validated."""
    target = (path or SHIPPED).resolve()
    try:
        stat = target.stat()
    except OSError as exc:
        raise OutlineError(f"{SETTING}：找不到边界文件 {target}") from exc
    return _load(str(target), stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=4)
def _load(path: str, _mtime: int, size: int) -> dict[str, Any]:
    if size > MAX_BYTES:
        raise OutlineError(f"{SETTING}：边界文件 {path} 超过 {MAX_BYTES // 1024 // 1024} MB")
    try:
        with open(path, encoding="utf-8-sig") as fh:
            doc = json.load(fh)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise OutlineError(f"{SETTING}：边界文件 {path} 不是有效的 GeoJSON（{type(exc).__name__}）") from exc
    features = _features(doc, path)
    if not features:
        raise OutlineError(f"{SETTING}：边界文件 {path} 中没有面（Polygon / MultiPolygon）")
    shipped = Path(path) == SHIPPED
    note = doc.get("note") if isinstance(doc, dict) and isinstance(doc.get("note"), str) else None
    return {
        "type": "FeatureCollection",
        "features": features,
        "approximate": shipped,
        "label": APPROXIMATE_LABEL if shipped else "",
        "note": note if shipped else None,
    }


def _features(doc: Any, path: str) -> list[dict[str, Any]]:
    """The polygon features of a GeoJSON document, coordinates checked."""
    if not isinstance(doc, dict):
        raise OutlineError(f"{SETTING}：边界文件 {path} 不是 GeoJSON 对象")
    kind = doc.get("type")
    if kind == "FeatureCollection":
        items = doc.get("features")
        if not isinstance(items, list):
            raise OutlineError(f"{SETTING}：边界文件 {path} 的 features 不是数组")
        return [f for item in items for f in _features(item, path)]
    if kind == "Feature":
        geometry = doc.get("geometry")
        if not isinstance(geometry, dict) or geometry.get("type") not in ("Polygon", "MultiPolygon"):
            return []
        properties = doc.get("properties") if isinstance(doc.get("properties"), dict) else {}
        return [{"type": "Feature", "properties": properties, "geometry": _geometry(geometry, path)}]
    if kind in ("Polygon", "MultiPolygon"):
        return [{"type": "Feature", "properties": {}, "geometry": _geometry(doc, path)}]
    raise OutlineError(
        f"{SETTING}：边界文件 {path} 的类型“{kind}”不是 FeatureCollection、Feature、Polygon 或 MultiPolygon"
    )


def _geometry(geometry: dict[str, Any], path: str) -> dict[str, Any]:
    polygons = geometry.get("coordinates")
    if geometry["type"] == "Polygon":
        polygons = [polygons]
    if not isinstance(polygons, list) or not polygons:
        raise OutlineError(f"{SETTING}：边界文件 {path} 的坐标格式不正确")
    clean = [[_ring(ring, path) for ring in _list(polygon, path)] for polygon in polygons]
    if geometry["type"] == "Polygon":
        return {"type": "Polygon", "coordinates": clean[0]}
    return {"type": "MultiPolygon", "coordinates": clean}


def _list(value: Any, path: str) -> list[Any]:
    if not isinstance(value, list) or not value:
        raise OutlineError(f"{SETTING}：边界文件 {path} 的坐标格式不正确")
    return value


def _ring(ring: Any, path: str) -> list[list[float]]:
    points = _list(ring, path)
    if len(points) < 4:
        raise OutlineError(f"{SETTING}：边界文件 {path} 中有少于 4 个点的环")
    out = []
    for point in points:
        if (
            not isinstance(point, list)
            or len(point) < 2
            or not all(isinstance(v, int | float) and not isinstance(v, bool) for v in point[:2])
        ):
            raise OutlineError(f"{SETTING}：边界文件 {path} 中有格式不正确的坐标点")
        lng, lat = float(point[0]), float(point[1])
        if not (LNG_RANGE[0] <= lng <= LNG_RANGE[1] and LAT_RANGE[0] <= lat <= LAT_RANGE[1]):
            raise OutlineError(
                f"{SETTING}：边界文件 {path} 中的坐标 [{lng}, {lat}] 不在中国范围内"
                "（应为 WGS-84/CGCS2000 经纬度，经度在前）"
            )
        out.append([lng, lat])
    return out


def polygons(outline: dict[str, Any]) -> list[list[Ring]]:
    """Every polygon of the outline as rings of (lng, lat) (the first ring is the exterior)."""
    out: list[list[Ring]] = []
    for feature in outline["features"]:
        geometry = feature["geometry"]
        parts = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
        out.extend([[(p[0], p[1]) for p in ring] for ring in part] for part in parts)
    return out


def _in_ring(ring: Ring, lng: float, lat: float) -> bool:
    """Ray casting (even-odd rule)."""
    inside = False
    j = len(ring) - 1
    for i in range(len(ring)):
        xi, yi = ring[i]
        xj, yj = ring[j]
        if (yi > lat) != (yj > lat) and lng < (xj - xi) * (lat - yi) / (yj - yi) + xi:
            inside = not inside
        j = i
    return inside


def contains(outline: dict[str, Any], lng: float, lat: float) -> bool:
    """Whether the point lies inside the outline (inside an exterior ring and in none of its holes)."""
    for rings in polygons(outline):
        if _in_ring(rings[0], lng, lat) and not any(_in_ring(hole, lng, lat) for hole in rings[1:]):
            return True
    return False
