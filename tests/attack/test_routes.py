"""Role × route matrix (issue #14): every path and method of the four OpenAPI documents, for
every role and both machine scopes, with another street's / unit's ids, against the expected
table in access_table.py: 0 unexpected allows, 0 × 5xx. One request per (route, who); bodies
are generated minimal from the documents' schemas, filled with the foreign ids."""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from tests.attack.access_table import ANY, EVERYONE, NOT_SENT, OWN, TABLE
from tests.attack.conftest import PREFIX, Product, figure

pytestmark = pytest.mark.attack

OWN_BUILDING = "420106-0003"  # 中交大厦, 积玉桥街道: demo_street's, demo_chief03's
FOREIGN_BUILDING = "420106-0001"  # 阿里中心, 徐家棚街道
FOREIGN_STREET = "420106003"
OWN_STREET = "420106001"  # 积玉桥街道
# Path parameters that the matrix fills with an object outside street/chief/department scope.
FOREIGN_PARAMS = {"code", "space_id", "credit_code", "occupancy_id", "task_id"}
METHOD_ORDER = {"GET": 0, "POST": 1, "PUT": 2, "PATCH": 2, "DELETE": 3}


@dataclass
class Probe:
    method: str
    path: str  # the template
    who: str
    level: str | None
    url: str = ""
    foreign: bool = False
    kwargs: dict[str, Any] | None = None


class World:
    """Ids from the demo data: another street's building, space, enterprise and occupancy, a task
    led by another unit, and the first object of every other collection."""

    def __init__(self, product: Product) -> None:
        self.product = product
        self.bureau = product.headers("bureau")
        self.cache: dict[str, Any] = {}

        def get(path: str) -> list[dict]:
            return _items(self.get_json(path))

        streets = {b["code"]: b["street_code"] for b in get("/api/registry/buildings?page_size=100")}
        assert FOREIGN_BUILDING in streets and streets[FOREIGN_BUILDING] != "420106001", streets
        self.space = get(f"/api/registry/buildings/{FOREIGN_BUILDING}/spaces")[0]["id"]
        self.occupancy = get(f"/api/registry/buildings/{FOREIGN_BUILDING}/occupancies")[0]["id"]
        self.enterprise = ""
        for tenant in get(f"/api/registry/buildings/{FOREIGN_BUILDING}/tenants"):
            code = tenant["credit_code"]
            places = get(f"/api/registry/enterprises/{code}/occupancies")
            if places and all(streets.get(p["building_code"]) != "420106001" for p in places):
                self.enterprise = code
                break
        assert self.enterprise, "no enterprise of another street in the demo data"
        # A task led by the bureau that none of the own-scope accounts works on (积玉桥街道 for
        # demo_street and demo_chief03, 区发改局 for demo_dept): "各街道办事处" tasks are theirs too.
        own_units = {OWN_STREET, "fgj"}
        self.task = next(
            t["id"]
            for t in get("/api/tasks/tasks?page_size=100")
            if t["lead_unit_code"] == "swj"
            and not own_units & {u["code"] for u in self.get_json(f"/api/tasks/tasks/{t['id']}")["units"]}
        )
        resp = product.http.post(
            "/api/auth/clients",
            json={"name": "攻击测试 靶子", "scopes": ["stats:read"]},
            headers=product.headers("admin"),
        )
        assert resp.status_code == 201, resp.text
        self.target_client = resp.json()["client_id"]

    def get_json(self, path: str) -> Any:
        if path not in self.cache:
            resp = self.product.http.get(path, headers=self.bureau)
            self.cache[path] = resp.json() if resp.status_code == 200 else None
        return self.cache[path]

    def param(self, path: str, name: str) -> str:
        fixed = {
            "username": "demo_auditor",
            "client_id": self.target_client,
            "kind": "buildings",
            "space_id": str(self.space),
            "credit_code": self.enterprise,
            "occupancy_id": str(self.occupancy),
            "task_id": str(self.task),
            "theme": "digital",
        }
        if name == "code":
            if path.startswith("/api/registry/themes"):
                return "digital"
            if path.startswith("/api/tasks/units"):
                return "swj"
            return FOREIGN_BUILDING
        if name in fixed:
            return str(fixed[name])
        # The first object of the collection the parameter indexes (as the bureau sees it).
        head = path.split("{" + name + "}")[0].rstrip("/")
        head = re.sub(r"\{(\w+)\}", lambda m: self.param(path, m.group(1)), head)
        items = _items(self.get_json(head))
        if items:
            first = items[0]
            for key in (name, "id", "code", name.removesuffix("_id")):
                if isinstance(first, dict) and key in first:
                    return str(first[key])
        return "1"


