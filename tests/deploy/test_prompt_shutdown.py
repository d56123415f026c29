"""Defect 4 of issue #15: `docker compose down` killed registry and tasks after the 15 s grace
period (exit 137). A thread still resolving the name of a peer that has stopped (Docker's
resolver answers for a gone name after 10 s) kept ``asyncio.run`` waiting for the default
executor. ``python -m louyu_kit.serve`` must exit 0 promptly on SIGTERM regardless; plain
uvicorn is the control that shows the check can fail. And migrations (defect 3) wait for a
server that is still starting, but fail at once on a real error."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import textwrap
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from tests.deploy.conftest import PG_ADMIN_URL, ROOT

APP = textwrap.dedent(
    """
    import asyncio
    import time
    from contextlib import asynccontextmanager

    from fastapi import FastAPI


    def create_app():
        @asynccontextmanager
        async def lifespan(app):
            # Like a look-up of a stopped peer's name: a worker thread that does not return soon.
            asyncio.get_running_loop().run_in_executor(None, time.sleep, 60)
            yield

        app = FastAPI(lifespan=lifespan)

        @app.get("/up")
        def up():
            return {"up": True}

        return app
    """
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start(tmp_path: Path, argv: list[str], port: int) -> subprocess.Popen[bytes]:
    (tmp_path / "hangingapp.py").write_text(APP, encoding="utf-8")
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(tmp_path), str(ROOT / "services" / "kit")]),
        "LOUYU_WORKERS": "1",
    }
    # As PID 1 of a container: the default action of SIGTERM does nothing there (the kernel does not
    # kill PID 1 for a signal it has no handler for), so a re-raised SIGTERM does not end it.
    proc = subprocess.Popen(
        [sys.executable, *argv],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        preexec_fn=lambda: signal.signal(signal.SIGTERM, signal.SIG_IGN),
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/up", timeout=1)
            return proc
        except OSError:
            time.sleep(0.2)
    proc.kill()
    pytest.fail("the app did not start")


def _stop_time(proc: subprocess.Popen[bytes], limit: float) -> tuple[float, int | None]:
    started = time.monotonic()
    proc.send_signal(signal.SIGTERM)
    try:
        code = proc.wait(timeout=limit)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        return time.monotonic() - started, None
    return time.monotonic() - started, code


def test_serve_exits_0_promptly_on_sigterm_with_a_thread_still_busy(tmp_path):
    port = _free_port()
    proc = _start(tmp_path, ["-m", "louyu_kit.serve", "hangingapp:create_app", "--port", str(port)], port)
    took, code = _stop_time(proc, 10)
    assert code == 0, f"exit status {code} after {took:.1f} s"
    assert took < 5, f"took {took:.1f} s to stop"


def test_control_plain_uvicorn_waits_for_the_busy_thread(tmp_path):
    port = _free_port()
    argv = ["-m", "uvicorn", "hangingapp:create_app", "--factory", "--port", str(port)]
    proc = _start(tmp_path, argv, port)
    took, code = _stop_time(proc, 8)
    assert code is None, f"plain uvicorn stopped in {took:.1f} s: the check above cannot fail"


# ----- migrations wait for a server still starting (defect 3) ----------------------------------


def _pg_target() -> tuple[str, int]:
    from sqlalchemy.engine import make_url

    url = make_url(PG_ADMIN_URL)
    return url.host or "127.0.0.1", url.port or 5432


def _late_proxy(port: int, delay: float, target: tuple[str, int]) -> threading.Thread:
    """A TCP port that opens only after ``delay`` seconds and then forwards to PostgreSQL."""

    def pipe(a: socket.socket, b: socket.socket) -> None:
        try:
            while data := a.recv(65536):
                b.sendall(data)
        except OSError:
            pass
        finally:
            for s in (a, b):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def serve() -> None:
        time.sleep(delay)
        listener = socket.create_server(("127.0.0.1", port))
        listener.settimeout(20)
        try:
            while True:
                client, _ = listener.accept()
                upstream = socket.create_connection(target)
                threading.Thread(target=pipe, args=(client, upstream), daemon=True).start()
                threading.Thread(target=pipe, args=(upstream, client), daemon=True).start()
        except OSError:
            listener.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    return thread


def test_migration_waits_for_a_server_that_opens_late():
    from louyu_kit.migrations import wait_for_database

    port = _free_port()
    _late_proxy(port, 2.0, _pg_target())
    started = time.monotonic()
    wait_for_database(f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres", seconds=20, interval=0.3)
    assert time.monotonic() - started >= 1.5


def test_migration_gives_up_after_its_wait_naming_the_database():
    from louyu_kit.migrations import wait_for_database

    port = _free_port()
    started = time.monotonic()
    with pytest.raises(SystemExit, match="did not answer within 2 s"):
        wait_for_database(f"postgresql+psycopg://postgres:pw@127.0.0.1:{port}/louyu_x", seconds=2, interval=0.3)
    assert 1.8 <= time.monotonic() - started < 10


def test_migration_fails_at_once_on_an_error_that_waiting_cannot_fix():
    from louyu_kit.migrations import wait_for_database

    host, port = _pg_target()
    started = time.monotonic()
    with pytest.raises(SystemExit, match="does not exist"):
        wait_for_database(f"postgresql+psycopg://postgres@{host}:{port}/louyu_no_such_database", seconds=30)
    assert time.monotonic() - started < 5
