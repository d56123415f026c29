"""Every LOUYU_ setting a process reads is documented in the README."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _env_names() -> set[str]:
    names = set()
    for module in ("louyu_kit.settings", "gateway.config", "registry.config", "tasks.config", "metrics.config"):
        mod = importlib.import_module(module)
        for cls in vars(mod).values():
            fields = getattr(cls, "model_fields", None)
            if isinstance(cls, type) and fields and getattr(cls, "model_config", {}).get("env_prefix") == "LOUYU_":
                names |= {f"LOUYU_{name.upper()}" for name in fields}
    return names


def test_every_setting_is_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"LOUYU_[A-Z0-9_]+", readme))
    names = _env_names()
    assert len(names) > 20
    assert sorted(names - documented) == []
