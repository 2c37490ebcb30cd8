"""`python -m helpers COMMAND ARGS…`: the course's few shell commands.

A command is a function whose positional parameters are its arguments and which returns the
exit code; it is registered with one line in COMMANDS, naming the catalog keys of its one-line
help and of each argument's help. Heavy imports (pandas for check-export) happen inside the
function, so one command does not pay for another.

Bad input never ends in a traceback: a `CourseError` (a broken rules file, say) is printed as its
one Chinese line on stderr, with exit code 2.
"""

from __future__ import annotations

import inspect
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from .course.app import cli_app
from .course.lab import cli_lab
from .course.language import cli_language
from .course.workspace import cli_reset, cli_start
from .errors import CourseError, one_line
from .strings import t


@dataclass(frozen=True)
class Command:
    run: Callable[..., int]
    help: str                                                   # catalog key
    arguments: Mapping[str, str] = field(default_factory=dict)  # parameter name -> catalog key

    @property
    def parameters(self) -> list[str]:
        return list(inspect.signature(self.run).parameters)


def check_export(file: str) -> int:
    """Print the import report of an after-sales export; exit 0 all rows good, 1 rows
    rejected, 2 the file cannot be used."""
    from .export.importer import read_export, visible

    report = read_export(file).report
    # Every value in the report is already escaped; this also covers the file's own name.
    print(visible(report.text(limit=100)))
    return report.exit_code


COMMANDS: dict[str, Command] = {
    "check-export": Command(check_export, "export.cli_help", {"file": "export.cli_file"}),
    "start": Command(cli_start, "workspace.help_start", {"dir": "workspace.help_folder"}),
    "reset": Command(cli_reset, "workspace.help_reset",
                     {"dir": "workspace.help_folder", "lesson": "workspace.help_lesson"}),
    "app": Command(cli_app, "app.help"),
    "lab": Command(cli_lab, "workspace.help_lab"),
    "language": Command(cli_language, "cli.language_help", {"language": "cli.language_arg"}),
}


def _usage(name: str, command: Command) -> str:
    arguments = " ".join(p.upper() for p in command.parameters)
    lines = [t("cli.command_usage", name=name, arguments=arguments), "  " + t(command.help)]
    lines += [f"  {p.upper()}：{t(command.arguments[p])}"
              for p in command.parameters if p in command.arguments]
    return "\n".join(lines)


def _overview() -> str:
    return "\n".join([t("cli.usage"), *(f"  {name}：{t(c.help)}" for name, c in COMMANDS.items()),
                      t("cli.more_help")])


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in ("-h", "--help"):
        print(_overview())
        return 0 if args else 2
    name, rest = args[0], args[1:]
    command = COMMANDS.get(name)
    if command is None:
        print(t("cli.unknown_command", name=name), file=sys.stderr)
        print(_overview(), file=sys.stderr)
        return 2
    if rest in (["-h"], ["--help"]):
        print(_usage(name, command))
        return 0
    if len(rest) != len(command.parameters):
        print(t("cli.wrong_arguments", name=name, expected=len(command.parameters), given=len(rest)),
              file=sys.stderr)
        print(_usage(name, command), file=sys.stderr)
        return 2
    try:
        return command.run(*rest)
    except CourseError as error:
        print(one_line(error), file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
