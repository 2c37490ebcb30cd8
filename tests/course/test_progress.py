"""The progress store: where the file lives, what it keeps, concurrent writers, a corrupt file."""

from __future__ import annotations

import json
import multiprocessing
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from helpers.course import progress
from helpers.course.progress import (
    DEVICE_NAMES,
    MAX_STEM_BYTES,
    ProgressError,
    ProgressStore,
    default_folder,
    file_stem,
    normalise_name,
    parse_file,
)
from helpers.engine.model import SHANGHAI
from tests.budget import around_the_engine


@pytest.fixture(autouse=True)
def progress_folder(tmp_path, monkeypatch):
    """Every test writes into a tmp folder through the variable, never the real user folder."""
    folder = tmp_path / "progress"
    monkeypatch.setenv("DOUDIAN_COURSE_PROGRESS", str(folder))
    monkeypatch.setenv("DOUDIAN_COURSE_TRAINEE", "林小敏")
    return folder


def fixed_clock():
    return datetime(2026, 3, 2, 10, 30, 15, tzinfo=SHANGHAI)


# ---- where ------------------------------------------------------------------------------

def test_the_variable_points_to_another_folder(progress_folder):
    assert default_folder() == progress_folder
    assert progress.store().path == progress_folder / "林小敏.json"


@pytest.mark.parametrize(("platform", "env", "expected"), [
    ("linux", {}, "/home/u/.local/share/doudian-course"),
    ("linux", {"XDG_DATA_HOME": "/data/xdg"}, "/data/xdg/doudian-course"),
    ("darwin", {}, "/home/u/Library/Application Support/doudian-course"),
    ("win32", {"APPDATA": "/c/Users/u/AppData/Roaming"}, "/c/Users/u/AppData/Roaming/doudian-course"),
    ("win32", {}, "/home/u/AppData/Roaming/doudian-course"),
    ("linux", {"DOUDIAN_COURSE_PROGRESS": "/srv/class"}, "/srv/class"),
])
def test_the_user_data_folder_of_each_system(platform, env, expected):
    assert default_folder(platform, env, Path("/home/u")) == Path(expected)


def test_a_trainee_name_becomes_a_safe_file_name():
    assert file_stem("林小敏") == "林小敏"
    assert file_stem("../../etc/passwd") == "%2E%2E%2F%2E%2E%2Fetc%2Fpasswd"
    with pytest.raises(ProgressError, match="学员名字是空的"):
        file_stem("  ")


def test_one_trainee_written_in_different_ways_is_one_file():
    composed, decomposed = "Zoë 林", "Zoe\u0308 林"
    assert file_stem(composed) == file_stem(decomposed) == file_stem(" ZOË\t  林 ") == "zoë%20林"


@around_the_engine()
@given(st.text(min_size=1, max_size=80), st.text(min_size=1, max_size=80))
def test_different_names_never_share_a_file(a, b):
    if normalise_name(a) and normalise_name(b) and normalise_name(a) != normalise_name(b):
        assert file_stem(a) != file_stem(b)


@around_the_engine()
@given(st.text(min_size=1, max_size=300).filter(lambda n: normalise_name(n)))
def test_every_stem_is_safe_on_every_system(name):
    stem = file_stem(name)
    assert len(stem.encode("utf-8")) <= MAX_STEM_BYTES
    assert all(c.isalnum() or c in "_-%~" for c in stem)
    assert stem.split(".")[0].casefold() not in DEVICE_NAMES


@pytest.mark.parametrize("name", ["CON", "nul", "Com1", "lpt9", "aux", "COM²"])
def test_windows_device_names_are_never_file_names(name):
    assert file_stem(name).startswith("%") and file_stem(name) != file_stem(name + "x")


def test_a_very_long_name_is_cut_with_a_hash_and_stays_apart():
    long = "林" * 200
    assert file_stem(long) != file_stem(long + "敏")
    assert len(file_stem(long).encode("utf-8")) <= MAX_STEM_BYTES and "~" in file_stem(long)


def test_a_file_named_by_the_old_rule_is_taken_over(progress_folder):
    progress_folder.mkdir(parents=True)
    old = progress_folder / "zhang_san.json"
    old.write_text(json.dumps({"schema": 1, "trainee": "zhang san", "lessons_done": {"02": "x"},
                               "quizzes": {}, "capstone": None}), encoding="utf-8")
    record = ProgressStore("zhang  san", progress_folder).mark_done("03")
    assert set(record.lessons_done) == {"02", "03"}
    assert not old.exists() and (progress_folder / "zhang%20san.json").exists()


# ---- what it keeps ------------------------------------------------------------------------

def test_a_new_trainee_has_an_empty_record_and_no_file_is_written_by_reading(progress_folder):
    record = progress.load()
    assert record.trainee == "林小敏"
    assert dict(record.lessons_done) == {} and dict(record.quizzes) == {} and record.capstone is None
    assert not progress_folder.exists() or not list(progress_folder.glob("*.json"))


