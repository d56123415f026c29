"""README's production section keeps naming the files and commands that exist."""

from __future__ import annotations

import re

from tests.deploy.conftest import ROOT


def test_production_section_walks_from_a_bare_server_to_a_backed_up_deployment():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Production") : readme.index("## Tests")]
    for needle in (
        "cp deploy/.env.example .env",
        "docker compose up -d",
        "deploy/nginx/louyu.conf",
        "gateway-migrate",
        "/etc/cron.d/louyu-backup",
        "deploy/backup.sh",
        "deploy/restore.sh --yes",
        "kubectl apply -k deploy/k8s",
        "CloudNativePG",
        "/-/prometheus",
    ):
        assert needle in section, needle
    for path in set(re.findall(r"`((?:deploy|scripts)/[\w./-]+\.(?:sh|py|yaml|conf|Dockerfile|example))`", readme)):
        if "<" not in path:
            assert (ROOT / path).exists(), f"README names {path}, which does not exist"