def _items(listing: Any) -> list[dict]:
    """A page ({items, total, …}) or a plain list, as a list."""
    if isinstance(listing, dict):
        return list(listing.get("items") or [])
    return list(listing or [])


# ----- minimal bodies from the schemas --------------------------------------------------


def _resolve(doc: dict, schema: dict) -> dict:
    while "$ref" in schema:
        ref = schema["$ref"].split("/")[-1]
        schema = doc["components"]["schemas"][ref]
    return schema


def _value(doc: dict, name: str, schema: dict, depth: int = 0) -> Any:
    schema = _resolve(doc, schema)
    for key in ("anyOf", "oneOf", "allOf"):
        if key in schema:
            options = [s for s in schema[key] if _resolve(doc, s).get("type") != "null"]
            return _value(doc, name, options[0], depth) if options else None
    if "enum" in schema:
        return schema["enum"][0]
    if "const" in schema:
        return schema["const"]
    kind = schema.get("type")
    named = {
        "building_code": FOREIGN_BUILDING,
        "credit_code": None,  # filled by the caller
        "street_code": FOREIGN_STREET,
        "username": "attack_user",
        "password": "Attack-Pass-2026x",
        "current_password": "wrong-Pass-2026",
        "new_password": "Attack-Pass-2026y",
        "period": "2025-06",
    }
    if kind == "string":
        if name in named:
            return named[name]
        fmt = schema.get("format")
        if fmt == "date":
            return "2026-01-01"
        if fmt == "date-time":
            return "2026-01-01T00:00:00+08:00"
        return "攻击测试" if not schema.get("pattern") else "x"
    if kind == "integer":
        return max(1, int(schema.get("minimum", 1)))
    if kind == "number":
        return 1
    if kind == "boolean":
        return False
    if kind == "array":
        if name == "building_codes":
            return [FOREIGN_BUILDING]
        if name == "roles":
            return ["auditor"]
        if name == "scopes":
            return ["stats:read"]
        if name == "rows":
            return [{"credit_code": None, "period": "2025-06", "kind": "tax_total", "value": 1}]
        if schema.get("minItems", 0) > 0 and depth < 3:
            return [_value(doc, name, schema.get("items", {}), depth + 1)]
        return []
    if kind == "object" or "properties" in schema:
        if depth > 3:
            return {}
        required = schema.get("required", [])
        return {k: _value(doc, k, v, depth + 1) for k, v in schema.get("properties", {}).items() if k in required}
    return None


def _fill(value: Any, enterprise: str) -> Any:
    if isinstance(value, dict):
        return {k: (enterprise if k == "credit_code" else _fill(v, enterprise)) for k, v in value.items()}
    if isinstance(value, list):
        return [_fill(v, enterprise) for v in value]
    return value


def _request_kwargs(doc: dict, op: dict, enterprise: str) -> dict[str, Any]:
    body = op.get("requestBody")
    if not body:
        return {}
    content = body.get("content", {})
    if "application/json" in content:
        return {"json": _fill(_value(doc, "", content["application/json"].get("schema", {})), enterprise)}
    if "multipart/form-data" in content:
        schema = _resolve(doc, content["multipart/form-data"].get("schema", {}))
        files = {}
        data = {}
        for name, prop in schema.get("properties", {}).items():
            prop = _resolve(doc, prop)
            if prop.get("format") == "binary" or prop.get("contentMediaType"):
                files[name] = ("攻击.csv", "名称,街道\n攻击测试,积玉桥街道\n".encode(), "text/csv")
            elif name in schema.get("required", []):
                data[name] = str(_value(doc, name, prop))
        return {"files": files, "data": data}
    if "application/x-www-form-urlencoded" in content:
        return {"data": {}}
    return {}


