"""The I/O environment of one run (httpie's Environment, gh's iostreams): the three streams,
whether each is a terminal, the output format, --query and colour. with_common builds it once;
emit, the table renderer and the progress display read it, and tests swap its streams. This is
the one module that reads sys.stdout and asks a stream whether it is a terminal.

A plain class with __slots__, not a dataclass: a warm TAB imports it (dataclasses pulls in
inspect, about 10 ms)."""

import os
import sys


def is_terminal(stream) -> bool:
    """Whether `stream` is a terminal; a stream that is gone or cannot tell is not."""
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty and isatty())
    except (OSError, ValueError):
        return False


class Env:
    __slots__ = ("stdin", "stdout", "stderr", "output", "query", "no_color")

    def __init__(self, output: str = "table", query: str | None = None, no_color: bool = False,
                 stdin=None, stdout=None, stderr=None):
        self.stdin = sys.stdin if stdin is None else stdin
        self.stdout = sys.stdout if stdout is None else stdout
        self.stderr = sys.stderr if stderr is None else stderr
        self.output = getattr(output, "value", output)
        self.query = query
        self.no_color = no_color

    @property
    def stdout_tty(self) -> bool:
        return is_terminal(self.stdout)

    @property
    def stderr_tty(self) -> bool:
        return is_terminal(self.stderr)

    @property
    def colour(self) -> bool:
        """Colour allowed: not --no-color, not NO_COLOR (Rich reads FORCE_COLOR and TERM=dumb)."""
        return not self.no_color and not os.environ.get("NO_COLOR")

    @property
    def progress(self) -> bool:
        """A progress display may show: on stderr only, when it is a terminal and the output a
        table (nothing of it on a pipe, in a log, or with -o json / --query)."""
        return (self.output == "table" and not self.query and self.stderr is not None
                and self.stderr_tty and os.environ.get("TERM") != "dumb")

    def width(self, piped: int) -> int:
        """COLUMNS when it is a positive number (0 or garbage counts as unset), else the
        terminal's width, else `piped`."""
        value = os.environ.get("COLUMNS", "").strip()
        if value.isdigit() and int(value) > 0:
            return int(value)
        try:
            if self.stdout_tty:
                return os.get_terminal_size(self.stdout.fileno()).columns or piped
        except (OSError, ValueError, AttributeError):
            pass
        return piped
