"""JSON log lines (one object per line) carrying the request id."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime

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


def configure_logging(level: str = "INFO", json_lines: bool = True) -> None:
    handler = logging.StreamHandler()
    if json_lines:
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(PlainFormatter("%(asctime)s %(levelname)-7s %(name)s %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    # uvicorn's own access log would duplicate ours.
    logging.getLogger("uvicorn.access").disabled = True
    # httpx logs every request at INFO; our access log already has them.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)