# ----- the matrix -----------------------------------------------------------------------


def _documents(product: Product) -> dict[str, dict]:
    docs = {}
    for service, prefix in PREFIX.items():
        resp = httpx.get(f"{product.url}{prefix}/openapi.json", timeout=30)
        assert resp.status_code == 200, f"{service} openapi: {resp.status_code}"
        docs[service] = resp.json()
    return docs


def _probes(product: Product, world: World) -> tuple[list[Probe], list[str]]:
    table = {(m, p): who for m, p, who in TABLE}
    probes: list[Probe] = []
    unplaced: list[str] = []
    for doc in _documents(product).values():
        for path, ops in doc["paths"].items():
            for method, op in ops.items():
                method = method.upper()
                if method not in METHOD_ORDER or (method, path) in NOT_SENT:
                    continue
                if (method, path) not in table:
                    unplaced.append(f"{method} {path}")
                    continue
                params = re.findall(r"\{(\w+)\}", path)
                url = path
                for name in params:
                    url = url.replace("{" + name + "}", world.param(path, name))
                kwargs = _request_kwargs(doc, op, world.enterprise)
                text = repr(kwargs)
                foreign = bool(
                    set(params) & FOREIGN_PARAMS and not path.startswith(("/api/registry/themes", "/api/tasks/units"))
                ) or (FOREIGN_BUILDING in text or FOREIGN_STREET in text or world.enterprise in text)
                for who in EVERYONE:
                    level = table[(method, path)].get(who)
                    probes.append(Probe(method, path, who, level, url, foreign, kwargs))
    # Refusals first, then own-scope tries, then the roles that may act anywhere: a write that
    # succeeds (a new version, a deletion) never masks a later probe of the same object.
    rank = {None: 0, OWN: 1, ANY: 2}
    probes.sort(key=lambda p: (METHOD_ORDER[p.method], rank[p.level], p.path))
    return probes, unplaced


def _verdict(probe: Probe, resp: httpx.Response, world: World) -> str | None:
    if resp.status_code >= 500:
        return f"{resp.status_code}"
    if not 200 <= resp.status_code < 300:
        return None
    if probe.level is None:
        return f"allowed ({resp.status_code})"
    if probe.level == OWN:
        if probe.foreign:
            return f"allowed on another street's/unit's object ({resp.status_code})"
        body = resp.text
        if FOREIGN_BUILDING in body or world.enterprise in body:
            return "shows another street's building or enterprise"
    return None


EXTRA = [
    # (who, method, path, body, why)
    (
        "street",
        "POST",
        "/api/registry/occupancies",
        "takeover",
        "#1 a street moves another street's enterprise into its own building",
    ),
    (
        "chief",
        "PATCH",
        f"/api/registry/buildings/{OWN_BUILDING}",
        {"chief_username": "demo_leader"},
        "#19 a 楼长 hands its building to any account",
    ),
    (
        "admin",
        "PATCH",
        "/api/auth/users/admin",
        {"roles": ["admin", "bureau"]},
        "#3 the admin gives itself a business role",
    ),
]


@pytest.mark.parametrize("who,method,path,body,why", EXTRA, ids=[e[4][:40] for e in EXTRA])
def test_named_escalations_are_refused(product: Product, who: str, method: str, path: str, body: Any, why: str) -> None:
    world_headers = product.headers("bureau")
    headers = dict(product.headers(who))
    if body == "takeover":
        world = World(product)
        space = _items(product.http.get(f"/api/registry/buildings/{OWN_BUILDING}/spaces", headers=world_headers).json())
        body = {
            "credit_code": world.enterprise,
            "building_code": OWN_BUILDING,
            "spaces": [{"id": space[0]["id"], "area": 1}],
            "start_date": "2026-01-01",
        }
    if path.startswith("/api/registry/buildings"):
        headers["If-Match"] = product.http.get(path, headers=world_headers).headers["etag"]
    resp = product.http.request(method, path, json=body, headers=headers)
    if 200 <= resp.status_code < 300:
        _undo(product, path, resp)
    fig = figure("routes")
    fig.tried += 1
    # A proposal the bureau must confirm (a 待确认 record) is not a takeover.
    allowed = 200 <= resp.status_code < 300 and "待确认" not in resp.text
    if 400 <= resp.status_code < 500 and resp.status_code not in (401, 403, 404):
        fig.notes.append(f"{why}: refused with {resp.status_code} (not a scope refusal: {resp.text[:100]})")
    if allowed or resp.status_code >= 500:
        fig.through += 1
        fig.notes.append(f"{why}: {resp.status_code}")
    assert resp.status_code < 500, resp.text
    assert not allowed, f"{why}: {resp.status_code} {resp.text[:200]}"


