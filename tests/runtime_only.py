"""Run project code as if only requirements.lock were installed.

The development environment has both locks installed, so a production module that imports a
development-only package (fpdf2, pytest…) would work here and break in production. This runner
makes every package that only requirements-dev.lock holds unimportable, then either imports
every production module or runs a manage.py command:

    python -m tests.runtime_only --import-all
    python -m tests.runtime_only manage.py load_demo
"""

import importlib
import importlib.abc
import importlib.metadata
import pkgutil
import re
import runpy
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RUNTIME_LOCK = ROOT / "requirements.lock"
DEV_LOCK = ROOT / "requirements-dev.lock"
# The Django apps and the project package: what a deployment runs. tests/, bench/ and the
# fixtures/ tooling are development code.
PRODUCTION_PACKAGES = ("cms", "catalog", "forms_library", "search", "frontend", "portals")
DEVELOPMENT_SETTINGS = ("cms.settings.dev", "cms.settings.test")  # make run and pytest have both
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)", re.MULTILINE)


def normalised(name: str) -> str:
    """PEP 503: "Python_Docx" and "python-docx" are one distribution."""
    return re.sub(r"[-_.]+", "-", name).lower()


def locked(path: Path) -> dict[str, str]:
    """{distribution: version} pinned by a lock file."""
    return {normalised(name): version for name, version in PIN.findall(path.read_text())}


def dev_only_distributions() -> set[str]:
    return set(locked(DEV_LOCK)) - set(locked(RUNTIME_LOCK))


def import_names(distributions: set[str]) -> set[str]:
    """The top-level modules those installed distributions provide ("python-docx" → "docx")."""
    return {
        module
        for module, owners in importlib.metadata.packages_distributions().items()
        if any(normalised(owner) in distributions for owner in owners)
    }


class DevOnlyBlocker(importlib.abc.MetaPathFinder):
    """Refuses the modules of development-only packages, as their absence would."""

    def __init__(self, modules: set[str]):
        self.modules = modules

    def find_spec(self, fullname, path=None, target=None):
        if fullname.partition(".")[0] in self.modules:
            raise ModuleNotFoundError(
                f"No module named {fullname!r} (only requirements-dev.lock has it)", name=fullname
            )
        return None


def block_dev_only_packages() -> set[str]:
    modules = import_names(dev_only_distributions())
    for loaded in [name for name in sys.modules if name.partition(".")[0] in modules]:
        del sys.modules[loaded]
    sys.meta_path.insert(0, DevOnlyBlocker(modules))
    return modules


def production_modules() -> list[str]:
    names = list(PRODUCTION_PACKAGES)
    for package in PRODUCTION_PACKAGES:
        path = [str(ROOT / package)]
        names += [info.name for info in pkgutil.walk_packages(path, prefix=f"{package}.")]
    return sorted(set(names) - set(DEVELOPMENT_SETTINGS))


def import_all() -> list[str]:
    """Import every production module; the failures, one line each."""
    import django

    django.setup()
    failures = []
    for name in production_modules():
        try:
            importlib.import_module(name)
        except Exception as error:  # any failure is worth reporting, not only ImportError
            failures.append(f"{name}: {type(error).__name__}: {error}")
    return failures


def main(argv: list[str]) -> int:
    sys.path.insert(0, str(ROOT))
    block_dev_only_packages()
    if argv == ["--import-all"]:
        failures = import_all()
        print("\n".join(failures) or f"{len(production_modules())} modules imported")
        return 1 if failures else 0
    sys.argv = argv
    runpy.run_path(argv[0], run_name="__main__")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
