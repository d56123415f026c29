"""Admission control and orphaned-work cancellation (issue #24), one pure ASGI middleware.

- Every request except liveness/readiness/Prometheus takes a place in a *lane* before the app
  sees it: ``read`` (GET, HEAD, OPTIONS) or ``write`` (POST, PUT, PATCH, DELETE: edits and the
  bureaus' ingest), so a storm of reads can never take the places writes need. A lane admits
  ``limit`` requests at once; more wait at most ``wait`` seconds for a place; anything beyond is
  answered at once: 503 + ``Retry-After`` with a Chinese message in the one error body. How many
  may wait follows what the lane serves: a newcomer waits only if, at the rate places were
  freed in the last moments, its turn comes within ``wait`` (never more than ``queue``, a hard
  cap). So a crowd the service can serve in time is served, not shed; the excess is shed in
  microseconds instead of waiting out ``wait`` first; nothing waits in a queue that grows
  without bound. (A shed is cheap but not free: a client that retries at once, without the
  ``Retry-After``, costs a request each time, so shedding only what cannot be served in time
  keeps the served rate from collapsing under a storm.)
- A read whose client has gone is not computed: the middleware checks the connection after the
  wait, and while the app runs it listens for ``http.disconnect`` and cancels the app (work not
  yet started in a thread never starts; a thread already running finishes and its result is
  dropped). A write that was admitted runs to its end (its outcome is committed and audited);
  a write whose client left while it waited for a place is not started.
- Liveness (``…/health``) and readiness (``…/ready``) are never admitted or queued: they run on
  the event loop (see louyu_kit.service), and readiness reports each lane's load. Nor are
  Prometheus' scrape and the services' revocation poll of the gateway.

The gateway classifies its proxied requests into one lane pair per upstream
(``registry:read`` …), so one slow service cannot take the places of the others.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

import anyio
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from louyu_kit.errors import error_response
from louyu_kit.settings import KitSettings

log = logging.getLogger("louyu.admission")

READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
EXEMPT_SUFFIXES = ("/health", "/ready")
# Prometheus, and the services' revocation poll (a few small requests a second): shedding it would
# make every service's revocation list stale and refuse every user with a 503 (fail closed).
EXEMPT_PATHS = frozenset({"/-/prometheus", "/api/auth/revocations"})
SHED_DETAIL = "系统繁忙，请稍后重试（当前访问人数较多）"
# Status recorded in logs and metrics for a request whose client left before the answer.
CLIENT_GONE = 499


# Hard caps on the requests waiting in one lane when the settings give none (0).
READ_QUEUE_CAP = 512
WRITE_QUEUE_CAP = 256
# The served rate a lane measures (places freed per second) is taken over windows of this many
# seconds, and forgotten after RATE_STALE_SECONDS without a release.
RATE_WINDOW_SECONDS = 0.5
RATE_STALE_SECONDS = 2.0


@dataclass
class Lane:
    """``limit`` requests at once; more wait at most ``wait`` seconds: with ``adaptive`` (reads)
    as many as the lane serves within ``wait`` at its measured rate (at least ``limit``, at most
    ``queue``); without (writes, which are never shed while there is room) up to ``queue``."""

    name: str
    limit: int
    queue: int
    wait: float
    cancel_on_disconnect: bool = True
    adaptive: bool = True
    in_flight: int = 0
    admitted: int = 0
    shed: int = 0
    gone: int = 0
    # Places freed per second, smoothed (0: not measured yet, or stale).
    rate: float = 0.0
    clock: Callable[[], float] = field(default=time.monotonic, repr=False)
    _freed: int = field(default=0, repr=False)
    _window_start: float = field(default=-1.0, repr=False)
    _waiters: deque[asyncio.Future[None]] = field(default_factory=deque, repr=False)

    @property
    def waiting(self) -> int:
        return sum(1 for f in self._waiters if not f.done())

    def room(self) -> int:
        """How many may wait now: those the lane serves within ``wait`` at its measured rate
        (at least ``limit`` while the rate is unknown or low), capped by ``queue``."""
        if not self.adaptive:
            return self.queue
        rate = self.rate
        if rate and self.clock() - self._window_start > RATE_STALE_SECONDS:
            rate = 0.0  # measured long ago: no guide to now
        return min(self.queue, max(self.limit, int(rate * self.wait)))

    async def acquire(self) -> bool:
        """True with a place taken (release it), False when the request must be shed."""
        if self.in_flight < self.limit and not self._waiters:
            self.in_flight += 1
            self.admitted += 1
            return True
        if self.wait <= 0 or len(self._waiters) >= self.room():
            self.shed += 1
            return False
        fut: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiters.append(fut)
        try:
            async with asyncio.timeout(self.wait):
                await fut
        except TimeoutError:
            if fut.done() and not fut.cancelled():
                self.admitted += 1  # handed a place just as the wait ran out: use it
                return True
            self.shed += 1
            return False
        except BaseException:
            # Cancelled while waiting (the server stops): give back a place handed over.
            if fut.done() and not fut.cancelled():
                self.release()
            raise
        finally:
            with contextlib.suppress(ValueError):
                self._waiters.remove(fut)
        self.admitted += 1
        return True

    def release(self) -> None:
        """Give the place to the first request still waiting, or free it."""
        self._measure()
        while self._waiters:
            fut = self._waiters.popleft()
            if not fut.done():
                fut.set_result(None)
                return
        self.in_flight -= 1

    def _measure(self) -> None:
        now = self.clock()
        if self._window_start < 0 or now - self._window_start > RATE_STALE_SECONDS:
            self._window_start, self._freed = now, 1  # first release, or after a pause: start afresh
            self.rate = 0.0
            return
        self._freed += 1
        elapsed = now - self._window_start
        if elapsed >= RATE_WINDOW_SECONDS:
            measured = self._freed / elapsed
            self.rate = measured if not self.rate else 0.5 * self.rate + 0.5 * measured
            self._window_start, self._freed = now, 0


Classifier = Callable[[Scope], str | None]
ShedHook = Callable[[Scope, "Lane"], None]


def is_exempt(scope: Scope) -> bool:
    path: str = scope.get("path", "")
    return path in EXEMPT_PATHS or path.endswith(EXEMPT_SUFFIXES)


def default_classifier(scope: Scope) -> str | None:
    """``None`` (never admitted: health, readiness, Prometheus), ``read`` or ``write``."""
    if is_exempt(scope):
        return None
    return "read" if scope.get("method", "GET") in READ_METHODS else "write"


@dataclass
class Admission:
    """The lanes of one process (kept on ``app.state.admission``)."""

    lanes: dict[str, Lane]
    classify: Classifier = default_classifier
    retry_after: int = 1
    # A shed answer is held this long before it is sent (a timer: it costs no CPU). A client that
    # retries at once, ignoring Retry-After, then asks at most 1/shed_delay times a second
    # instead of as fast as the process can refuse it, and the requests being served keep the CPU.
    shed_delay: float = 0.0
    # Told of every shed request (the gateway's audit trail tallies them); must not block.
    on_shed: ShedHook | None = None

    def lane_for(self, scope: Scope) -> Lane | None:
        name = self.classify(scope)
        return None if name is None else self.lanes.get(name)

    def saturated(self) -> bool:
        return any(lane.in_flight >= lane.limit for lane in self.lanes.values())


class AdmissionMiddleware:
    def __init__(self, app: ASGIApp, *, admission: Admission) -> None:
        self.app = app
        self.admission = admission

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        lane = self.admission.lane_for(scope)
        if lane is None:
            await self.app(scope, receive, send)
            return
        arrived = time.monotonic()
        if not await lane.acquire():
            # A shed costs as little as possible (a storm sheds thousands a second): no INFO line
            # of its own, and its access line is DEBUG too (louyu_kit.middleware). Sheds are
            # counted per lane (``/ready``), in Prometheus, and tallied in the gateway's audit trail.
            log.debug("shed %s %s (lane %s full)", scope.get("method"), scope.get("path"), lane.name)
            scope.setdefault("state", {})["shed"] = True
            if self.admission.on_shed is not None:
                try:
                    self.admission.on_shed(scope, lane)
                except Exception:
                    log.exception("on_shed hook failed")
            if self.admission.shed_delay > 0:
                await asyncio.sleep(self.admission.shed_delay)
            response = error_response(
                503,
                "Overloaded",
                SHED_DETAIL,
                headers={"Retry-After": str(self.admission.retry_after)},
            )
            await response(scope, receive, send)
            return
        try:
            first: Message | None = None
            if time.monotonic() - arrived > 0.001:
                # It waited for a place: is anyone still there to answer?
                first = await _peek(receive)
                if first is not None and first["type"] == "http.disconnect":
                    lane.gone += 1
                    scope.setdefault("state", {})["client_gone"] = True
                    return
            if lane.cancel_on_disconnect:
                await self._run_cancellable(scope, receive, send, first, lane)
            else:
                await self.app(scope, _replay(first, receive), send)
        finally:
            lane.release()

    async def _run_cancellable(
        self, scope: Scope, receive: Receive, send: Send, first: Message | None, lane: Lane
    ) -> None:
        """Run the app; cancel it when the client disconnects before the answer is complete."""
        to_app, from_pump = anyio.create_memory_object_stream[Message](math.inf)
        if first is not None:
            to_app.send_nowait(first)
        done = {"complete": False, "gone": False}  # answered in full; client left before

        async def tracking_send(message: Message) -> None:
            if message["type"] == "http.response.body" and not message.get("more_body", False):
                done["complete"] = True
            await send(message)

        async def app_receive() -> Message:
            return await from_pump.receive()

        async with anyio.create_task_group() as tg:

            async def pump() -> None:
                if first is not None and first["type"] == "http.disconnect":
                    return
                while True:
                    message = await receive()
                    to_app.send_nowait(message)
                    if message["type"] == "http.disconnect":
                        if not done["complete"]:
                            done["gone"] = True
                            lane.gone += 1
                            scope.setdefault("state", {})["client_gone"] = True
                            log.info("client gone: cancelling %s %s", scope.get("method"), scope.get("path"))
                            tg.cancel_scope.cancel()
                        return

            tg.start_soon(pump)
            await self.app(scope, app_receive, tracking_send)
            tg.cancel_scope.cancel()
        to_app.close()
        from_pump.close()


async def _peek(receive: Receive) -> Message | None:
    """The next ASGI message if one is ready now, else None (never waits)."""
    with anyio.CancelScope() as scope:
        scope.cancel()
        return await receive()
    return None


def _replay(first: Message | None, receive: Receive) -> Receive:
    if first is None:
        return receive
    pending = [first]

    async def replay() -> Message:
        if pending:
            return pending.pop()
        return await receive()

    return replay


def admission_for(
    settings: KitSettings, lanes: dict[str, Lane] | None = None, classify: Classifier | None = None
) -> Admission:
    """The kit's lanes from ``KitSettings`` (and extra lanes such as the gateway's per upstream)."""
    read, write = settings.read_limit(), settings.write_limit()
    base = {
        "read": Lane(
            "read",
            limit=read,
            queue=settings.admission_read_queue or READ_QUEUE_CAP,
            wait=settings.admission_read_wait_seconds,
        ),
        "write": Lane(
            "write",
            limit=write,
            queue=settings.admission_write_queue or WRITE_QUEUE_CAP,
            wait=settings.admission_write_wait_seconds,
            cancel_on_disconnect=False,
            adaptive=False,
        ),
    }
    base.update(lanes or {})
    return Admission(
        lanes=base,
        classify=classify or default_classifier,
        retry_after=max(1, settings.admission_retry_after_seconds),
        shed_delay=max(0.0, settings.admission_shed_delay_seconds),
    )
