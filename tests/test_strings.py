"""The string catalog: every key the code asks for exists, and nothing is defined twice."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from helpers.strings import CatalogError, catalog, t

HELPERS = Path(__file__).resolve().parent.parent / "helpers"
KEY_IN_CODE = re.compile(r"""\bt\(\s*["']([a-z0-9_]+\.[a-z0-9_.]+)["']""")


def keys_used_in_code() -> set[str]:
    return {key for path in HELPERS.rglob("*.py")
            for key in KEY_IN_CODE.findall(path.read_text(encoding="utf-8"))}


def test_every_literal_key_in_the_code_is_in_the_catalog():
    missing = sorted(keys_used_in_code() - set(catalog("zh-CN")))
    assert missing == []


def test_placeholders_are_filled():
    assert t("engine.unknown_order", order="O9") == "找不到订单「O9」"


def test_unknown_key_is_an_error():
    with pytest.raises(KeyError, match="没有"):
        t("engine.no_such_key")


def test_a_duplicate_key_is_refused(tmp_path, monkeypatch):
    folder = tmp_path / "strings" / "xx"
    folder.mkdir(parents=True)
    (folder / "area.toml").write_text('a = "1"\n[b]\nc = "2"\n', encoding="utf-8")
    (folder / "area.b.toml").write_text('c = "3"\n', encoding="utf-8")
    monkeypatch.setenv("DOUDIAN_COURSE_DATA", str(tmp_path))
    catalog.cache_clear()
    try:
        with pytest.raises(CatalogError, match="重复定义"):
            catalog("xx")
    finally:
        catalog.cache_clear()
