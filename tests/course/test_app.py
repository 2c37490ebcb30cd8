"""App mode's launcher and template, without a browser (tests/browser/test_app.py has one)."""

from __future__ import annotations

import re

from helpers.course.app import INDEX, ROOT, SHARE, TEMPLATE, environment, page_url, voila_command


def _option(command: list[str], name: str) -> str:
    values = [arg.split("=", 1)[1] for arg in command if arg.startswith(f"--{name}=")]
    assert len(values) == 1, name
    return values[0]


def test_the_app_serves_the_course_on_loopback_with_preheated_kernels_and_its_template():
    command = voila_command(8866)
    assert str(ROOT) in command and "--no-browser" in command
    assert _option(command, "Voila.ip") == "127.0.0.1"
    assert _option(command, "VoilaConfiguration.template") == TEMPLATE
    assert _option(command, "VoilaConfiguration.preheat_kernel") == "True"
    assert "trainer/" in _option(command, "VoilaKernelManager.preheat_denylist")


def test_preheat_limits_the_pool_to_the_pages_named():
    deny = _option(voila_command(8866, preheat=[INDEX, "01_aftersales_basics.ipynb"]),
                   "VoilaKernelManager.preheat_denylist")
    assert "02_unshipped_refund.ipynb" in deny
    assert INDEX not in deny and "01_aftersales_basics.ipynb" not in deny


def test_the_index_exists_and_the_first_page_is_it():
    assert (ROOT / INDEX).is_file()
    assert page_url(8866) == "http://127.0.0.1:8866/voila/render/app/index.ipynb"


def test_the_template_extends_voilas_lab_template_and_loads_nothing_from_a_cdn():
    folder = SHARE / "voila" / "templates" / TEMPLATE
    text = (folder / "index.html.j2").read_text(encoding="utf-8")
    assert "extends 'voila/templates/lab/index.html.j2'" in text
    assert "block notebook_css" in text and "block html_head_js_mermaidjs" in text
    assert 'page_config.update(fullMathjaxUrl="null", mathjaxConfig="null")' in text
    assert not re.search(r"(src|href)=\"https?://", text)
    assert str(SHARE) in environment({"JUPYTER_PATH": "/elsewhere"})["JUPYTER_PATH"].split(":")[0]


def test_the_rendered_page_links_no_cdn(tmp_path, monkeypatch):
    """Render a lesson with the template (as Voilà's exporter does) and read its links."""
    from jinja2 import Environment, FileSystemLoader
    from voila.paths import collect_template_paths

    monkeypatch.setenv("JUPYTER_PATH", str(SHARE))
    paths = collect_template_paths(["voila", "nbconvert"], TEMPLATE, prune=True)
    assert any(p.endswith(f"templates/{TEMPLATE}") for p in paths)
    env = Environment(loader=FileSystemLoader(paths))
    source, _file, _uptodate = env.loader.get_source(env, "voila/templates/lab/index.html.j2")
    assert "cdn.jsdelivr.net" in source  # what the override is for
