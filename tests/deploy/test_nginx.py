"""deploy/nginx/louyu.conf passes `nginx -t` (Debian's nginx, unpacked by scripts/ensure-nginx.sh),
a broken copy does not, and the TLS front-end keeps its promises (HTTPS only, /-/ refused,
X-Forwarded-For overwritten, the request id passed on)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.deploy.conftest import DEPLOY, ROOT, run

CONF = DEPLOY / "nginx" / "louyu.conf"


@pytest.fixture(scope="module")
def nginx() -> str:
    result = run(["bash", str(ROOT / "scripts" / "ensure-nginx.sh")], timeout=180)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def nginx_test(nginx: str, conf_text: str, tmp: Path) -> tuple[bool, str]:
    """`nginx -t` on the site config inside a minimal main config, with a throwaway certificate."""
    tmp.mkdir(parents=True, exist_ok=True)
    key, crt = tmp / "louyu.key", tmp / "louyu.crt"
    if not crt.exists():
        made = run(
            ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=louyu.test",
             "-keyout", str(key), "-out", str(crt)]
        )  # fmt: skip
        assert made.returncode == 0, made.stderr
    site = conf_text.replace("/etc/nginx/tls/louyu.crt", str(crt)).replace("/etc/nginx/tls/louyu.key", str(key))
    site = site.replace("/var/log/nginx/", f"{tmp}/")
    (tmp / "site.conf").write_text(site, encoding="utf-8")
    (tmp / "nginx.conf").write_text(
        f"pid {tmp}/nginx.pid;\nerror_log {tmp}/error.log;\nevents {{}}\n"
        "http {\n  access_log off;\n"
        + "".join(
            f"  {kind}_temp_path {tmp}/{kind};\n" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
        )
        + f"  include {tmp}/site.conf;\n}}\n",
        encoding="utf-8",
    )
    result = run([nginx, "-t", "-p", str(tmp), "-e", str(tmp / "error.log"), "-c", str(tmp / "nginx.conf")])
    return result.returncode == 0, result.stdout + result.stderr


def test_nginx_accepts_the_front_end_config(nginx, tmp_path):
    ok, output = nginx_test(nginx, CONF.read_text(encoding="utf-8"), tmp_path / "ok")
    assert ok, output


@pytest.mark.parametrize(
    ("old", "new", "error"),
    [
        ("proxy_pass http://louyu_gateway;", "proxy_pass http://nowhere.invalid;", "host not found"),
        ("ssl_protocols", "ssl_protocolz", "unknown directive"),
    ],
)
def test_nginx_rejects_a_broken_copy(nginx, tmp_path, old, new, error):
    text = CONF.read_text(encoding="utf-8")
    assert old in text
    ok, output = nginx_test(nginx, text.replace(old, new, 1), tmp_path / "broken")
    assert not ok and error in output, output


def test_front_end_promises():
    text = CONF.read_text(encoding="utf-8")
    assert re.search(r"listen 80;.*?return 301 https://", text, flags=re.S), "plain HTTP only redirects"
    assert "ssl_protocols TLSv1.2 TLSv1.3;" in text
    assert re.search(r"location \^~ /-/ \{\s*return 404;", text), "/-/prometheus must not be public"
    assert "proxy_set_header X-Forwarded-For $remote_addr;" in text, "overwrite X-Forwarded-For, never append"
    assert "$proxy_add_x_forwarded_for" not in text
    assert "proxy_set_header X-Request-ID $request_id;" in text
    assert "server 127.0.0.1:8000;" in text  # compose publishes the gateway on loopback by default
