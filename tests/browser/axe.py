"""axe-core in a Playwright page: inject node_modules/axe-core/axe.min.js (installed by `npm ci`
from package-lock.json), run it with the WCAG 2.1 A and AA rules, and fail on any serious or
critical violation, naming each rule, its help and the nodes it found."""

import os
from pathlib import Path

import pytest

from ..conftest import REQUIRE_SYSTEM_PACKAGES

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = frozenset({"serious", "critical"})


def require_axe() -> None:
    """Skip when axe-core is not installed, saying how to get it; fail instead in CI."""
    if AXE.exists():
        return
    reason = f"{AXE} missing: run `npm ci` at the repository root (or `make install`)"
    if os.environ.get(REQUIRE_SYSTEM_PACKAGES):
        pytest.fail(f"{reason} ({REQUIRE_SYSTEM_PACKAGES} is set)", pytrace=False)
    pytest.skip(reason)


def violations(page) -> list[dict]:
    """axe's violations of WCAG 2.1 A/AA on the page as it is now."""
    require_axe()
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    return page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})"
        ".then(result => result.violations)",
        WCAG_21_AA,
    )


def describe(found: list[dict]) -> str:
    """One paragraph per violation: its id, impact, help, and the nodes' selectors."""
    lines = []
    for violation in found:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"]:
            lines.append(f"    {' '.join(node['target'])}: {node.get('failureSummary', '')}")
    return "\n".join(lines)


def assert_no_serious_violations(page) -> None:
    """Fail on axe violations of impact serious or critical, printing each one."""
    blocking = [v for v in violations(page) if v["impact"] in BLOCKING]
    assert not blocking, f"axe on {page.url}:\n{describe(blocking)}"
