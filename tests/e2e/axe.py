"""axe-core in the page under test: `assert_accessible(page)` after every navigation.

axe-core comes from npm (package.json pins it; `npm ci` installs it into node_modules/).
"""

from functools import cache
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
AXE_SCRIPT = REPO_ROOT / "node_modules" / "axe-core" / "axe.min.js"
# WCAG 2.2 AA (axe tags each rule with the version that introduced it) plus axe's best practices.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
BLOCKING_IMPACTS = {"serious", "critical"}

RUN_AXE = """async (tags) => {
  const results = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
  return results.violations;
}"""


@cache
def _axe_source() -> str:
    if not AXE_SCRIPT.is_file():
        pytest.fail(
            f"{AXE_SCRIPT.relative_to(REPO_ROOT)} is missing: run `npm ci` in {REPO_ROOT} "
            "(or `make e2e`, which does it).",
            pytrace=False,
        )
    return AXE_SCRIPT.read_text(encoding="utf-8")


def axe_violations(page) -> list[dict]:
    """All violations axe finds on the page as it is now, whatever their impact."""
    page.wait_for_load_state("load")
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        # Evaluated by the DevTools protocol: an injected <script> element would be (rightly)
        # refused by the site's Content-Security-Policy, and fail the journey.
        page.evaluate(_axe_source())
    return page.evaluate(RUN_AXE, AXE_TAGS)


def describe(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        rule, impact = violation["id"], violation["impact"]
        lines.append(f"[{impact}] {rule}: {violation['help']} ({violation['helpUrl']})")
        for node in violation["nodes"]:
            lines.append(f"    target: {' '.join(map(str, node['target']))}")
            lines.append(f"    html:   {node['html']}")
            if node.get("failureSummary"):
                summary = node["failureSummary"].replace("\n", "\n            ")
                lines.append(f"    why:    {summary}")
    return "\n".join(lines)


def assert_accessible(page) -> None:
    """Fail on any serious or critical axe violation, naming the rule and the offending nodes."""
    blocking = [v for v in axe_violations(page) if v.get("impact") in BLOCKING_IMPACTS]
    if blocking:
        pytest.fail(
            f"axe found {len(blocking)} serious/critical violation(s) on {page.url}:\n"
            + describe(blocking),
            pytrace=False,
        )
