"""Every LOUYU_ setting a process reads is documented in the README and in deploy/.env.example
(the file an operator fills in), and the checker itself notices a new undocumented one."""

from __future__ import annotations

import importlib
import re
import sys
import types
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KIT_MODULES = ("louyu_kit.settings",)


def settings_modules() -> list[str]:
    """Every module under services/ that declares a Settings class (found by reading the source,
    so a service that adds settings in a new module is covered without editing this test)."""
    found = set(KIT_MODULES)
    for service in ("gateway", "registry", "tasks", "metrics"):
        package = ROOT / "services" / service / service
        for path in package.rglob("*.py"):
            source = path.read_text(encoding="utf-8")
            if re.search(r"class \w+\((KitSettings|BaseSettings|Settings)\)", source):
                found.add(".".join(path.relative_to(package.parent).with_suffix("").parts))
    return sorted(found)


def env_names(modules: Iterable[str]) -> set[str]:
    names = set()
    for module in modules:
        mod = importlib.import_module(module)
        for cls in vars(mod).values():
            fields = getattr(cls, "model_fields", None)
            if isinstance(cls, type) and fields and getattr(cls, "model_config", {}).get("env_prefix") == "LOUYU_":
                names |= {f"LOUYU_{name.upper()}" for name in fields}
    return names


def undocumented(names: set[str], *documents: Path) -> dict[str, list[str]]:
    missing = {}
    for doc in documents:
        documented = set(re.findall(r"LOUYU_[A-Z0-9_]+", doc.read_text(encoding="utf-8")))
        if names - documented:
            missing[str(doc.relative_to(ROOT))] = sorted(names - documented)
    return missing


DOCUMENTS = (ROOT / "README.md", ROOT / "deploy" / ".env.example")


def test_every_setting_is_in_the_readme_and_the_env_example():
    names = env_names(settings_modules())
    assert len(names) > 20
    assert undocumented(names, *DOCUMENTS) == {}


def test_a_new_undocumented_setting_fails_the_check(monkeypatch):
    from louyu_kit.settings import KitSettings

    module = types.ModuleType("louyu_extra_settings_probe")

    class ProbeSettings(KitSettings):
        registry_brand_new_knob: int = 3

    module.ProbeSettings = ProbeSettings
    monkeypatch.setitem(sys.modules, module.__name__, module)
    names = env_names([*settings_modules(), module.__name__])
    assert undocumented(names, *DOCUMENTS) == {
        "README.md": ["LOUYU_REGISTRY_BRAND_NEW_KNOB"],
        "deploy/.env.example": ["LOUYU_REGISTRY_BRAND_NEW_KNOB"],
    }


def test_settings_classes_are_found_in_any_module(tmp_path):
    assert {"louyu_kit.settings", "gateway.config", "registry.config", "tasks.config", "metrics.config"} <= set(
        settings_modules()
    )
