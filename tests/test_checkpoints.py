"""helpers.checkpoints: one Chinese line per checkpoint, never a traceback."""

from __future__ import annotations

import pytest

from helpers import checkpoint, checkpoints
from helpers.checkpoints import REGISTRY, Verdict, check, line


@pytest.fixture
def registry(monkeypatch):
    monkeypatch.setattr(checkpoints, "REGISTRY", {})
    return checkpoints.REGISTRY


def test_a_passing_check_prints_one_line_naming_what_it_shows(registry, capsys):
    check("98-1", "退货地址必须是发货上家的")(lambda: Verdict(True))
    checkpoint("98-1")
    checkpoint("98-1")  # any number of times: the same line
    assert capsys.readouterr().out == "✓ 通过：退货地址必须是发货上家的\n" * 2


def test_a_failing_check_says_why_or_what_to_do(registry):
    check("98-2", "钱货两清")(lambda: Verdict(False, "钱退了，货还在路上"))
    check("98-3", "短信不带手机号")(lambda: Verdict(False))
    assert line("98-2") == "✗ 没通过：钱货两清。钱退了，货还在路上"
    assert line("98-3") == "✗ 没通过：短信不带手机号。请先做上面的模拟，或从本节第一格重新运行"


def test_an_error_inside_a_check_is_a_plain_line_not_a_traceback(registry):
    def broken() -> Verdict:
        raise KeyError("case")
    check("98-4", "拒签后退款")(broken)
    assert line("98-4").startswith("✗ 没通过：拒签后退款。这个检查点没能运行完")


def test_an_unknown_checkpoint_is_named():
    assert line("97-9") == "✗ 没通过：97-9。没有叫「97-9」的检查点，请告诉培训老师"


def test_one_key_cannot_name_two_checks(registry):
    check("98-5", "a")(lambda: Verdict(True))
    with pytest.raises(ValueError):
        check("98-5", "b")(lambda: Verdict(True))


def test_every_registered_key_belongs_to_a_lesson_module():
    for key in list(REGISTRY):
        assert key.split("-")[0] in checkpoints.LESSON_MODULES, key
