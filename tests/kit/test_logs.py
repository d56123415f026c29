"""Where the log goes (issue #22): outside production every line to a rotating JSON file per
service and only warnings on the console (LOUYU_LOG_CONSOLE=all: everything); in production
everything on the console and no file. Routine polls are DEBUG; a poll that finds work is INFO."""

from __future__ import annotations

import io
import json
import logging
import subprocess
import sys

import pytest
from fastapi import FastAPI, Request
from fastapi.testclient import TestClient
from pydantic import ValidationError

from louyu_kit.logs import configure_logging
from louyu_kit.middleware import LouyuMiddleware, mark_routine
from louyu_kit.settings import KitSettings


@pytest.fixture
def restore_logging():
    root = logging.getLogger()
    saved = root.handlers[:], root.level
    yield
    for handler in root.handlers:
        if handler not in saved[0]:
            handler.close()
    root.handlers[:], _ = saved
    root.setLevel(saved[1])


def _console(root: logging.Logger) -> io.StringIO:
    stream = io.StringIO()
    root.handlers[0].setStream(stream)  # type: ignore[attr-defined]
    return stream


def test_outside_production_the_file_has_every_line_and_the_console_only_warnings(tmp_path, restore_logging):
    settings = KitSettings(data_dir=tmp_path)
    assert settings.log_console_mode() == "warnings"
    configure_logging(
        "INFO", False, console=settings.log_console_mode(), log_file=settings.log_file("registry"), service="registry"
    )
    console = _console(logging.getLogger())
    log = logging.getLogger("louyu.access")
    log.info(
        "request",
        extra={
            "service": "registry",
            "method": "GET",
            "path": "/api/registry/buildings",
            "status": 200,
            "duration_ms": 1.5,
            "request_id": "rid-0001",
        },
    )
    logging.getLogger("louyu.metrics.sync").debug("registry change feed: nothing new (cursor 7)")
    logging.getLogger("louyu.auth").warning("cannot fetch revocations from gateway: refused")
    for handler in logging.getLogger().handlers:
        handler.flush()
    records = [json.loads(line) for line in (tmp_path / "logs" / "registry.log").read_text().splitlines()]
    assert [(r["logger"], r["level"]) for r in records] == [("louyu.access", "info"), ("louyu.auth", "warning")]
    assert records[0]["request_id"] == "rid-0001" and records[0]["path"] == "/api/registry/buildings"
    shown = console.getvalue().splitlines()
    assert len(shown) == 1 and "WARNING [registry] louyu.auth cannot fetch revocations" in shown[0]


def test_log_console_all_puts_every_line_on_the_console_too(tmp_path, restore_logging):
    settings = KitSettings(data_dir=tmp_path, log_console=" ALL ")
    configure_logging("INFO", True, console=settings.log_console_mode(), log_file=settings.log_file("tasks"))
    console = _console(logging.getLogger())
    logging.getLogger("louyu.access").info("request", extra={"request_id": "rid-0002"})
    assert json.loads(console.getvalue())["request_id"] == "rid-0002"
    assert "rid-0002" in (tmp_path / "logs" / "tasks.log").read_text()


def test_production_logs_everything_to_the_console_and_writes_no_file(tmp_path):
    settings = KitSettings(env="production", data_dir=tmp_path, log_console="warnings")
    assert settings.log_console_mode() == "all" and settings.log_file("gateway") is None
    assert KitSettings(log_console="").log_console == "warnings"
    with pytest.raises(ValidationError):
        KitSettings(log_console="loud")


def _app() -> FastAPI:
    app = FastAPI()

    @app.get("/api/x/changes")
    def changes(request: Request, n: int = 0) -> dict[str, int]:
        if not n:
            mark_routine(request.state)
        return {"items": n}

    @app.get("/api/x/fail")
    def fail(request: Request) -> None:
        mark_routine(request.state)
        raise RuntimeError("boom")

    app.add_middleware(LouyuMiddleware, service="x")
    return app


def test_a_poll_with_nothing_new_is_debug_one_that_finds_work_and_a_failure_are_not(caplog):
    client = TestClient(_app(), raise_server_exceptions=False)
    with caplog.at_level(logging.DEBUG, logger="louyu.access"):
        client.get("/api/x/changes")
        client.get("/api/x/changes", params={"n": 3})
        client.get("/api/x/fail")
        client.get("/api/auth/.well-known/jwks.json")  # 404 here: a failure stays INFO
    levels = [(r.path, r.levelno) for r in caplog.records if r.name == "louyu.access" and r.getMessage() == "request"]
    assert levels == [
        ("/api/x/changes", logging.DEBUG),
        ("/api/x/changes", logging.INFO),
        ("/api/x/fail", logging.INFO),
        ("/api/auth/.well-known/jwks.json", logging.INFO),
    ]


def test_uvicorn_applies_the_same_set_up_in_each_worker_process(tmp_path):
    """``python -m louyu_kit.serve --workers N``: uvicorn applies this dictConfig document in each
    worker process (one started afresh has no handlers otherwise: its lines would be lost)."""
    script = (
        "import logging, logging.config, pathlib, sys\n"
        "from louyu_kit.logs import uvicorn_log_config\n"
        "log_file = pathlib.Path(sys.argv[1])\n"
        "config = uvicorn_log_config('INFO', False, console='warnings', log_file=log_file, service='gateway')\n"
        "logging.config.dictConfig(config)\n"
        "logging.getLogger('louyu.access').info('request', extra={'request_id': 'rid-0003'})\n"
        "logging.getLogger('httpx').info('HTTP Request: GET /x')\n"
        "logging.getLogger('louyu.proxy').warning('upstream registry timed out')\n"
    )
    log_file = tmp_path / "logs" / "gateway.log"
    done = subprocess.run([sys.executable, "-c", script, str(log_file)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    records = [json.loads(line) for line in log_file.read_text().splitlines()]
    assert [(r["logger"], r.get("request_id")) for r in records] == [
        ("louyu.access", "rid-0003"),
        ("louyu.proxy", None),
    ]
    assert done.stderr.count("\n") == 1 and "WARNING [gateway] louyu.proxy upstream registry timed out" in done.stderr


def test_the_log_file_rotates_at_its_size_and_formats_each_line_once(tmp_path):
    """SizeRotatingFileHandler: the standard handler formats every record twice and stats the
    file per line; ours formats once and rotates on the stream's own size."""
    from louyu_kit.logs import SizeRotatingFileHandler

    formatted: list[str] = []

    class Counting(logging.Formatter):
        def format(self, record: logging.LogRecord) -> str:
            formatted.append(record.getMessage())
            return super().format(record)

    path = tmp_path / "logs" / "svc.log"
    path.parent.mkdir()
    handler = SizeRotatingFileHandler(path, maxBytes=1000, backupCount=2, encoding="utf-8")
    handler.setFormatter(Counting("%(message)s"))
    log = logging.getLogger("louyu.test.rotation")
    log.propagate = False
    log.addHandler(handler)
    try:
        for i in range(100):
            log.warning("第%02d行 %s", i, "x" * 20)  # 33 bytes a line (the Chinese in UTF-8)
    finally:
        log.removeHandler(handler)
        handler.close()
    assert len(formatted) == 100
    files = sorted(p.name for p in path.parent.iterdir())
    assert files == ["svc.log", "svc.log.1", "svc.log.2"]
    for p in path.parent.iterdir():
        assert 0 < p.stat().st_size < 1000
    last = path.read_text(encoding="utf-8").splitlines()
    assert last[-1].startswith("第99行")
    assert path.with_name("svc.log.1").read_text(encoding="utf-8").splitlines()[-1] < last[0]
