"""The trainee's name: typed once in lesson 00, used by every later store, quiz and certificate;
the trainer's environment variable wins; a name already on file here is not silently shared."""

from __future__ import annotations

import pytest

from helpers.course import progress, trainee
from helpers.course.progress import ProgressStore, current_trainee


@pytest.fixture
def folder(tmp_path, monkeypatch):
    monkeypatch.setenv("DOUDIAN_COURSE_PROGRESS", str(tmp_path))
    monkeypatch.delenv("DOUDIAN_COURSE_TRAINEE", raising=False)
    return tmp_path


def test_without_a_typed_name_the_login_name_is_used(folder):
    assert current_trainee() == progress.default_trainee()


def test_a_typed_name_is_kept_for_every_later_store(folder):
    choice = trainee.choose_name("  林小雨 ")
    assert choice.saved and choice.name == "林小雨" and "林小雨" in choice.message
    assert (folder / "trainee.txt").read_text(encoding="utf-8") == "林小雨\n"
    assert current_trainee() == "林小雨" and ProgressStore().trainee == "林小雨"
    assert trainee.choose_name("林小雨").saved  # the same name again: nothing to ask


def test_the_trainers_variable_wins(folder, monkeypatch):
    trainee.choose_name("林小雨")
    monkeypatch.setenv("DOUDIAN_COURSE_TRAINEE", "小周")
    assert current_trainee() == "小周"
    choice = trainee.choose_name("别的名字")
    assert not choice.saved and "小周" in choice.message
    assert (folder / "trainee.txt").read_text(encoding="utf-8") == "林小雨\n"


def test_a_name_with_someone_elses_record_is_not_taken_over_silently(folder):
    ProgressStore("林小雨", folder).record_quiz("00_start_here", 2, 2)  # the first 林小雨's
    trainee.choose_name("小周")
    choice = trainee.choose_name("林小雨")  # a second person types the same name
    assert not choice.saved and choice.clash and "林小雨2" in choice.message
    assert current_trainee() == "小周"
    assert trainee.choose_name("林小雨2").saved  # a name that tells them apart
    assert ProgressStore().path != ProgressStore("林小雨", folder).path
    again = trainee.choose_name("林小雨", same_person=True)  # or: 「是我，接着用这份记录」
    assert again.saved and current_trainee() == "林小雨"


@pytest.mark.parametrize("typed", ["", "   ", "\u200f", "名" * 41])
def test_an_unusable_name_is_refused_with_a_message(folder, typed):
    choice = trainee.choose_name(typed)
    assert not choice.saved and choice.message
    assert not (folder / "trainee.txt").exists()
