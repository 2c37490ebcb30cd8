"""Masked data renders as masked data in JupyterLab itself: every Markdown cell of every notebook
that writes a masked value (`138****5678`, `张**`) is rendered with the notebook's own Markdown
renderer (Lab's rendermime registry: marked and its sanitizer, what a trainee sees), and each
masked value must be in the rendered text. tests/test_masked_markdown.py does the same with a
CommonMark parser, which (unlike Lab's) would have passed the unescaped originals.
"""

from __future__ import annotations

from tests.browser.lab import Lab
from tests.test_masked_markdown import CELLS, masked_values

_RENDER_JS = """
const rendermime = panel.content.rendermime;
const texts = [];
for (const source of window.__courseMarkdown) {
  const renderer = rendermime.createRenderer('text/markdown');
  await renderer.renderModel({data: {'text/markdown': source}, metadata: {}, trusted: false,
                              setData() {}});
  texts.push(renderer.node.textContent);
  renderer.dispose();
}
return texts;
"""


def test_masked_values_survive_labs_own_markdown_renderer(lab: Lab) -> None:
    lab.open("00_start_here.ipynb")
    sources = [source for _name, _number, source in CELLS]
    lab.page.evaluate("(sources) => { window.__courseMarkdown = sources; }", sources)
    texts = lab._js(_RENDER_JS)
    lost = {f"{name}:{number}": [v for v in masked_values(source) if v not in text]
            for (name, number, source), text in zip(CELLS, texts, strict=True)}
    lost = {cell: values for cell, values in lost.items() if values}
    count = sum(len(masked_values(source)) for source in sources)
    print(f"masked values rendered by JupyterLab: {count} in {len(CELLS)} cells, lost: {lost}")
    assert count >= 10
    assert lost == {}, "JupyterLab's Markdown renderer loses these masked values"
