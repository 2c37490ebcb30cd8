"""No server the project starts runs without a token or with XSRF checks off (issue 12).

The browser tests and the benchmarks share one harness (tests/browser/lab.py); `make lab` and
`make app` start servers for people. None of them may switch authentication off.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STARTERS = [ROOT / "Makefile", *ROOT.glob("benchmarks/*.py"), *ROOT.glob("tests/browser/*.py"),
            *ROOT.glob("deploy/**/*.py"), *ROOT.glob("deploy/**/*.sh"), *ROOT.glob(".ci/*")]
UNSAFE = re.compile(r"disable_check_xsrf\s*=\s*True|token=(''|\"\"|\s|$)|ServerApp\.password=(\s|$|\")",
                    re.MULTILINE)


def test_no_server_is_started_without_a_token_or_with_xsrf_off():
    found = [f"{path.relative_to(ROOT)}: {match.group()}" for path in STARTERS if path.is_file()
             for match in UNSAFE.finditer(path.read_text(encoding="utf-8"))]
    assert not found, found


def test_the_harness_gives_every_server_its_own_token(tmp_path):
    import sys

    sys.path.insert(0, str(ROOT / "tests" / "browser"))
    from lab import LabServer

    first, second = LabServer(workdir=tmp_path / "a"), LabServer(workdir=tmp_path / "b")
    assert len(first.token) >= 32 and first.token != second.token
    assert first.notebook_url("00_start_here.ipynb").endswith(f"token={first.token}")
