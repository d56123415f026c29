"""Walk an OpenAPI document (and an answer along it) for figures without a definition.

A numeric property of a response schema is a *figure* unless its name is in ``NOT_FIGURES``
(counts of rows, years, positions, thresholds, feed cursors). A figure must carry
``x-metric: <code>`` (a catalogue code) or ``x-metric-field: <sibling>`` (the code is in
that sibling field of the same object, e.g. a card's ``key``).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

# Numeric fields that are not figures of the product (say why when adding one).
NOT_FIGURES = frozenset(
    {
        "year",  # a period's year
        "months",  # months in a period
        "annualisation",  # 12 ÷ months
        "factor",  # the same, in the 坪效 block
        "of",  # how many were ranked
        "total",  # rows in a list
        "limit",
        "offset",
        "page",
        "page_size",
        "threshold",  # a tier's or rule's threshold (a parameter, not a figure)
        "upper",  # a band's upper bound (a parameter)
        "min_gfa",  # a 特色 rule's parameter
        "cursor",  # feed positions
        "head",
        "lag",
        "lag_events",
        "lag_seconds",
        "rollups_pending",
        "id",
        "rank",  # position of a row in the list as sorted
        "top_n",  # rule parameters
        "window_days",
        "baseline_year",  # a goal's baseline year
        "lng",  # coordinates on the map
        "lat",
    }
)
# Schemas another helper owns whose figures are read through a sibling ``metric`` (goals):
# their numbers are the goal metric's values; the metric itself is checked against the catalogue.
METRIC_FIELD_SCHEMAS = {"GoalRead": "metric"}
NUMERIC = {"number", "integer"}


def resolve(doc: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = doc["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def variants(doc: dict[str, Any], schema: dict[str, Any]) -> list[dict[str, Any]]:
    """The non-null alternatives of a schema (anyOf / oneOf / allOf flattened, refs resolved)."""
    schema = resolve(doc, schema)
    out: list[dict[str, Any]] = []
    for key in ("anyOf", "oneOf", "allOf"):
        for sub in schema.get(key, []):
            out.extend(variants(doc, sub))
    if not any(k in schema for k in ("anyOf", "oneOf", "allOf")) and schema.get("type") != "null":
        out.append(schema)
    return out


def is_numeric(doc: dict[str, Any], schema: dict[str, Any]) -> bool:
    return any(v.get("type") in NUMERIC for v in variants(doc, schema))


def untagged_figures(
    doc: dict[str, Any], schema: dict[str, Any], codes: set[str], path: str = "$", seen: frozenset[str] = frozenset()
) -> Iterator[str]:
    """Paths of figures in ``schema`` with no (or an unknown) catalogue code."""
    ref = schema.get("$ref")
    name = ref.rsplit("/", 1)[1] if ref else None
    if name in seen:
        return
    seen = seen | {name} if name else seen
    for variant in variants(doc, schema):
        for prop, sub in variant.get("properties", {}).items():
            here = f"{path}.{prop}"
            if is_numeric(doc, sub) and prop not in NOT_FIGURES:
                metric = sub.get("x-metric")
                sibling = sub.get("x-metric-field") or METRIC_FIELD_SCHEMAS.get(variant.get("title", ""))
                if metric is not None:
                    if metric not in codes:
                        yield f"{here}: x-metric {metric!r} is not in the catalogue"
                elif sibling is None or sibling not in variant.get("properties", {}):
                    yield f"{here}: a figure without x-metric"
            yield from untagged_figures(doc, sub, codes, here, seen)
        if "items" in variant:
            yield from untagged_figures(doc, variant["items"], codes, f"{path}[]", seen)


def answer_figures(
    doc: dict[str, Any], schema: dict[str, Any], value: Any, path: str = "$"
) -> Iterator[tuple[str, str]]:
    """(path, code) of every numeric value of an answer, the code from the schema it was read with;
    code ``""`` when the schema gives none."""
    if isinstance(value, list):
        items = next((v["items"] for v in variants(doc, schema) if "items" in v), {})
        for i, item in enumerate(value):
            yield from answer_figures(doc, items, item, f"{path}[{i}]")
        return
    if not isinstance(value, dict):
        return
    props: dict[str, Any] = {}
    title = ""
    for variant in variants(doc, schema):
        props.update(variant.get("properties", {}))
        title = title or variant.get("title", "")
    for key, item in value.items():
        sub = props.get(key, {})
        here = f"{path}.{key}"
        if isinstance(item, int | float) and not isinstance(item, bool) and key not in NOT_FIGURES:
            code = sub.get("x-metric")
            sibling = sub.get("x-metric-field") or METRIC_FIELD_SCHEMAS.get(title)
            if code is None and sibling is not None:
                code = value.get(sibling)
            yield here, code or ""
        else:
            yield from answer_figures(doc, sub, item, here)


def response_schema(doc: dict[str, Any], path: str, method: str = "get") -> dict[str, Any]:
    return doc["paths"][path][method]["responses"]["200"]["content"]["application/json"]["schema"]
