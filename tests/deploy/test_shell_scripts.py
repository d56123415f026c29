"""The deployment's shell scripts (backups, restores, the PostgreSQL init script, the nginx
fetcher) pass shellcheck; a broken copy does not."""

from __future__ import annotations

import pytest

from tests.deploy.conftest import DEPLOY, ROOT, run, tool

SCRIPTS = sorted([*DEPLOY.rglob("*.sh"), ROOT / "scripts" / "ensure-nginx.sh"])


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: str(p.relative_to(ROOT)))
def test_shellcheck(script):
    result = run([tool("shellcheck"), "--shell=bash", "--severity=style", str(script)])
    assert result.returncode == 0, result.stdout


def test_shellcheck_fails_on_a_broken_copy(tmp_path):
    broken = tmp_path / "backup.sh"
    broken.write_text((DEPLOY / "backup.sh").read_text().replace('rm -rf -- "${dir:?}/$old"', "rm -rf $dir/$old"))
    result = run([tool("shellcheck"), "--shell=bash", str(broken)])
    assert result.returncode != 0 and "SC2086" in result.stdout


def test_scripts_are_executable():
    for script in (DEPLOY / "backup.sh", DEPLOY / "restore.sh", DEPLOY / "postgres" / "init-databases.sh"):
        assert script.stat().st_mode & 0o111, f"{script} must be executable"
