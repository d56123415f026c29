"""GET /api/auth/ui-config and the CSP: no tiles and the CSP unchanged by default; a configured
tile server's URL served to signed-in people and its origins (only those) added to img-src;
a bad tile URL refused at start-up with a message naming the setting."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from gateway.config import Settings
from louyu_kit.middleware import CSP
from tests.conftest import add_client, add_user, bearer, login

TIANDITU = (
    "https://t{s}.tianditu.gov.cn/vec_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=vec"
    "&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk=abc123"
)
LABELS = TIANDITU.replace("vec_w", "cva_w").replace("LAYER=vec", "LAYER=cva")
DEFAULT_IMG_SRC = "img-src 'self' data: blob:;"


def _img_src(csp: str) -> str:
    return next(part.strip() for part in csp.split(";") if part.strip().startswith("img-src"))


def _sign_in(client, db_urls, username="lingdao", roles=("leader",)):
    add_user(db_urls("gateway"), username, roles=list(roles))
    return bearer(login(client, username)["access_token"])


def test_default_has_no_tiles_and_the_csp_is_unchanged(make_client, db_urls):
    client = make_client("gateway")
    headers = _sign_in(client, db_urls)
    resp = client.get("/api/auth/ui-config", headers=headers)
    assert resp.status_code == 200, resp.text
    assert resp.json()["map"] == {
        "enabled": False,
        "tile_url": None,
        "label_url": None,
        "subdomains": [],
        "attribution": "",
    }
    assert resp.json()["screen"] == {"district_name": "武昌区", "title": "楼宇经济运行监测大屏", "refresh_seconds": 300}
    csp = resp.headers["content-security-policy"]
    assert csp == CSP
    assert DEFAULT_IMG_SRC in csp
    assert client.get("/").headers["content-security-policy"] == CSP


def test_configured_tiles_are_served_and_their_origins_allowed(make_client, db_urls):
    client = make_client(
        "gateway",
        map_tile_url=TIANDITU,
        map_tile_subdomains="0,1,2,3,4,5,6,7",
        map_label_url=LABELS,
        map_attribution="© 天地图 审图号：GS(2024)0568号",
    )
    headers = _sign_in(client, db_urls)
    body = client.get("/api/auth/ui-config", headers=headers).json()["map"]
    assert body == {
        "enabled": True,
        "tile_url": TIANDITU,
        "label_url": LABELS,
        "subdomains": ["0", "1", "2", "3", "4", "5", "6", "7"],
        "attribution": "© 天地图 审图号：GS(2024)0568号",
    }
    for path in ("/", "/map", "/api/auth/health"):
        img_src = _img_src(client.get(path).headers["content-security-policy"])
        assert img_src == "img-src 'self' data: blob: " + " ".join(f"https://t{n}.tianditu.gov.cn" for n in range(8))
    # Nothing else in the policy moved.
    csp = client.get("/").headers["content-security-policy"]
    assert csp.replace(_img_src(csp), "") == CSP.replace(_img_src(CSP), "")


def test_single_host_and_loopback_http(make_client):
    client = make_client("gateway", map_tile_url="http://127.0.0.1:8123/tiles/{z}/{x}/{y}.png")
    assert _img_src(client.get("/").headers["content-security-policy"]).endswith("blob: http://127.0.0.1:8123")
    subs = Settings(map_tile_url="https://{s}.tiles.example.cn/{z}/{x}/{y}.png", map_tile_subdomains="abc")
    assert subs.map_tiles().origins == tuple(f"https://{s}.tiles.example.cn" for s in "abc")


def test_ui_config_is_for_signed_in_people(make_client, db_urls):
    client = make_client("gateway", map_tile_url="https://tiles.example.cn/{z}/{x}/{y}.png")
    assert client.get("/api/auth/ui-config").status_code == 401
    add_client(db_urls("gateway"), "tax-bureau", "s3cret-s3cret-s3cret-s3cret", scopes=["facts:write"])
    token = client.post(
        "/api/auth/token",
        data={
            "grant_type": "client_credentials",
            "client_id": "tax-bureau",
            "client_secret": "s3cret-s3cret-s3cret-s3cret",
        },
    ).json()["access_token"]
    assert client.get("/api/auth/ui-config", headers=bearer(token)).status_code == 403
    for username, roles in (("jiedao", ("street",)), ("guanli2", ("admin",))):
        resp = client.get("/api/auth/ui-config", headers=_sign_in(client, db_urls, username, roles))
        assert resp.status_code == 200
        assert resp.json()["map"]["enabled"] is True


@pytest.mark.parametrize(
    ("values", "problem"),
    [
        ({"map_tile_url": "http://tiles.example.cn/{z}/{x}/{y}.png"}, "必须使用 https"),
        ({"map_tile_url": "javascript:alert(1)//{z}{x}{y}"}, "不是 https 地址"),
        ({"map_tile_url": "data:image/png;base64,{z}{x}{y}"}, "不是 https 地址"),
        ({"map_tile_url": "//tiles.example.cn/{z}/{x}/{y}.png"}, "不是 https 地址"),
        ({"map_tile_url": "https://tiles.example.cn/tiles.png"}, "缺少 {z}、{x}、{y}"),
        ({"map_tile_url": "https://tiles.example.cn/{z}/{x}/{y}.png; script-src *"}, "空格"),
        ({"map_tile_url": "https://user:pw@tiles.example.cn/{z}/{x}/{y}.png"}, "不能带用户名或密码"),
        ({"map_tile_url": "https://t{s}.tianditu.gov.cn/{z}/{x}/{y}"}, "LOUYU_MAP_TILE_SUBDOMAINS"),
        ({"map_tile_url": TIANDITU, "map_tile_subdomains": "0,1;2"}, "LOUYU_MAP_TILE_SUBDOMAINS"),
        ({"map_tile_url": "https://tiles.example.cn/{z}/{x}/{y}/{key}"}, "不支持的占位符"),
        ({"map_label_url": LABELS, "map_tile_subdomains": "01234567"}, "没有设置 LOUYU_MAP_TILE_URL"),
        (
            {"map_tile_url": TIANDITU, "map_tile_subdomains": "01", "map_label_url": "http://evil.example/{z}/{x}/{y}"},
            "LOUYU_MAP_LABEL_URL 必须使用 https",
        ),
    ],
)
def test_bad_tile_settings_stop_the_gateway_at_start_up(values, problem):
    with pytest.raises(ValidationError) as caught:
        Settings(**values)
    message = str(caught.value)
    assert problem in message
    assert "LOUYU_MAP_" in message
    # The key in the URL is never echoed into logs.
    assert "abc123" not in message


def test_bad_tile_url_from_the_environment_is_refused(monkeypatch):
    monkeypatch.setenv("LOUYU_MAP_TILE_URL", "javascript:alert(document.cookie)")
    with pytest.raises(ValidationError, match="LOUYU_MAP_TILE_URL 不是 https 地址"):
        Settings()


def test_screen_settings_reach_the_spa(make_client, db_urls):
    """The 大屏's district name, title and refresh interval come from LOUYU_ settings (issue #18)."""
    client = make_client("gateway", district_name="测试区", screen_title="测试大屏", screen_refresh_seconds=42)
    screen = client.get("/api/auth/ui-config", headers=_sign_in(client, db_urls)).json()["screen"]
    assert screen == {"district_name": "测试区", "title": "测试大屏", "refresh_seconds": 42}
