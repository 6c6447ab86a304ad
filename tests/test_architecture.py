"""The rooms of the house (docs: /work/shared/DESIGN.md, "The rooms") import one another only
downwards, and never from inside a function to dodge a cycle. Read from the source with ast, so
that a new module is checked the day it is added. Tests are not a room."""

import ast
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent

# Which rooms each room may import (besides itself).
MAY_IMPORT: dict[str, set[str]] = {
    "cms": set(),
    "forms_library": {"cms"},
    "catalog": {"cms", "forms_library"},
    "search": {"cms", "catalog", "forms_library"},
    "frontend": {"cms", "catalog", "forms_library", "search", "portals"},
    "portals": {"cms", "catalog"},
}
ROOMS = set(MAY_IMPORT)


def root_urlconf() -> Path:
    """The root URLconf is a module of the project room like any other: it mounts the rooms'
    URL modules by dotted name and imports none of them."""
    return ROOT / (settings.ROOT_URLCONF.replace(".", "/") + ".py")


def room_modules() -> list[Path]:
    paths = []
    for room in sorted(ROOMS):
        for path in sorted((ROOT / room).rglob("*.py")):
            if "migrations" not in path.relative_to(ROOT).parts:
                paths.append(path)
    return paths


def imported_modules(node: ast.Import | ast.ImportFrom, path: Path, root: Path) -> list[str]:
    """Absolute names of what an import statement imports (relative ones resolved)."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if node.level == 0:
        return [node.module or ""]
    package = path.relative_to(root).with_suffix("").parts[: -node.level]
    return [".".join([*package, node.module] if node.module else package)]


def imports_of(path: Path, root: Path = ROOT) -> list[tuple[str, int, bool]]:
    """(module, line, inside a function) for every import of another room in the file."""
    room = path.relative_to(root).parts[0]
    found = []

    def visit(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.Import | ast.ImportFrom):
                for module in imported_modules(child, path, root):
                    target = module.split(".")[0]
                    if target in ROOMS and target != room:
                        found.append((module, child.lineno, in_function))
            nested = isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda)
            visit(child, in_function or nested)

    visit(ast.parse(path.read_text(encoding="utf-8"), str(path)), in_function=False)
    return found


def where(path: Path, line: int) -> str:
    return f"{path.relative_to(ROOT)}:{line}"


def test_the_rooms_are_all_there():
    assert {p.relative_to(ROOT).parts[0] for p in room_modules()} == ROOMS
    assert root_urlconf() in room_modules()


def test_each_room_imports_only_the_rooms_below_it():
    wrong = [
        f"{where(path, line)} {path.relative_to(ROOT).parts[0]} imports {module}"
        for path in room_modules()
        for module, line, _ in imports_of(path)
        if module.split(".")[0] not in MAY_IMPORT[path.relative_to(ROOT).parts[0]]
    ]
    assert wrong == []


def test_no_room_imports_another_from_inside_a_function():
    hidden = [
        f"{where(path, line)} imports {module} inside a function"
        for path in room_modules()
        for module, line, in_function in imports_of(path)
        if in_function
    ]
    assert hidden == []


def test_the_checks_see_what_they_are_meant_to(tmp_path):
    """The reader finds imports of other rooms, relative ones resolved, and those in functions."""
    (tmp_path / "forms_library").mkdir()
    module = tmp_path / "forms_library" / "probe.py"
    module.write_text(
        "from catalog.models import ProcedurePage\n"
        "from .models import FormDocument\n"
        "from ..search import api\n"
        "def f():\n"
        "    import search.api\n",
        encoding="utf-8",
    )
    assert imports_of(module, root=tmp_path) == [
        ("catalog.models", 1, False),
        ("search", 3, False),
        ("search.api", 5, True),
    ]
