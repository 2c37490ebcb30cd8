"""The checkpoints of lessons 01–04 pass, twice in a row and in any order, one line each."""

from __future__ import annotations

import pytest

from helpers.checkpoints import find, line

KEYS = [f"01-{n}" for n in range(1, 7)] + [f"02-{n}" for n in range(1, 9)] \
    + [f"03-{n}" for n in range(1, 7)] + [f"04-{n}" for n in range(1, 7)]


@pytest.mark.parametrize("key", KEYS)
def test_each_checkpoint_exists_and_says_what_it_shows(key):
    found = find(key)
    assert found is not None and found.about and "\n" not in found.about


def test_every_checkpoint_passes_twice_and_backwards():
    for key in [*KEYS, *reversed(KEYS), *KEYS]:
        printed = line(key)
        assert printed.startswith("✓ 通过："), printed
        assert "\n" not in printed
