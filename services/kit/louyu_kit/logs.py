"""Log set-up of every Louyu process: JSON lines (one object per line) carrying the request id.

Where the lines go (``configure_logging``):

- production (``LOUYU_ENV=production``, the containers): everything to the console (stderr),
  for the container runtime to collect; no files.
- otherwise (``make run``): everything to a rotating JSON file per service,
  ``$LOUYU_DATA_DIR/logs/<service>.log``; the console, which a person reads, gets only warnings
  and errors, unless ``LOUYU_LOG_CONSOLE=all`` asks for every line there too.

Routine polling (a feed read with nothing new, a revocation poll, a goal copy with no change,
health checks) is logged at DEBUG in every environment; a poll that finds work, and every
failure, at INFO or WARNING.
"""

from __future__ import annotations

import json
import logging
import logging.handlers
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from louyu_kit.requestid import current_request_id

_STANDARD = set(logging.LogRecord("", 0, "", 0, "", (), None).__dict__) | {"message", "asctime", "color_message"}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        data = {
            "at": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        rid = getattr(record, "request_id", None) or current_request_id()
        if rid:
            data["request_id"] = rid
        for key, value in record.__dict__.items():
            if key not in _STANDARD and key not in data:
                data[key] = value
        if record.exc_info:
            data["exception"] = self.formatException(record.exc_info)
        return json.dumps(data, ensure_ascii=False, default=str)


def escape_control(value: object) -> str:
    """``value`` as one line: control and invisible characters (a ``%0a`` decoded into a path,
    an ESC, a right-to-left override) are written as escapes, so a client cannot forge a line
    of the log or hide text in it."""
    text = str(value)
    if text.isprintable():
        return text
    out = []
    for ch in text:
        if ch.isprintable():
            out.append(ch)
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\r":
            out.append("\\r")
        elif ch == "\t":
            out.append("\\t")
        elif ord(ch) <= 0xFF:
            out.append(f"\\x{ord(ch):02x}")
        else:
            out.append(f"\\u{ord(ch):04x}")
    return "".join(out)


class PlainFormatter(logging.Formatter):
    """Readable lines for a terminal; the access log shows method, path, status and latency.
    Values a client chose (the path, the user, the message's arguments) are escaped; a
    traceback keeps its own line breaks."""

    def format(self, record: logging.LogRecord) -> str:
        saved = record.msg, record.args
        record.msg = escape_control(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(escape_control(a) if isinstance(a, str) else a for a in record.args)
        elif isinstance(record.args, dict):
            record.args = {k: escape_control(v) if isinstance(v, str) else v for k, v in record.args.items()}
        try:
            line = super().format(record)
        finally:
            record.msg, record.args = saved
        if record.name == "louyu.access":
            extra = record.__dict__
            fields = (extra.get("service"), extra.get("method"), extra.get("path"), extra.get("status"))
            line += (
                " " + " ".join(escape_control(f) for f in fields) + f" {escape_control(extra.get('duration_ms'))}ms"
                f" user={escape_control(extra.get('user') or '-')} rid={escape_control(extra.get('request_id'))}"
            )
        return line


# One file per service: 20 MB, then rotated, keeping 5 (at most ~120 MB per service).
LOG_FILE_BYTES = 20 * 1024 * 1024
LOG_FILE_BACKUPS = 5


def console_handler(json_lines: bool = True, console: str = "all", service: str | None = None) -> logging.Handler:
    """The console's handler: JSON or plain lines (naming the service); ``console="warnings"``
    lets only warnings and errors through."""
    handler = logging.StreamHandler()
    if json_lines:
        handler.setFormatter(JsonFormatter())
    else:
        who = f"[{service}] " if service else ""
        handler.setFormatter(PlainFormatter(f"%(asctime)s %(levelname)-7s {who}%(name)s %(message)s"))
    if console != "all":
        handler.setLevel(logging.WARNING)
    return handler


class SizeRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """``RotatingFileHandler`` that formats each record once and asks the file system nothing
    per line: the standard one formats the record a second time to measure it and makes two
    ``stat`` calls and a seek for every line (a quarter of the gateway's time under a storm of
    requests, issue #24). The size is the stream's own position; rollover as the standard."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            line = self.format(record) + self.terminator
            if self.stream is None:
                self.stream = self._open()
            if self.maxBytes > 0 and self.stream.tell() + len(line.encode("utf-8")) >= self.maxBytes:
                self.doRollover()
            self.stream.write(line)
            self.stream.flush()
        except RecursionError:
            raise
        except Exception:
            self.handleError(record)


def file_handler(path: str | Path) -> logging.Handler:
    """The service's rotating JSON log file."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handler = SizeRotatingFileHandler(path, maxBytes=LOG_FILE_BYTES, backupCount=LOG_FILE_BACKUPS, encoding="utf-8")
    handler.setFormatter(JsonFormatter())
    return handler


# httpx logs every request at INFO; our access log already has them.
QUIET_LIBRARIES = ("httpx", "httpcore")


def configure_logging(
    level: str = "INFO",
    json_lines: bool = True,
    *,
    console: str = "all",
    log_file: Path | None = None,
    service: str | None = None,
) -> None:
    """Send this process's log to the console and, when ``log_file`` is given, to that rotating
    JSON file. ``console="warnings"``: the console gets warnings and errors only (the file gets
    every line the level lets through); ``"all"``: the console gets them all."""
    handlers = [console_handler(json_lines, console, service)]
    if log_file is not None:
        handlers.append(file_handler(log_file))
    root = logging.getLogger()
    root.handlers[:] = handlers
    root.setLevel(level.upper())
    # uvicorn's own access log would duplicate ours.
    logging.getLogger("uvicorn.access").disabled = True
    for name in QUIET_LIBRARIES:
        logging.getLogger(name).setLevel(logging.WARNING)


def uvicorn_log_config(
    level: str = "INFO",
    json_lines: bool = True,
    *,
    console: str = "all",
    log_file: Path | None = None,
    service: str | None = None,
) -> dict[str, Any]:
    """The same set-up as ``configure_logging``, as the ``logging.config.dictConfig`` document
    uvicorn applies in its own process and again in each worker process (``--workers N``: a
    worker started afresh has no handlers otherwise, and its lines would be lost)."""
    handlers: dict[str, dict[str, Any]] = {
        "console": {
            "()": f"{__name__}.console_handler",
            "json_lines": json_lines,
            "console": console,
            "service": service,
        }
    }
    if log_file is not None:
        handlers["file"] = {"()": f"{__name__}.file_handler", "path": str(log_file)}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "handlers": handlers,
        "root": {"level": level.upper(), "handlers": list(handlers)},
        "loggers": {name: {"level": "WARNING"} for name in QUIET_LIBRARIES},
    }
