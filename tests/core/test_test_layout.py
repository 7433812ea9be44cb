"""The tests' own layout: helpers come from tests/factories.py and tests/support.py, never from a
conftest (pytest loads conftest files itself; importing one runs it twice under another name)."""

from __future__ import annotations

import re
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]
IMPORTS_CONFTEST = re.compile(r"from\s+(tests\.)?(browser\.)?conftest\s+import|import\s+(tests\.)?conftest|__import__\(\s*[\"']tests\.conftest")


def test_no_test_imports_a_conftest():
    offenders = [str(path.relative_to(TESTS)) for path in TESTS.rglob("*.py") if IMPORTS_CONFTEST.search(path.read_text())]
    assert offenders == []
