"""JWT matrix: forged, stale and misused tokens against each service directly and through the
gateway. Every variant must be refused (401/403); 0 accepted.

Genuine-key variants (expired, wrong aud/iss, oversize, refresh-as-access) are minted with the
kit's own codec (louyu_kit.service.make_codec on the product's settings), so the matrix follows
whatever signing scheme the kit uses.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from collections.abc import Callable

import httpx
import pytest
from jose import jwt
from jose.utils import base64url_encode

from gateway.config import Settings as GatewaySettings
from louyu_kit import tokens as kit_tokens
from louyu_kit.service import make_codec
from tests.attack.conftest import Product, figure

pytestmark = pytest.mark.attack

# One reading route per service; the gateway's own is /api/auth/me.
TARGETS = {
    "gateway": "/api/auth/me",
    "registry": "/api/registry/buildings?page_size=1",
    "tasks": "/api/tasks/tasks?page_size=1",
    "metrics": "/api/metrics/streets",
}
ACCEPTED = range(200, 300)


def _b64(data: dict) -> str:
    return base64url_encode(json.dumps(data, separators=(",", ":")).encode()).decode()


def _claims(token: str) -> dict:
    return jwt.get_unverified_claims(token)


def _header(token: str) -> dict:
    return jwt.get_unverified_header(token)


def _codec(product: Product, **settings: str) -> kit_tokens.TokenCodec:
    return make_codec(GatewaySettings(data_dir=product.data_dir, env="dev", **settings))


def _reissue(product: Product, token: str, *, ttl: int = 600, typ: str = kit_tokens.ACCESS, **settings: str) -> str:
    claims = {k: v for k, v in _claims(token).items() if k not in ("aud", "iss", "iat", "exp", "jti", "typ", "sub")}
    return _codec(product, **settings).issue(sub=_claims(token)["sub"], typ=typ, ttl_seconds=ttl, claims=claims).token


def _public_key_pem(product: Product) -> bytes | None:
    """The gateway's published verification key (JWKS), when it publishes one."""
    for path in ("/api/auth/.well-known/jwks.json", "/api/auth/jwks", "/.well-known/jwks.json", "/api/auth/jwks.json"):
        resp = product.http.get(path)
        if resp.status_code == 200 and "json" in resp.headers.get("content-type", ""):
            keys = resp.json().get("keys") or []
            if keys:
                from jose import jwk

                return jwk.construct(keys[0], algorithm=keys[0].get("alg", "ES256")).to_pem()
    return None


def _forgeries(product: Product) -> dict[str, str | Callable[[], str]]:
    pair = product.pair("bureau")
    good = pair["access_token"]
    head, body, sig = good.split(".")
    claims = _claims(good)
    real_alg = _header(good)["alg"]
    now = int(time.time())
    escalated = dict(claims, roles=["admin", "auditor", "bureau", "leader"], sub="admin")

    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    stranger_ec = (
        ec.generate_private_key(ec.SECP256R1())
        .private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
        .decode()
    )
    variants: dict[str, str | Callable[[], str]] = {
        "alg none": _b64({"alg": "none", "typ": "JWT"}) + "." + body + ".",
        "alg None, signature kept": _b64({"alg": "None", "typ": "JWT"}) + "." + body + "." + sig,
        "alg confusion HS512": jwt.encode(claims, "secret", algorithm="HS512"),
        "alg confusion: header says HS512, real signature": _b64(dict(_header(good), alg="HS512")) + f".{body}.{sig}",
        "alg confusion: header says ES256 over an HS signature": _b64({"alg": "ES256", "typ": "JWT"})
        + f".{body}.{sig}",
        "wrong key HS256": jwt.encode(claims, "not-the-key-" + "y" * 40, algorithm="HS256"),
        "wrong key ES256 (a stranger's key pair)": jwt.encode(claims, stranger_ec, algorithm="ES256"),
        "kid pointing elsewhere": jwt.encode(
            claims, "not-the-key-" + "y" * 40, algorithm="HS256", headers={"kid": "../../../../dev/null"}
        ),
        "aud = the refresh audience": _reissue(product, good, jwt_audience=kit_tokens.REFRESH_AUDIENCE),
        "aud = another system": _reissue(product, good, jwt_audience="some-other-api"),
        "iss = another issuer": _reissue(product, good, jwt_issuer="evil-issuer"),
        "expired an hour ago": _reissue(product, good, ttl=-3600),
        "refresh token as access": pair["refresh_token"],
        "internal token type as a user's access": _reissue(product, good, typ=kit_tokens.INTERNAL),
        "oversize (9 KB of claims, genuinely signed)": lambda: (
            _codec(product)
            .issue(sub=claims["sub"], typ=kit_tokens.ACCESS, ttl_seconds=600, claims=dict(claims, pad="x" * 9000))
            .token
        ),
        "tampered claims (roles, sub), signature kept": f"{head}.{_b64(escalated)}.{sig}",
        "tampered exp, signature kept": f"{head}.{_b64(dict(claims, exp=now + 10 * 365 * 86400))}.{sig}",
        "signature stripped": f"{head}.{body}.",
        "empty bearer": "",
        "garbage": "a.b.c",
    }
    pem = _public_key_pem(product)
    if pem is not None:
        # By hand: python-jose rightly refuses a PEM as an HMAC secret, an attacker does not.
        signing_input = _b64({"alg": "HS256", "typ": "JWT"}) + "." + body
        mac = hmac.new(pem, signing_input.encode(), hashlib.sha256).digest()
        variants["HS256 signed with the public key"] = signing_input + "." + base64url_encode(mac).decode()
    else:
        figure("jwt").notes.append(f"HS256-with-public-key not tried: no JWKS published (signing is {real_alg})")
    return variants


