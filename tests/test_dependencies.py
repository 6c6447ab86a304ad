"""Production runs on requirements.lock alone: each lock pins what pyproject.toml declares, the
two agree on shared versions, the runtime one holds no development tool, and no production
module imports a package that only requirements-dev.lock holds. Also the message of the
requires_debian marker (tests/conftest.py)."""

import ast
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

from tests.conftest import missing_debian_package
from tests.runtime_only import (
    DEV_LOCK,
    PRODUCTION_PACKAGES,
    ROOT,
    RUNTIME_LOCK,
    dev_only_distributions,
    import_names,
    locked,
    normalised,
)

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
DEV_TOOLS = {"pytest", "pytest-django", "factory-boy", "ruff", "playwright", "fpdf2", "python-docx"}
# Packages of the repository that are not deployed (bench/ is a folder of scripts).
DEVELOPMENT_PACKAGES = {"tests", "fixtures"}
PRODUCTION_SECRET = "runtime-only-import-check-0123456789abcdefghijklmnopqrstuvwxyz"


def declared(requirements: list[str]) -> set[str]:
    return {normalised(re.match(r"[A-Za-z0-9._-]+", line).group()) for line in requirements}


def top_level_imports(path: Path) -> set[str]:
    """Every absolute import of a file, at any depth (an import inside a function counts)."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name.partition(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.partition(".")[0])
    return names


def test_each_lock_pins_what_pyproject_declares():
    assert declared(PYPROJECT["project"]["dependencies"]) <= set(locked(RUNTIME_LOCK))
    assert declared(PYPROJECT["dependency-groups"]["dev"]) <= set(locked(DEV_LOCK))


def test_the_runtime_lock_holds_no_development_tool():
    runtime = locked(RUNTIME_LOCK)
    assert DEV_TOOLS & set(runtime) == set()
    assert dev_only_distributions() >= DEV_TOOLS
    assert "gunicorn" in runtime


def test_a_package_in_both_locks_has_one_version():
    runtime, dev = locked(RUNTIME_LOCK), locked(DEV_LOCK)
    shared = runtime.keys() & dev.keys()
    assert "pillow" in shared  # fpdf2 needs it too: the dev lock is resolved within the runtime one
    assert {name: (runtime[name], dev[name]) for name in shared if runtime[name] != dev[name]} == {}


def test_every_package_of_the_repository_is_production_or_development():
    packages = {path.parent.name for path in ROOT.glob("*/__init__.py")}
    assert packages == set(PRODUCTION_PACKAGES) | DEVELOPMENT_PACKAGES


def test_dev_only_packages_are_known_by_their_import_names():
    assert {"docx", "fpdf", "pytest", "factory", "playwright"} <= import_names(
        dev_only_distributions()
    )


def test_production_modules_import_with_the_runtime_lock_alone():
    """Each production module imported in a fresh process where the dev-only packages cannot be
    imported (tests/runtime_only.py), under the production settings."""
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings.production",
        "SECRET_KEY": PRODUCTION_SECRET,
    }
    result = subprocess.run(  # noqa: S603 - this interpreter, our own module
        [sys.executable, "-m", "tests.runtime_only", "--import-all"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.search(r"^\d{3,} modules imported$", result.stdout, re.MULTILINE), result.stdout


def test_no_production_module_imports_a_dev_only_package_even_inside_a_function():
    dev_modules = import_names(dev_only_distributions())
    offenders = [
        f"{path.relative_to(ROOT)}: {name}"
        for package in PRODUCTION_PACKAGES
        for path in sorted((ROOT / package).rglob("*.py"))
        for name in sorted(top_level_imports(path) & dev_modules)
    ]
    assert offenders == []


def test_a_missing_program_or_file_names_the_debian_package():
    assert missing_debian_package("coreutils", "sh", "/") is None
    assert missing_debian_package("poppler-utils", "no-such-pdftoppm", "/no/such/font.ttf") == (
        "no-such-pdftoppm, /no/such/font.ttf not installed: apt-get install poppler-utils"
    )
