"""The certificate: self-contained printable HTML, the name escaped, only after a pass."""

from __future__ import annotations

import re
import subprocess
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest

from helpers.course.certificate import FONTS, certificate_folder, certificate_html, write_certificate
from helpers.lessons.capstone import Shift, play_perfect

DAY = date(2026, 3, 6)


@pytest.fixture(scope="module")
def passed():
    return play_perfect(Shift())


@pytest.fixture(scope="module")
def failed():
    shift = Shift()
    while not shift.finished:
        shift.decide({})
    return shift.report()


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def test_it_holds_name_date_and_score_per_lesson(passed):
    html = certificate_html("林小敏", passed, DAY)
    parser = _Tags()
    parser.feed(html)
    text = "".join(parser.text)
    assert "林小敏" in text and "2026 年 3 月 6 日" in text
    assert f"{passed.score} / {passed.total}" in text
    for lesson in passed.by_lesson:
        assert lesson.title in text and f"{lesson.earned} / {lesson.total}" in text


def test_it_is_self_contained_and_printable(passed):
    html = certificate_html("林小敏", passed, DAY)
    parser = _Tags()
    parser.feed(html)
    tags = {tag for tag, _attrs in parser.tags}
    assert not tags & {"script", "link", "img", "iframe", "object"}
    assert all("src" not in attrs and "href" not in attrs for _tag, attrs in parser.tags)
    assert "http" not in html and "url(" not in html and "@import" not in html
    assert "@media print" in html and "@page" in html
    assert FONTS in html and '"WenQuanYi Micro Hei", "Noto Sans CJK SC", sans-serif' in html
    assert '<meta charset="utf-8">' in html


@pytest.mark.parametrize("name", ["<script>alert(1)</script>", 'a"b&c', "</td><b>x</b>"])
def test_the_name_is_escaped(passed, name):
    html = certificate_html(name, passed, DAY)
    parser = _Tags()
    parser.feed(html)
    assert name in "".join(parser.text)           # shown as text, exactly as typed
    assert name not in html                        # never as markup
    assert not {tag for tag, _a in parser.tags} & {"script"}


def test_no_certificate_without_a_pass_or_a_name(passed, failed):
    with pytest.raises(ValueError, match="还没通过"):
        certificate_html("林小敏", failed, DAY)
    with pytest.raises(ValueError, match="姓名"):
        certificate_html("   ", passed, DAY)


def test_it_is_written_to_a_file_the_trainee_can_open(passed, tmp_path, monkeypatch):
    monkeypatch.setenv("DOUDIAN_COURSE_PROGRESS", str(tmp_path / "progress"))
    path = write_certificate("林小敏", passed, day=DAY)
    assert path.parent == certificate_folder() == tmp_path / "progress" / "certificates"
    assert path.name == "certificate-林小敏-20260306.html"
    assert path.read_text(encoding="utf-8") == certificate_html("林小敏", passed, DAY)
    other = write_certificate("../../x", passed, tmp_path / "here", DAY)
    assert other.parent == tmp_path / "here"


def test_a_folder_that_cannot_be_written_gives_a_chinese_message(passed, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    with pytest.raises(OSError, match="证书没能保存"):
        write_certificate("林小敏", passed, blocker / "sub", DAY)


# ---- names that could spoil the page --------------------------------------------------------

RLO, PDF, LRI, PDI = "\u202e", "\u202c", "\u2066", "\u2069"


@pytest.mark.parametrize("name", [f"小林{RLO}gnitirw", f"{LRI}小林", f"小林{PDI}{PDI}{RLO}",
                                  f"小\u200f林{PDF}"])
def test_a_name_with_direction_controls_cannot_reverse_the_page(passed, name):
    page = certificate_html(name, passed, DAY)
    assert not any(c in page for c in (RLO, PDF, LRI, PDI, "\u200f"))
    assert "<bdi class=\"name\">小林" in page or "<bdi class=\"name\">小林gnitirw" in page


def test_a_right_to_left_name_is_kept_and_isolated(passed):
    page = certificate_html("سارة 林", passed, DAY)
    assert '<bdi class="name">سارة 林</bdi>' in page


def test_a_name_too_long_for_the_page_is_refused_with_a_message(passed, tmp_path):
    with pytest.raises(ValueError, match="姓名太长（41 个字），证书上最多写 40 个字"):
        write_certificate("林" * 41, passed, tmp_path, DAY)
    assert not list(tmp_path.iterdir())


@pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="needs Chromium to print")
@pytest.mark.parametrize("name", ["W" * 40, "林" * 40, "Wolfeschlegelsteinhausenbergerdorff Hubert"[:40]])
def test_the_longest_names_print_on_one_a4_page(passed, tmp_path, name):
    page = write_certificate(name, passed, tmp_path, DAY)
    pdf = tmp_path / "out.pdf"
    subprocess.run(["/usr/bin/chromium", "--headless", "--no-sandbox", "--disable-gpu",
                    "--no-pdf-header-footer", f"--print-to-pdf={pdf}", page.as_uri()],
                   check=True, capture_output=True, timeout=120)
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf.read_bytes())) == 1


def test_it_carries_the_shop_a_number_and_a_signature_line(passed):
    from helpers.course.certificate import certificate_number

    page = certificate_html("林小雨", passed, DAY)
    number = certificate_number("林小雨", passed, DAY)
    assert re.fullmatch(r"20260306-[0-9A-F]{6}", number)
    assert '<div class="shop">晨曦好物小店</div>' in page  # the rules file's [meta] shop
    assert f'<span class="number">{number}</span>' in page and "签字" in page
    assert certificate_number("林小雨", passed, DAY) == number  # written twice: the same number
    assert certificate_number("林小雨 ", passed, DAY) == number
    assert certificate_number("林小雨2", passed, DAY) != number
    assert "其他店" in certificate_html("林小雨", passed, DAY, shop="其他店")