def test_lessons_done_quiz_best_and_last_and_capstone(progress_folder):
    progress.mark_done("02_unshipped_refund")
    progress.record_quiz("02_unshipped_refund", 4, 5)
    progress.record_quiz("02_unshipped_refund", 2, 5)
    record = progress.record_capstone("shift_01", 90, 100, True,
                                      {"02_unshipped_refund": (20, 20)})
    quiz = record.quizzes["02_unshipped_refund"]
    assert (quiz.best, quiz.last, quiz.total, quiz.attempts) == (4, 2, 5, 2)
    assert "02_unshipped_refund" in record.lessons_done
    assert record.capstone.percent == 90 and record.capstone.passed
    assert record.capstone.by_lesson["02_unshipped_refund"] == (20, 20)
    raw = json.loads((progress_folder / "林小敏.json").read_text(encoding="utf-8"))
    assert raw["schema"] == 1 and raw["quizzes"]["02_unshipped_refund"]["best"] == 4


def test_a_later_failed_capstone_keeps_the_pass_and_the_best_percent():
    progress.record_capstone("shift_01", 90, 100, True, {})
    record = progress.record_capstone("shift_01", 50, 100, False, {})
    assert record.capstone.percent == 50
    assert record.capstone.passed and record.capstone.best_percent == 90


def test_reset_one_lesson_quiz_touches_nothing_else():
    progress.mark_done("03_shipped_not_received")
    progress.record_quiz("03_shipped_not_received", 3, 4)
    progress.record_quiz("04_received_return_exchange", 4, 4)
    assert progress.reset_quiz("03_shipped_not_received") is True
    assert progress.reset_quiz("03_shipped_not_received") is False
    record = progress.load()
    assert "03_shipped_not_received" not in record.quizzes
    assert record.quizzes["04_received_return_exchange"].best == 4
    assert "03_shipped_not_received" in record.lessons_done


@pytest.mark.parametrize(("score", "total"), [(-1, 5), (6, 5), (0, 0), (1.5, 5)])
def test_an_impossible_score_is_refused(score, total):
    with pytest.raises(ValueError, match="测验分数不对"):
        progress.record_quiz("02_unshipped_refund", score, total)


def test_writes_are_atomic_no_temp_file_is_left(progress_folder):
    for number in range(5):
        progress.record_quiz("02_unshipped_refund", number, 5)
    names = sorted(p.name for p in progress_folder.iterdir())
    assert names == [".林小敏.lock", "林小敏.json"]


def test_a_failed_write_leaves_the_old_file_whole(progress_folder, monkeypatch):
    progress.record_quiz("02_unshipped_refund", 3, 5)
    before = (progress_folder / "林小敏.json").read_bytes()

    def broken_replace(*_args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("helpers.course.progress.os.replace", broken_replace)
    with pytest.raises(ProgressError, match="无法写入进度文件"):
        progress.record_quiz("02_unshipped_refund", 5, 5)
    assert (progress_folder / "林小敏.json").read_bytes() == before
    assert not list(progress_folder.glob("*.tmp"))


# ---- two processes at once ----------------------------------------------------------------

def _writer(folder: str, who: str, count: int) -> None:
    store = ProgressStore("共用学员", folder)
    for number in range(count):
        store.record_quiz(f"{who}-{number:03d}", number % 5, 5)
        store.mark_done(f"{who}-{number:03d}")


def test_two_processes_writing_200_records_each_lose_nothing(progress_folder):
    # fork where the system has it: a spawned child would have to import this test module
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    workers = [context.Process(target=_writer, args=(str(progress_folder), who, 200))
               for who in ("a", "b")]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=300)
        assert worker.exitcode == 0
    record = ProgressStore("共用学员", progress_folder).load()
    expected = {f"{who}-{n:03d}" for who in ("a", "b") for n in range(200)}
    assert set(record.quizzes) == expected
    assert set(record.lessons_done) == expected
    assert all(record.quizzes[k].best == int(k[-3:]) % 5 for k in expected)
    assert not list(progress_folder.glob("*.corrupt-*"))


# ---- a corrupt file -----------------------------------------------------------------------

