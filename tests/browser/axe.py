"""The accessibility rules axe checks every page against (the Visitor in conftest, and tests that
run axe themselves)."""

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
