"""The personal workspace: start copies the lessons without overwriting; reset restores one."""

from __future__ import annotations

from datetime import datetime

import pytest

from helpers.course.workspace import NOTEBOOKS, WorkspaceError, find_lesson, lessons, reset_lesson, start
from helpers.engine.model import SHANGHAI


def clock():
    return datetime(2026, 3, 2, 10, 0, 0, tzinfo=SHANGHAI)


def test_lessons_are_the_course_notebooks_in_order_with_titles():
    found = lessons()
    assert [lesson.stem for lesson in found] == sorted(p.stem for p in NOTEBOOKS.glob("*.ipynb"))
    assert found[0].stem == "00_start_here" and found[0].title.startswith("00")
    assert all(lesson.title for lesson in found)


def test_start_copies_every_lesson_but_not_the_trainer_kit(tmp_path):
    result = start(tmp_path / "ws")
    names = sorted(p.name for p in (tmp_path / "ws").iterdir())
    assert names == sorted(p.name for p in NOTEBOOKS.glob("*.ipynb"))
    assert "class_summary.ipynb" not in names and "trainer" not in names
    assert result.kept == () and len(result.copied) == len(names)
    for name in names:
        assert (tmp_path / "ws" / name).read_bytes() == (NOTEBOOKS / name).read_bytes()
    assert "复制了" in result.message()


def test_start_again_never_overwrites_a_trainees_work(tmp_path):
    folder = tmp_path / "ws"
    start(folder)
    mine = folder / "02_unshipped_refund.ipynb"
    mine.write_text('{"my": "work"}', encoding="utf-8")
    (folder / "01_aftersales_basics.ipynb").unlink()
    result = start(folder)
    assert mine.read_text(encoding="utf-8") == '{"my": "work"}'
    assert result.copied == ("01_aftersales_basics",)
    assert "02_unshipped_refund" in result.kept
    assert "保留未动" in result.message()


def test_reset_restores_one_lesson_and_keeps_the_old_copy(tmp_path):
    folder = tmp_path / "ws"
    start(folder)
    mine = folder / "02_unshipped_refund.ipynb"
    other = folder / "03_shipped_not_received.ipynb"
    mine.write_text('{"my": "work"}', encoding="utf-8")
    other.write_text('{"other": "work"}', encoding="utf-8")
    (folder / "notes.txt").write_text("mine", encoding="utf-8")

    result = reset_lesson(folder, "02", clock=clock)
    assert mine.read_bytes() == (NOTEBOOKS / mine.name).read_bytes()
    assert result.backup == folder / "backups" / "02_unshipped_refund.20260302-100000.ipynb"
    assert result.backup.read_text(encoding="utf-8") == '{"my": "work"}'
    assert other.read_text(encoding="utf-8") == '{"other": "work"}'
    assert (folder / "notes.txt").read_text(encoding="utf-8") == "mine"
    assert "备份" in result.message()

    mine.write_text('{"my": "second try"}', encoding="utf-8")
    again = reset_lesson(folder, "02_unshipped_refund.ipynb", clock=clock)
    assert again.backup.name == "02_unshipped_refund.20260302-100000-2.ipynb"


def test_reset_of_a_lesson_missing_from_the_workspace_just_copies_it(tmp_path):
    folder = tmp_path / "ws"
    folder.mkdir()
    result = reset_lesson(folder, "01_aftersales_basics")
    assert result.backup is None and result.path.exists()
    assert "直接复制" in result.message()


def test_lessons_are_found_by_stem_file_name_or_number():
    assert find_lesson("04").stem == "04_received_return_exchange"
    assert find_lesson("04_received_return_exchange.ipynb").stem == "04_received_return_exchange"
    with pytest.raises(WorkspaceError, match="没有这一课.*00_start_here"):
        find_lesson("99")


def test_reset_needs_a_workspace(tmp_path):
    with pytest.raises(WorkspaceError, match="还不是工作区"):
        reset_lesson(tmp_path / "nowhere", "02")


def test_start_refuses_a_file_in_the_way(tmp_path):
    (tmp_path / "ws").write_text("", encoding="utf-8")
    with pytest.raises(WorkspaceError, match="不是文件夹"):
        start(tmp_path / "ws")


def test_an_unchanged_lesson_needs_no_backup(tmp_path):
    folder = tmp_path / "ws"
    start(folder)
    result = reset_lesson(folder, "02")
    assert result.backup is None and not (folder / "backups").exists()


def test_the_shell_commands(tmp_path, capsys):
    from helpers.__main__ import main

    folder = tmp_path / "ws"
    assert main(["start", str(folder)]) == 0
    assert "复制了" in capsys.readouterr().out
    (folder / "02_unshipped_refund.ipynb").write_text("{}", encoding="utf-8")
    assert main(["reset", str(folder), "02"]) == 0
    assert "已备份" in capsys.readouterr().out
    assert main(["reset", str(folder), "99"]) == 1
    assert "没有这一课" in capsys.readouterr().err
    assert main(["start"]) == 2


# ---- never outside the workspace ------------------------------------------------------------

@pytest.mark.parametrize("name", ["", "   "])
def test_an_empty_folder_name_is_refused(name, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for run in (lambda: start(name), lambda: reset_lesson(name, "02")):
        with pytest.raises(WorkspaceError, match="请写上工作区文件夹的名字"):
            run()
    assert list(tmp_path.iterdir()) == []


def test_the_course_folder_itself_is_not_a_workspace():
    from helpers.course.workspace import NOTEBOOKS

    before = {p.name: p.read_bytes() for p in NOTEBOOKS.glob("*.ipynb")}
    from helpers.paths import PROJECT_ROOT

    for run in (lambda: start(NOTEBOOKS), lambda: reset_lesson(NOTEBOOKS, "02"), lambda: start(PROJECT_ROOT)):
        with pytest.raises(WorkspaceError, match="课程自己的文件夹，不能当作个人工作区"):
            run()
    assert {p.name: p.read_bytes() for p in NOTEBOOKS.glob("*.ipynb")} == before


def test_a_link_in_the_workspace_is_never_followed(tmp_path):
    folder, outside = tmp_path / "ws", tmp_path / "outside"
    outside.mkdir()
    start(folder)
    secret = outside / "secret.ipynb"
    secret.write_text("mine", encoding="utf-8")
    lesson = folder / "02_unshipped_refund.ipynb"
    lesson.unlink()
    lesson.symlink_to(secret)
    with pytest.raises(WorkspaceError, match="是一个链接"):
        reset_lesson(folder, "02")
    with pytest.raises(WorkspaceError, match="是一个链接"):
        start(folder)
    (folder / "02_unshipped_refund.ipynb").unlink()
    (folder / "02_unshipped_refund.ipynb").write_text("{}", encoding="utf-8")
    (folder / "backups").symlink_to(outside, target_is_directory=True)
    with pytest.raises(WorkspaceError, match="是一个链接"):
        reset_lesson(folder, "02")
    assert [p.name for p in outside.iterdir()] == ["secret.ipynb"] and secret.read_text() == "mine"
    dangling = folder / "03_shipped_not_received.ipynb"
    dangling.unlink()
    dangling.symlink_to(outside / "nowhere.ipynb")
    with pytest.raises(WorkspaceError, match="是一个链接"):
        start(folder)
    assert not (outside / "nowhere.ipynb").exists()