@pytest.mark.parametrize(("content", "reason"), [
    (b'{"schema": 1, "trainee": "\xe6\x9e\x97', "不是有效的 JSON"),   # cut off mid-write
    (b"\xff\xfe\x00garbage", "不是 UTF-8"),
    (b"[1, 2, 3]", "最外层应是一个对象"),
    (b'{"schema": 99}', "版本号"),
    (b'{"schema": 1, "trainee": "x", "lessons_done": {}, "quizzes": {"02": {"best": "a"}},'
     b' "capstone": null}', "quizzes.02"),
    (b'{"schema": 1, "trainee": "x", "lessons_done": {}, "quizzes": {"02": {"best": true, "last": 1,'
     b' "total": 5, "attempts": 1}}, "capstone": null}', "quizzes.02"),
    (b'{"schema": 1, "trainee": "x", "lessons_done": {}, "quizzes": {}, "capstone": {"score": 1,'
     b' "total": 2, "percent": 50, "by_lesson": {"02": "ab"}}}', "capstone.by_lesson.02"),
    (b'{"schema": 1, "trainee": "x", "lessons_done": [], "quizzes": {}, "capstone": null}', "lessons_done"),
])
def test_a_corrupt_file_is_set_aside_with_a_message_and_a_fresh_one_started(progress_folder, content,
                                                                           reason):
    progress_folder.mkdir(parents=True)
    path = progress_folder / "林小敏.json"
    path.write_bytes(content)
    store = ProgressStore(folder=progress_folder, clock=fixed_clock)
    record = store.record_quiz("05_reviews_after_return", 4, 4)

    backup = progress_folder / "林小敏.corrupt-20260302-103015.json"
    assert backup.read_bytes() == content                        # kept, byte for byte
    assert record.quizzes["05_reviews_after_return"].best == 4    # a fresh record, with the new score
    assert parse_file(path)["quizzes"]["05_reviews_after_return"]["last"] == 4
    assert len(record.notices) == 1
    message = record.notices[0]
    assert reason in message
    assert str(backup) in message and "没有删除" in message and "已新建" in message


def test_reading_a_corrupt_file_also_recovers_and_two_failures_keep_both(progress_folder):
    progress_folder.mkdir(parents=True)
    path = progress_folder / "林小敏.json"
    for _attempt in range(2):
        path.write_text("{broken", encoding="utf-8")
        record = ProgressStore(folder=progress_folder, clock=fixed_clock).load()
        assert record.notices and dict(record.quizzes) == {}
        assert parse_file(path)["trainee"] == "林小敏"
    backups = sorted(p.name for p in progress_folder.glob("*.corrupt-*"))
    assert backups == ["林小敏.corrupt-20260302-103015-2.json", "林小敏.corrupt-20260302-103015.json"]


def test_when_the_file_cannot_be_set_aside_the_message_says_what_to_do(progress_folder, monkeypatch):
    progress_folder.mkdir(parents=True)
    (progress_folder / "林小敏.json").write_text("{broken", encoding="utf-8")

    def refuse(*_args):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("helpers.course.progress.os.replace", refuse)
    with pytest.raises(ProgressError, match="DOUDIAN_COURSE_PROGRESS"):
        progress.load()
    assert (progress_folder / "林小敏.json").read_text(encoding="utf-8") == "{broken"


# ---- a folder that cannot be written ------------------------------------------------------

def test_a_missing_folder_that_cannot_be_made_gives_a_chinese_message(tmp_path):
    (tmp_path / "a-file").write_text("", encoding="utf-8")
    store = ProgressStore("林小敏", tmp_path / "a-file" / "progress")
    assert dict(store.load().quizzes) == {}                      # reading an absent record is fine
    with pytest.raises(ProgressError) as caught:
        store.record_quiz("02_unshipped_refund", 3, 5)
    assert "路径中有一段不是文件夹" in str(caught.value) and "DOUDIAN_COURSE_PROGRESS" in str(caught.value)
    assert "Not a directory" not in str(caught.value)


def test_a_read_only_folder_is_read_and_refuses_writes_in_chinese(progress_folder, monkeypatch):
    progress.record_quiz("02_unshipped_refund", 3, 5)
    (progress_folder / ".林小敏.lock").unlink()
    real_open = open

    def read_only_open(file, mode="r", *args, **kwargs):
        if str(file).startswith(str(progress_folder)) and any(m in mode for m in "wa+"):
            raise OSError(30, "Read-only file system")
        return real_open(file, mode, *args, **kwargs)

    monkeypatch.setattr("builtins.open", read_only_open)
    assert progress.load().quizzes["02_unshipped_refund"].best == 3
    with pytest.raises(ProgressError, match="文件夹是只读的"):
        progress.record_quiz("02_unshipped_refund", 5, 5)


# ---- a writer killed mid-write ------------------------------------------------------------

KILLED_WRITER = """
import sys
from helpers.course.progress import ProgressStore
store = ProgressStore("被打断的学员", sys.argv[1])
number = 0
while True:
    number += 1
    store.record_quiz(f"lesson-{number % 7}", number % 5, 5)
"""


def test_a_writer_killed_at_any_moment_leaves_a_whole_file_and_no_orphans(progress_folder):
    import random
    import signal
    import subprocess
    import sys
    import time

    progress_folder.mkdir(parents=True)
    store = ProgressStore("被打断的学员", progress_folder)
    rounds = 15
    for attempt in range(rounds):
        writer = subprocess.Popen([sys.executable, "-c", KILLED_WRITER, str(progress_folder)])
        time.sleep(0.25 + random.random() * 0.25)  # the interpreter starts, then writes in a loop
        writer.send_signal(signal.SIGKILL)
        writer.wait()
        record = store.load()                      # always a whole record, never set aside
        assert not record.notices, record.notices
        store.mark_done(f"after-{attempt}")        # the next writer sweeps up what was left
        assert not list(progress_folder.glob("*.tmp"))
    assert not list(progress_folder.glob("*.corrupt-*"))
    assert len(store.load().lessons_done) == rounds
