"""How many examples a property test gets.

The engine's invariants (tests/engine/test_properties.py, listed in DESIGN.md) take the profile's
full count: 3000 each under CI=true. A property *around* them — a form, a parser, a file name —
explores a far smaller input space and takes a tenth, so CI stays within its time limit.
"""

from __future__ import annotations

from hypothesis import settings


def around_the_engine() -> settings:
    """Settings for a property test that is not one of the engine's invariants."""
    return settings(max_examples=max(50, settings().max_examples // 10))
