"""
Imports run one way: each app may import only from the layers below it, so
every app can be read and tested from the bottom up. `sfoqa/urls.py` is the
one module that knows every app.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# Each app and the apps it may import from (its own layer excluded).
LAYERS = [
    ("sfoqa",),
    ("accounts",),
    ("reviews", "consultations", "reports"),
    ("ratings",),
    ("panels",),
    ("insights",),
]
APPS = [app for layer in LAYERS for app in layer]
# Apps in one layer stand apart from each other.
BELOW = {
    app: {lower for lower_layer in LAYERS[:depth] for lower in lower_layer}
    for depth, layer in enumerate(LAYERS)
    for app in layer
}
EXEMPT = {Path("sfoqa/urls.py")}


def imported_apps(path: Path) -> set[str]:
    """The first-party apps a module imports, wherever in the module."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
    return {name.split(".")[0] for name in names} & set(APPS)


def app_modules():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            relative = path.relative_to(ROOT)
            if relative not in EXEMPT:
                yield app, relative


def test_every_app_is_in_a_layer():
    packages = {p.parent.name for p in ROOT.glob("*/apps.py")}
    assert packages <= set(APPS)


@pytest.mark.parametrize(("app", "module"), list(app_modules()), ids=str)
def test_no_module_imports_from_a_layer_above_or_beside_it(app, module):
    wrong = imported_apps(ROOT / module) - BELOW[app] - {app}
    assert not wrong, f"{module} imports {sorted(wrong)}, above or beside {app}"


def test_the_check_catches_an_upward_import(tmp_path):
    module = tmp_path / "upward.py"
    module.write_text("def f():\n    from panels.models import Panel\n")
    assert imported_apps(module) - BELOW["ratings"] == {"panels"}
