"""Progress of a fleet scan on stderr: only when stderr is a terminal and the output is a table
(nothing of it on a pipe, in a log, or with -o json). Rich's live display, transient: it is gone
when the scan ends, so the terminal keeps only the result."""



def wanted(env) -> bool:
    """`env` (core/env.Env) says: stderr a terminal and the output a table."""
    return env.progress


class Display:
    """A context manager whose instance is the scan's progress callback."""

    def __init__(self, env):
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        kwargs = {} if env.colour else {"color_system": None, "no_color": True}
        console = Console(file=env.stderr, highlight=False, markup=False, emoji=False, **kwargs)
        self._progress = Progress(
            TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
            TextColumn("{task.fields[detail]}"), TimeElapsedColumn(),
            console=console, transient=True, refresh_per_second=8,
        )
        self._accounts = None  # a row of its own only for several accounts (an organization)
        self._regions = self._progress.add_task("regions", total=None, detail="")
        self._apis = self._progress.add_task("APIs", total=None, detail="")

    def __enter__(self):
        self._progress.start()
        return self

    def __exit__(self, *exc):
        self._progress.stop()
        return False

    def __call__(self, state) -> None:
        if state.accounts_total > 1:
            if self._accounts is None:
                self._accounts = self._progress.add_task("accounts", total=None, detail="")
            self._progress.update(self._accounts, total=state.accounts_total, completed=state.accounts_done,
                                  detail=f"{state.calls} calls{_estimate(state)}")
        self._progress.update(self._regions, total=state.regions_total, completed=state.regions_done)
        throttled = f"{state.throttled} throttled, retried" if state.throttled else ""
        self._progress.update(self._apis, total=state.apis_total or None, completed=state.apis_done, detail=throttled)


def _estimate(state) -> str:
    """", about N s left": the accounts to go at the pace of those done so far."""
    import time

    if not state.started or not state.accounts_done or state.accounts_done >= state.accounts_total:
        return ""
    elapsed = time.monotonic() - state.started
    left = elapsed / state.accounts_done * (state.accounts_total - state.accounts_done)
    return f", about {left:.0f} s left"


def how_far(state) -> str:
    """One stderr line for a scan stopped by Ctrl-C: how far it got."""
    import time

    elapsed = time.monotonic() - state.started if state.started else 0.0
    return (f"stage: interrupted after {elapsed:.0f} s: {state.accounts_done} of {state.accounts_total} accounts, "
            f"{state.regions_done} of {state.regions_total} account/regions, {state.apis_done} of {state.apis_total} "
            f"APIs read ({state.calls} calls); nothing was written")
