"""Run one Louyu app under uvicorn with Louyu's logging (louyu_kit.logs: JSON lines; outside
production a rotating file per service under ``$LOUYU_DATA_DIR/logs/`` and only warnings on the
console unless ``LOUYU_LOG_CONSOLE=all``):

python -m louyu_kit.serve registry.main:create_app --port 8001 [--host 127.0.0.1] [--workers N]

``--workers`` defaults to ``LOUYU_WORKERS`` (1).
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import logging
import os
import signal
import sys

import uvicorn

from louyu_kit.logs import uvicorn_log_config
from louyu_kit.settings import KitSettings


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m louyu_kit.serve")
    parser.add_argument("factory", help="module:function returning the ASGI app")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--workers", type=int, default=None)
    args = parser.parse_args()
    settings = KitSettings()
    workers = args.workers if args.workers is not None else max(1, settings.workers)
    service = args.factory.split(".", 1)[0].split(":", 1)[0]
    # Applied by uvicorn here and in every worker process it starts (--workers N).
    log_config = uvicorn_log_config(
        settings.log_level,
        settings.log_json,
        console=settings.log_console_mode(),
        log_file=settings.log_file(service),
        service=service,
    )
    fast = importlib.util.find_spec("uvloop") is not None and importlib.util.find_spec("httptools") is not None
    options = dict(
        factory=True,
        host=args.host,
        port=args.port,
        workers=workers,
        log_config=log_config,
        access_log=False,
        loop="uvloop" if fast else "auto",
        http="httptools" if fast else "auto",
        proxy_headers=False,
        server_header=False,
        timeout_graceful_shutdown=5,
    )
    if workers > 1:
        uvicorn.run(args.factory, **options)
    else:
        serve_once(uvicorn.Config(args.factory, **options))


def _ignore(signum: int, frame: object) -> None:
    """After a graceful shutdown uvicorn raises the signal again: the process is done, exit 0."""


def serve_once(config: uvicorn.Config) -> None:
    """One process: serve until SIGTERM/SIGINT, shut down gracefully, then exit at once.

    Unlike ``uvicorn.run`` (``asyncio.run``), it does not wait for the default executor's threads:
    a thread still resolving the name of a peer that has stopped (``docker compose down`` stops
    the gateway first; Docker's resolver answers for a gone name only after 10 s) would keep the
    process past its stop grace period and get it killed (exit 137). The lifespan has closed
    the database pools and cancelled the background workers by then."""
    server = uvicorn.Server(config)
    signal.signal(signal.SIGTERM, _ignore)
    loop_factory = config.get_loop_factory()
    loop = loop_factory() if loop_factory is not None else asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    try:
        loop.run_until_complete(server.serve())
    except KeyboardInterrupt:
        pass
    code = 0 if server.started else 3  # uvicorn's STARTUP_FAILURE
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":
    main()
