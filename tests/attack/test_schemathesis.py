"""schemathesis over the four services' OpenAPI documents, through the gateway of the
disposable product: every operation, a bounded number of generated examples, derandomized
(the same cases every run). 0 × 5xx, and every answer inside its documented schema (status
code, content type and body). LOUYU_TEST_ATTACK_EXAMPLES sets the examples per operation."""

from __future__ import annotations

import os
from collections import Counter, defaultdict
from collections.abc import Callable
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.attack.conftest import PREFIX, Product, figure

pytestmark = pytest.mark.attack

EXAMPLES = int(os.environ.get("LOUYU_TEST_ATTACK_EXAMPLES", "6"))
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
# Operations that change who is signed in (or count failed sign-ins against 127.0.0.1): the
# JWT and audit parts try them on purpose.
SKIPPED = {
    ("POST", "/api/auth/token"),
    ("POST", "/api/auth/refresh"),
    ("POST", "/api/auth/logout"),
    ("POST", "/api/auth/password"),
}


def _who(path: str) -> str:
    if path.startswith(("/api/auth/users", "/api/auth/clients")):
        return "admin"
    if path.startswith("/api/auth/audit"):
        return "auditor"
    return "bureau"


@pytest.mark.parametrize("service", list(PREFIX))
def test_fuzzed_requests_stay_inside_the_documents(product: Product, service: str) -> None:
    schema = schemathesis.openapi.from_url(f"{product.url}{PREFIX[service]}/openapi.json")
    failures: dict[str, Counter[str]] = defaultdict(Counter)
    examples: dict[str, str] = {}
    calls = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        method, path = operation.method.upper(), operation.path
        if (method, path) in SKIPPED:
            continue
        run = _fuzzer(operation, product.url, product.headers(_who(path)), f"{method} {path}", failures, examples)
        calls += run()
    fig = figure("schemathesis")
    fig.tried += calls
    bad_ops = len(failures)
    fives = sum(n for counts in failures.values() for k, n in counts.items() if k.startswith("5xx"))
    fig.through += sum(sum(c.values()) for c in failures.values())
    fig.notes.append(f"{service}: {calls} requests, {bad_ops} operations with findings, {fives} × 5xx")
    for label, counts in sorted(failures.items()):
        fig.notes.append(f"  {label}: " + ", ".join(f"{k} ×{n}" for k, n in sorted(counts.items())))
    detail = "\n".join(f"{k}: {v}" for k, v in sorted(examples.items()))
    assert not failures, f"{service}: findings on {bad_ops} operations\n{detail}"


def _fuzzer(
    operation: Any,
    base_url: str,
    headers: dict[str, str],
    label: str,
    failures: dict[str, Counter[str]],
    examples: dict[str, str],
) -> Callable[[], int]:
    """A hypothesis test over one operation; calling it runs the bounded examples, returns the count."""
    calls = 0

    @given(case=operation.as_strategy())
    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def run(case: schemathesis.Case) -> None:
        nonlocal calls
        calls += 1
        response = case.call(base_url=base_url, headers=headers, timeout=30)
        for check in CHECKS:
            try:
                case.validate_response(response, checks=[check], headers=headers)
            except (Exception, BaseExceptionGroup) as exc:  # schemathesis raises FailureGroup (an exception group)
                kind = "5xx" if check is not_a_server_error else check.__name__
                failures[label][f"{kind} ({response.status_code})"] += 1
                examples.setdefault(f"{label} {kind}", _first_line(exc))

    def go() -> int:
        run()
        return calls

    return go


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return " ".join(text[:3])[:300] if text else type(exc).__name__