def _undo(product: Product, path: str, resp: httpx.Response) -> None:
    """Put back what a successful escalation changed, so the matrix after it measures the rules,
    not the aftermath."""
    bureau = product.headers("bureau")
    if path == "/api/auth/users/admin":
        product.forget_tokens()
        product.http.patch(path, json={"roles": ["admin"]}, headers=product.headers("admin"))
        product.forget_tokens()
    elif path.startswith("/api/registry/buildings/"):
        etag = product.http.get(path, headers=bureau).headers["etag"]
        product.http.patch(path, json={"chief_username": "demo_chief03"}, headers={**bureau, "If-Match": etag})
    elif path == "/api/registry/occupancies":
        where = f"/api/registry/occupancies/{resp.json()['id']}"
        etag = product.http.get(where, headers=bureau).headers.get("etag", '"1"')
        product.http.delete(where, headers={**bureau, "If-Match": etag})


def test_role_route_matrix(product: Product) -> None:
    product.forget_tokens()
    world = World(product)
    probes, unplaced = _probes(product, world)
    for who in EVERYONE:
        product.token(who)
    headers = {who: product.headers(who) for who in EVERYONE}
    etags: dict[str, str] = {}
    for probe in probes:
        if probe.method in ("PATCH", "PUT", "DELETE") and probe.path.startswith("/api/registry"):
            if probe.url not in etags:
                resp = httpx.get(product.url + probe.url, headers=world.bureau, timeout=30)
                etags[probe.url] = resp.headers.get("etag") or '"1"'
            probe.kwargs = {**(probe.kwargs or {}), "headers": {"If-Match": etags[probe.url]}}

    def send(probe: Probe) -> tuple[Probe, httpx.Response | None]:
        kwargs = dict(probe.kwargs or {})
        extra = kwargs.pop("headers", {})
        try:
            resp = httpx.request(
                probe.method, product.url + probe.url, headers={**headers[probe.who], **extra}, timeout=30, **kwargs
            )
        except httpx.HTTPError:
            return probe, None
        return probe, resp

    # Reads and refused writes change nothing: in parallel. Writes a role may make run one by one,
    # own-scope tries before the roles that may act anywhere.
    parallel = [p for p in probes if p.method == "GET" or p.level is None]
    serial = [p for p in probes if p.method != "GET" and p.level is not None]
    with ThreadPoolExecutor(6) as pool:
        results = list(pool.map(send, parallel))
    results += [send(p) for p in serial]

    fig = figure("routes")
    problems = []
    fives = 0
    for probe, resp in results:
        fig.tried += 1
        verdict = "no answer" if resp is None else _verdict(probe, resp, world)
        if verdict:
            if resp is None or resp.status_code >= 500:
                fives += 1
            else:
                fig.through += 1
            problems.append(f"{probe.who:<11} {probe.method} {probe.url}: {verdict}")
    fig.notes.append(
        f"{len(probes)} requests over {len({(p.method, p.path) for p in probes})} routes; "
        f"{fig.through} unexpected allows, {fives} × 5xx or no answer"
    )
    fig.notes.extend(problems)
    if unplaced:
        fig.notes.append("routes missing from access_table.py: " + ", ".join(unplaced))
    assert not unplaced, f"routes missing from the expected-access table: {unplaced}"
    assert not problems, "\n".join(problems)
