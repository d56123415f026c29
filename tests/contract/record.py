"""Record the contract fixtures (``tests/contract/fixtures/*.json``) from a seeded test database.

Usage (from the repository root, with the services on PYTHONPATH as for the tests):
``python -m tests.contract.record``. Review the diff: a changed field is a changed contract
(bump the SPA's readers in the same commit).
"""

from __future__ import annotations

import os
import sys

import pytest


def main() -> int:
    os.environ["LOUYU_TEST_RECORD_CONTRACT"] = "1"
    return pytest.main(["tests/contract/test_contract.py::test_record", "-q", "-p", "no:randomly", "-n", "0"])


if __name__ == "__main__":
    sys.exit(main())
