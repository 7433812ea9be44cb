"""bench/pages_bench.py's walk of the URL map (the bench itself runs outside the suite): every GET
route is either filled with ids of a kind the bench knows or skipped with a reason it prints."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"


@pytest.fixture(scope="module")
def pages_bench():
    sys.path.insert(0, str(BENCH))
    try:
        import pages_bench

        yield pages_bench
    finally:
        sys.path.remove(str(BENCH))


def test_every_get_route_is_filled_or_skipped_with_a_reason(app, pages_bench):
    visit, skipped = pages_bench.plan(app)
    one_row = {"public_id": "00000000-0000-4000-8000-000000000000", "event": "00000000-0000-4000-8000-000000000001"}
    for rule in visit:
        urls = pages_bench.fill(rule, lambda kind: [one_row, one_row], ["category"])
        assert urls, rule.rule
        assert all("<" not in url for url in urls), (rule.rule, urls)
    assert all(reason in pages_bench.SKIP_REASONS.values() for reason in skipped.values())
    gets = {r.rule for r in app.url_map.iter_rules() if "GET" in (r.methods or ())}
    personal = {r.rule for r in app.url_map.iter_rules() if r.endpoint in pages_bench.PERSONAL_LINKS}
    assert gets == {r.rule for r in visit} | set(skipped) | personal


def test_lists_and_pages_are_visited_downloads_are_not(app, pages_bench):
    visit, skipped = pages_bench.plan(app)
    visited = {r.rule for r in visit}
    assert {"/events/<uuid:public_id>/nominations", "/young-people", "/invitation", "/sign-in"} <= visited
    assert "/events/<uuid:public_id>/invitations.<any(csv, xlsx):fmt>" in skipped
    assert "/static/<path:filename>" in skipped
