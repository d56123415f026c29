"""Start the whole product the way `make run` does (scripts/run.py), on free ports and a
temporary data directory, for the browser tests and the launcher's own test."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from tests.conftest import free_port

ROOT = Path(__file__).resolve().parent.parent
ADMIN_PASSWORD = "Wuchang-Louyu-2026"


@dataclass
class RunningProduct:
    proc: subprocess.Popen[str]
    ports: dict[str, int]
    output: list[str]
    data_dir: Path | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.ports['gateway']}"

    def service_pid(self, name: str) -> int | None:
        """The pid of the launcher's child process running ``name`` (None while there is none)."""
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
                cmdline = (entry / "cmdline").read_bytes().split(b"\0")
            except OSError:
                continue
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            if ppid == self.proc.pid and f"{name}.main:create_app".encode() in cmdline and " Z " not in stat:
                return int(entry.name)
        return None

    def stop(self, sig: int = signal.SIGINT, timeout: float = 20) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        return self.proc.wait(timeout=timeout)


def start_product(data_dir: Path, *, extra_env: dict[str, str] | None = None, timeout: float = 240) -> RunningProduct:
    ports = {name: free_port() for name in ("gateway", "registry", "tasks", "metrics")}
    env = {k: v for k, v in os.environ.items() if not k.startswith("LOUYU_")}
    env.update({f"LOUYU_{name.upper()}_PORT": str(port) for name, port in ports.items()})
    env.update(LOUYU_DATA_DIR=str(data_dir), LOUYU_ADMIN_PASSWORD=ADMIN_PASSWORD, LOUYU_LOG_JSON="false")
    env.update(extra_env or {})
    proc = subprocess.Popen(
        [sys.executable, "scripts/run.py"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    output: list[str] = []
    ready = threading.Event()

    def pump() -> None:
        # Ready once the start-up block is complete: "已启动", then the accounts box (its one-time
        # passwords are read by the tests right after).
        started = False
        assert proc.stdout is not None
        for line in proc.stdout:
            output.append(line)
            started = started or "已启动" in line
            if started and line.startswith("└"):
                ready.set()

    threading.Thread(target=pump, daemon=True).start()
    deadline = time.monotonic() + timeout
    while not ready.is_set():
        if proc.poll() is not None or time.monotonic() > deadline:
            # The launcher leads its own process group: take its services down with it.
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            raise RuntimeError("product did not start:\n" + "".join(output[-50:]))
        time.sleep(0.1)
    return RunningProduct(proc=proc, ports=ports, output=output, data_dir=data_dir)
