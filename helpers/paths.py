"""Where the course's data lives, found through the package (never through `../`)."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def data_dir() -> Path:
    """The `data/` folder; DOUDIAN_COURSE_DATA points elsewhere (e.g. a shop's own rules)."""
    override = os.environ.get("DOUDIAN_COURSE_DATA")
    return Path(override) if override else PROJECT_ROOT / "data"


def data_path(*parts: str) -> Path:
    return data_dir().joinpath(*parts)
