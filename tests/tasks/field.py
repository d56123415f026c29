"""Helpers of the field-work tests (visits, leads, demands, bulletins): the tasks app wired to a
real registry app over httpx, and registry data made through registry's API."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx
from fastapi.testclient import TestClient

from louyu_kit.http import make_async_client
from tasks.clients.registry import RegistryClient
from tests.registry.conftest import new_building, new_space
from tests.tasks.conftest import SHUIGUOHU, internal_token

ONE_PIXEL_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002"
    "00010005fe02fea70000000049454e44ae426082"
)
JPEG_BYTES = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 200 + b"\xff\xd9"


@dataclass
class Stack:
    registry: TestClient
    tasks: TestClient


def wire_registry(tasks: TestClient, registry: TestClient, transport: httpx.AsyncBaseTransport | None = None) -> None:
    """Point the tasks app's registry client at the registry app (in process, over httpx)."""
    transport = transport or httpx.ASGITransport(app=registry.app)
    tasks.app.state.registry = RegistryClient(make_async_client("http://registry", timeout=5, transport=transport))


def make_stack(make_client: Callable[..., TestClient], **tasks_settings: Any) -> Stack:
    registry = make_client("registry")
    tasks = make_client("tasks", **tasks_settings)
    wire_registry(tasks, registry)
    return Stack(registry=registry, tasks=tasks)


def chief_building(
    registry: TestClient, name: str = "数创大厦", *, chief: str = "louzhang", street: str = SHUIGUOHU
) -> dict:
    return new_building(registry, name, street=street, chief_username=chief, chief_name="王楼长")


def space(registry: TestClient, code: str, *, floor: int = 10, unit: str = "1001", status: str = "leased") -> dict:
    return new_space(registry, code, floor=floor, unit=unit, area=500, status=status)


def changes(tasks: TestClient, entity: str | None = None) -> list[dict]:
    """The tasks service's change events (of one entity)."""
    resp = tasks.get("/api/tasks/changes", params={"limit": 1000}, headers=internal_token())
    assert resp.status_code == 200, resp.text
    return [e for e in resp.json()["items"] if entity is None or e["entity"] == entity]
