"""The terminal we write to: colour only on a TTY, NO_COLOR / FORCE_COLOR / --no-color honoured."""

import os
import sys
from datetime import datetime, timezone


class _Unwritten:
    """A stream that looks like `stream` (TTY, encoding) but is never written: output is
    captured and written once by the caller, so write errors surface in one place."""

    def __init__(self, stream):
        self._stream = stream
        self.encoding = getattr(stream, "encoding", None) or "utf-8"

    def isatty(self) -> bool:
        return self._stream.isatty()

    def fileno(self) -> int:
        return self._stream.fileno()

    def write(self, text: str) -> int:
        return len(text)

    def flush(self) -> None:
        pass


# Piped with no COLUMNS: the width gh, kubectl and `aws --output table` use, so `| less` and a
# pasted table look as they would on a common terminal.
PIPED_WIDTH = 80


def table_width(stream) -> int:
    """COLUMNS when it is a positive number (0 or garbage counts as unset), else the terminal's
    width, else PIPED_WIDTH."""
    value = os.environ.get("COLUMNS", "").strip()
    if value.isdigit() and int(value) > 0:
        return int(value)
    try:
        if stream.isatty():
            return os.get_terminal_size(stream.fileno()).columns or PIPED_WIDTH
    except (OSError, ValueError):
        pass
    return PIPED_WIDTH


def make_console(no_color: bool = False):
    """A console for capturing a table; the caller writes the captured text to stdout."""
    from rich.console import Console

    stream = _Unwritten(sys.stdout)
    kwargs = {}
    if no_color or os.environ.get("NO_COLOR"):
        kwargs["color_system"] = None
        kwargs["no_color"] = True
    # Rich reads FORCE_COLOR and TERM=dumb itself; highlight=False keeps service text unstyled.
    # The width is always ours: Rich would take COLUMNS=0 literally and print nothing.
    return Console(file=stream, width=table_width(stream), highlight=False, emoji=False, markup=False, **kwargs)


def relative(moment: datetime, now: datetime | None = None) -> str:
    now = now or datetime.now(timezone.utc)
    seconds = (now - moment).total_seconds()
    future = seconds < 0
    seconds = abs(seconds)
    for unit, size in (("year", 365 * 86400), ("month", 30 * 86400), ("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds >= size:
            count = int(seconds // size)
            text = f"{count} {unit}{'s' if count != 1 else ''}"
            return f"in {text}" if future else f"{text} ago"
    return "just now"


def when(moment: datetime | None, on_terminal: bool) -> str:
    """Local time and "3 days ago" for a person at a terminal; RFC 3339 UTC when piped."""
    if moment is None:
        return "—"
    if not on_terminal:
        from apigw_stage.render.data import rfc3339

        return rfc3339(moment)
    local = moment.astimezone()
    return f"{local:%Y-%m-%d %H:%M:%S %Z} ({relative(moment)})"