def _accepted(product: Product, token: str, expect_ok: bool = False) -> list[str]:
    """Send ``token`` to every service directly and through the gateway; the places it got in."""
    through: list[str] = []
    for service, path in TARGETS.items():
        places = {"via gateway": product.url}
        if service != "gateway":
            places["direct"] = product.service_url(service)
        for where, base in places.items():
            resp = httpx.get(base + path, headers={"Authorization": f"Bearer {token}".strip()}, timeout=10)
            assert resp.status_code < 500, f"{service} {where}: {resp.status_code} {resp.text[:200]}"
            if not expect_ok:
                figure("jwt").tried += 1
            if resp.status_code in ACCEPTED:
                through.append(f"{service} {where}")
    return through


def test_genuine_token_is_accepted_everywhere(product: Product) -> None:
    """The baseline: without it every refusal below would prove nothing."""
    token = product.pair("bureau")["access_token"]
    assert len(_accepted(product, token, expect_ok=True)) == 7


def test_forged_and_misused_tokens_are_refused(product: Product) -> None:
    got_in: dict[str, list[str]] = {}
    for name, variant in _forgeries(product).items():
        token = variant() if callable(variant) else variant
        through = _accepted(product, token)
        if through:
            got_in[name] = through
    _record(got_in)
    assert not got_in, f"accepted forged tokens: {got_in}"


def _wait_refused(product: Product, token: str, seconds: float = 5.0) -> list[str]:
    """Revocation reaches the services by polling (a bounded delay): retry until refused."""
    deadline = time.monotonic() + seconds
    while True:
        through = _accepted(product, token, expect_ok=True)
        if not through or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    figure("jwt").tried += 7
    return through


def test_revoked_token_is_refused(product: Product) -> None:
    pair = product.pair("leader")
    assert product.http.post(
        "/api/auth/logout", headers={"Authorization": f"Bearer {pair['access_token']}"}
    ).status_code in (
        200,
        204,
    )
    through = _wait_refused(product, pair["access_token"])
    _record({"revoked (signed out)": through} if through else {})
    assert not through


def test_disabled_users_token_is_refused(product: Product) -> None:
    admin = product.headers("admin")
    name = "attack_disabled"
    resp = product.http.post(
        "/api/auth/users",
        json={"username": name, "display_name": "攻击测试", "password": "Tmp-Pass-2026x", "roles": ["bureau"]},
        headers=admin,
    )
    assert resp.status_code == 201, resp.text
    first = product.sign_in(name, "Tmp-Pass-2026x").json()["access_token"]
    resp = product.http.post(
        "/api/auth/password",
        json={"current_password": "Tmp-Pass-2026x", "new_password": "Attack-Pass-2026y"},
        headers={"Authorization": f"Bearer {first}"},
    )
    assert resp.status_code in (200, 204), resp.text
    token = product.sign_in(name, "Attack-Pass-2026y").json()["access_token"]
    assert len(_accepted(product, token, expect_ok=True)) == 7
    resp = product.http.patch(f"/api/auth/users/{name}", json={"is_active": False}, headers=admin)
    assert resp.status_code == 200, resp.text
    through = _wait_refused(product, token)
    _record({"disabled account": through} if through else {})
    assert not through


def _record(got_in: dict[str, list[str]]) -> None:
    fig = figure("jwt")
    for name, places in got_in.items():
        fig.through += len(places)
        fig.notes.append(f"ACCEPTED {name}: {', '.join(places)}")
