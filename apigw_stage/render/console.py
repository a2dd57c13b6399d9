"""The terminal we write to: colour only on a TTY, NO_COLOR / FORCE_COLOR / --no-color honoured."""

from datetime import datetime, timezone

from apigw_stage.core.plain import rfc3339


class _Unwritten:
    """A stream that looks like `stream` (TTY, encoding) but is never written: output is
    captured and written once by the caller, so write errors surface in one place."""

    def __init__(self, env):
        self._env = env
        self.encoding = getattr(env.stdout, "encoding", None) or "utf-8"

    def isatty(self) -> bool:
        return self._env.stdout_tty

    def fileno(self) -> int:
        return self._env.stdout.fileno()

    def write(self, text: str) -> int:
        return len(text)

    def flush(self) -> None:
        pass


# Piped with no COLUMNS: the width gh, kubectl and `aws --output table` use, so `| less` and a
# pasted table look as they would on a common terminal.
PIPED_WIDTH = 80


def make_console(env):
    """A console for capturing a table (`env`: core/env.Env); the caller writes the captured
    text to stdout."""
    from rich.console import Console

    stream = _Unwritten(env)
    kwargs = {}
    if not env.colour:
        kwargs["color_system"] = None
        kwargs["no_color"] = True
    # Rich reads FORCE_COLOR and TERM=dumb itself; highlight=False keeps service text unstyled.
    # The width is always ours: Rich would take COLUMNS=0 literally and print nothing.
    return Console(file=stream, width=env.width(PIPED_WIDTH), highlight=False, emoji=False, markup=False, **kwargs)


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
        return rfc3339(moment)
    local = moment.astimezone()
    return f"{local:%Y-%m-%d %H:%M:%S %Z} ({relative(moment)})"
