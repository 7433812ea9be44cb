"""Narrowing for the type checker that still holds under `python -O` (which strips `assert`)."""

from __future__ import annotations

from typing import TypeVar

T = TypeVar("T")


def known(value: T | None, why: str) -> T:
    """`value`, which cannot be None here for the reason given. None is a bug: RuntimeError."""
    if value is None:
        raise RuntimeError(f"expected a value: {why}")
    return value
