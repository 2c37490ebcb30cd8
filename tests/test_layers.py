"""The package's layers point one way: a lower layer never imports a higher one.

    engine  ←  lessons  ←  course  ←  ui        (export sits on the engine; ui/data_review shows it)

Every module's imports are read with `ast` (lazy imports inside functions included), resolved
to a `helpers.<layer>` name, and checked against what its layer may use.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

HELPERS = Path(__file__).resolve().parents[1] / "helpers"
BESIDE = {"paths", "strings", "errors", "checkpoints"}  # small modules beside the layers, for all

# What each layer may import from helpers (its own layer included).
ALLOWED = {
    "engine": BESIDE | {"engine"},
    "lessons": BESIDE | {"engine", "lessons"},
    "course": BESIDE | {"engine", "lessons", "course"},
    "export": BESIDE | {"engine", "export"},
    "ui": BESIDE | {"engine", "lessons", "course", "export", "ui"},
}
# Third-party libraries a layer must not load: widgets are the ui's, pandas is export's (and the
# trainer's table, loaded lazily); the engine and the lessons stay pure Python.
FORBIDDEN_LIBRARIES = {
    "engine": {"ipywidgets", "pandas", "numpy"},
    "lessons": {"ipywidgets", "pandas", "numpy"},
    "course": {"ipywidgets"},
    "export": {"ipywidgets"},
}


def layer_of(path: Path, root: Path = HELPERS) -> str | None:
    parts = path.relative_to(root).parts
    return parts[0] if len(parts) > 1 else None


def module_name(path: Path, root: Path) -> list[str]:
    parts = ["helpers", *path.relative_to(root).with_suffix("").parts]
    return parts[:-1] if parts[-1] == "__init__" else parts


def imports_of(path: Path, root: Path) -> list[tuple[int, str]]:
    """(line, absolute module name) of every import in the file."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = module_name(path, root) if path.name == "__init__.py" else module_name(path, root)[:-1]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                name = ".".join(base + ([node.module] if node.module else []))
                # "from .. import strings" names modules, not attributes
                if not node.module:
                    found += [(node.lineno, f"{name}.{alias.name}") for alias in node.names]
                    continue
            else:
                name = node.module or ""
            found.append((node.lineno, name))
    return found


def violations(path: Path, root: Path = HELPERS) -> list[str]:
    layer = layer_of(path, root)
    if layer is None:
        return []
    where = path.relative_to(root.parent)
    problems = []
    for line, name in imports_of(path, root):
        parts = name.split(".")
        if parts[0] == "helpers" and len(parts) > 1 and parts[1] not in ALLOWED[layer]:
            problems.append(f"{where}:{line}: the {layer} layer imports {name} "
                            f"(allowed: {', '.join(sorted(ALLOWED[layer]))})")
        elif parts[0] in FORBIDDEN_LIBRARIES.get(layer, ()):
            problems.append(f"{where}:{line}: the {layer} layer imports {parts[0]}")
    return problems


MODULES = sorted(HELPERS.rglob("*.py"))


def test_every_module_belongs_to_a_known_layer():
    layers = {layer_of(path) for path in MODULES} - {None}
    assert layers == set(ALLOWED), f"unknown layers: {layers - set(ALLOWED)}"


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(HELPERS)))
def test_no_module_imports_a_layer_above_its_own(path):
    problems = violations(path)
    assert not problems, "\n".join(problems)


def test_the_check_catches_an_import_from_above(tmp_path):
    """The checker itself: a forbidden import planted in an engine module is named with its line."""
    fake = tmp_path / "helpers"
    (fake / "engine").mkdir(parents=True)
    (fake / "engine" / "machine.py").write_text(
        "from ..strings import t\nfrom ..lessons.shipped import form\nimport ipywidgets\n", encoding="utf-8")
    problems = violations(fake / "engine" / "machine.py", root=fake)
    assert problems == [
        "helpers/engine/machine.py:2: the engine layer imports helpers.lessons.shipped "
        "(allowed: checkpoints, engine, errors, paths, strings)",
        "helpers/engine/machine.py:3: the engine layer imports ipywidgets",
    ]
