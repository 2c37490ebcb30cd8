"""The course's own error type, and how a lesson shows it: one Chinese line, never a traceback.

Every error a trainee can cause by what they edit, upload or type (a rules file edited by hand,
an unreadable progress folder, a bad workspace) is a `CourseError` whose message already says
what is wrong, where, and what a valid value looks like. A traceback adds nothing for them.

One mechanism for every lesson: importing `helpers` (every lesson does, directly or through
`helpers.ui`) registers an IPython custom exception handler for `CourseError`. A cell that
raises one shows the message as its one output line; any other exception keeps its traceback,
because that is a bug in the course and the trainer needs it.
"""

from __future__ import annotations

import sys


class CourseError(Exception):
    """An error whose message is meant for the trainee (Chinese, says where and what is valid)."""


def one_line(error: BaseException) -> str:
    return f"✗ {error}"


def _show(shell: object, etype: type, value: BaseException, tb: object,
          tb_offset: int | None = None) -> list[str]:
    # IPython drops what a custom handler returns, so show it the way a traceback is shown:
    # in a kernel that is the cell's error output (red, and "run all" stops there as it should),
    # in a terminal a printed line.
    lines = [one_line(value)]
    shell._showtraceback(etype, value, lines)
    return lines


def install_handler() -> bool:
    """Show a CourseError in a notebook as one line; True when an IPython shell was there."""
    # Only when IPython is already running: importing helpers from a script stays cheap.
    if "IPython" not in sys.modules:
        return False
    from IPython import get_ipython

    shell = get_ipython()
    if shell is None:
        return False
    shell.set_custom_exc((CourseError,), _show)
    return True


# What the system says (in English) when a file cannot be written, said in Chinese.
_OS_REASONS = {"EACCES": "errors.no_permission", "EPERM": "errors.no_permission",
               "EROFS": "errors.read_only", "ENOSPC": "errors.disk_full", "EDQUOT": "errors.disk_full",
               "ENOENT": "errors.not_found", "ENOTDIR": "errors.not_a_folder",
               "EISDIR": "errors.is_a_folder", "ENAMETOOLONG": "errors.name_too_long"}


def os_reason(error: OSError) -> str:
    """Why a file operation failed, in the trainee's language."""
    import errno

    from .strings import t

    key = _OS_REASONS.get(errno.errorcode.get(error.errno or 0, ""))
    return t(key) if key else t("errors.other", error=error.strerror or error)
