"""Progress of a fleet scan on stderr: only when stderr is a terminal and the output is a table
(nothing of it on a pipe, in a log, or with -o json). Rich's live display, transient: it is gone
when the scan ends, so the terminal keeps only the result."""

import os
import sys


def wanted(output_is_table: bool, stream=None) -> bool:
    stream = stream if stream is not None else sys.stderr
    if not output_is_table or stream is None:
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty()) and os.environ.get("TERM") != "dumb"


class Display:
    """A context manager whose instance is the scan's progress callback."""

    def __init__(self, no_color: bool = False, stream=None):
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        kwargs = {"color_system": None, "no_color": True} if no_color or os.environ.get("NO_COLOR") else {}
        console = Console(file=stream or sys.stderr, highlight=False, markup=False, emoji=False, **kwargs)
        self._progress = Progress(
            TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
            TextColumn("{task.fields[detail]}"), TimeElapsedColumn(),
            console=console, transient=True, refresh_per_second=8,
        )
        self._regions = self._progress.add_task("regions", total=None, detail="")
        self._apis = self._progress.add_task("APIs", total=None, detail="")

    def __enter__(self):
        self._progress.start()
        return self

    def __exit__(self, *exc):
        self._progress.stop()
        return False

    def __call__(self, state) -> None:
        self._progress.update(self._regions, total=state.regions_total, completed=state.regions_done)
        throttled = f"{state.throttled} throttled, retried" if state.throttled else ""
        self._progress.update(self._apis, total=state.apis_total or None, completed=state.apis_done, detail=throttled)
