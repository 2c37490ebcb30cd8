"""Masked data renders as masked data: every masked phone number (`138****5678`) and masked name
(`张**`) in a lesson's Markdown survives rendering, instead of turning into bold or italic markers.

Every Markdown cell of every notebook is rendered with markdown-it-py (CommonMark, plus the GFM
tables the lessons use); the text of the rendered HTML must contain each masked value the cell's
source writes (escaped as `\\*` or not). Values inside code spans are left alone: there `*` is
already literal.

CommonMark parsers (markdown-it, and mistune, which Voilà's nbconvert uses) happen to keep an
unescaped `张**（` as it is; JupyterLab's own renderer (marked) does not, which is what a trainee
saw. So tests/browser/test_masked_render.py renders the same cells with Lab's renderer in the
browser, and this file also requires every masked value in prose to be escaped, which is literal
in every Markdown dialect.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

NOTEBOOKS = sorted(p for p in (Path(__file__).resolve().parent.parent / "notebooks").glob("**/*.ipynb")
                   if ".ipynb_checkpoints" not in p.parts)
PHONE = r"\d{3}\*{4}\d{4}"
# A surname and two stars, standing alone: after a space or punctuation, before punctuation.
NAME = r"(?:(?<=^)|(?<=[\s「（(：:，,、|]))[\u4e00-\u9fff]\*\*(?![\w\u4e00-\u9fff*])"
MASKED = re.compile(f"{PHONE}|{NAME}", re.M)
CODE_SPAN = re.compile(r"`[^`\n]*`")
MARKDOWN = MarkdownIt("commonmark").enable("table")


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def rendered_text(markdown: str) -> str:
    parser = _Text()
    parser.feed(MARKDOWN.render(markdown))
    return "".join(parser.parts)


def masked_values(markdown: str) -> list[str]:
    """The masked values a Markdown source writes, as a reader should see them."""
    plain = CODE_SPAN.sub(" ", markdown).replace("\\*", "*")
    return MASKED.findall(plain)


def _cells() -> list[tuple[str, int, str]]:
    cells = []
    for path in NOTEBOOKS:
        notebook = json.loads(path.read_text(encoding="utf-8"))
        for number, cell in enumerate(notebook["cells"]):
            if cell["cell_type"] == "markdown":
                source = cell["source"]
                cells.append((path.name, number, "".join(source) if isinstance(source, list) else source))
    return cells


CELLS = [cell for cell in _cells() if masked_values(cell[2])]


def test_the_lessons_do_show_masked_values(capsys):
    count = sum(len(masked_values(source)) for _n, _i, source in CELLS)
    with capsys.disabled():
        print(f"\nmasked values in Markdown: {count} in {len(CELLS)} cells of "
              f"{len({name for name, _i, _s in CELLS})} notebooks")
    assert count >= 10 and len(CELLS) >= 5


@pytest.mark.parametrize("cell", CELLS, ids=[f"{name}:{number}" for name, number, _s in CELLS])
def test_every_masked_value_survives_rendering(cell):
    name, number, source = cell
    text = rendered_text(source)
    lost = [value for value in masked_values(source) if value not in text]
    assert lost == [], f"{name} cell {number} renders without {lost} (escape each * as \\*): {text[:200]!r}"


def unescaped(markdown: str) -> list[str]:
    """Masked values written with bare stars (outside code spans)."""
    return MASKED.findall(CODE_SPAN.sub(" ", markdown).replace("\\*", "\0"))


@pytest.mark.parametrize("cell", CELLS, ids=[f"{name}:{number}" for name, number, _s in CELLS])
def test_every_masked_value_is_escaped(cell):
    name, number, source = cell
    assert unescaped(source) == [], f"{name} cell {number}: write each * of a masked value as \\*"


def test_the_checks_bite():
    source = "买家 张**（手机 138****5678）申请**退货退款**"
    assert masked_values(source) == ["张**", "138****5678"]
    assert unescaped(source) == ["张**", "138****5678"]
    assert "138****5678" not in rendered_text("手机 *138****5678*")  # CommonMark mangles this one
    escaped = source.replace("张**", "张\\*\\*").replace("138****5678", "138\\*\\*\\*\\*5678")
    assert unescaped(escaped) == []
    text = rendered_text(escaped)
    assert "张**" in text and "138****5678" in text and "**退货退款**" not in text


def test_bold_text_is_not_taken_for_a_masked_name():
    assert masked_values("这些数字是**示例值**：先**取消发货**。") == []
    assert masked_values("买家手机号是打码的（如 `138****5678`）") == []
