"""The `stage` console script. Kept tiny: a TAB answered from the completion cache must not
import typer, rich or boto3, so the fast completion path is chosen before anything heavy loads.

Ctrl-C is exit 130 (SIGTERM 143) at any moment after this module starts: the handler is installed first, the
interrupt unwinds normally (so a snapshot can drop its temporary tree), and should a library
swallow it (a broad `except` in a network stack), a watchdog ends the process within a second.
"""

import os
import signal
import sys

INTERRUPTED = 130
TERMINATED = 143  # 128 + SIGTERM: `kill`, a CI timeout, systemd stopping a job
WATCHDOG_SECONDS = 1.0
_interrupted = False
_code = INTERRUPTED  # the exit code of the signal that stopped the run
_guarded = False  # inside main's try, where an interrupt unwinds to the exit code


def _leave() -> None:
    os._exit(_code)


def _on_sigint(signum, frame) -> None:
    """SIGINT and SIGTERM alike (issue 20 item 5): unwind, so that a snapshot removes its
    temporary file and leaves every file whole, then exit 130 or 143."""
    global _interrupted, _code
    if not _interrupted:
        _code = TERMINATED if signum == signal.SIGTERM else INTERRUPTED
    if _interrupted or not _guarded:
        # A second Ctrl-C: do not wait for anything. Outside main's try (the console script's own
        # lines before it, the exit after it) an interrupt would end in a traceback, and there is
        # nothing to unwind.
        _leave()
    _interrupted = True
    import threading

    watchdog = threading.Timer(WATCHDOG_SECONDS, _leave)
    watchdog.daemon = True
    watchdog.start()
    raise KeyboardInterrupt


signal.signal(signal.SIGINT, _on_sigint)
signal.signal(signal.SIGTERM, _on_sigint)


def _run() -> int:
    if os.environ.get("_STAGE_COMPLETE") == "fast":
        from apigw_stage.completion.fast import main as complete

        return complete()
    from apigw_stage.cli import app  # cli/app.py loads lean_help first for --help

    app(prog_name="stage")  # exits through SystemExit with the documented code
    return 0


def main() -> None:
    global _guarded
    try:
        _guarded = True
        code = _run()
    except SystemExit as done:
        _guarded = False  # first: an interrupt in the lines below is outside the try
        code = done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
    except KeyboardInterrupt:
        _guarded = False
        code = INTERRUPTED
    finally:
        _guarded = False
    if _interrupted:
        code = _code
    if code == INTERRUPTED:
        try:
            from apigw_stage.core.env import Env

            env = Env()
            if env.stderr_tty:  # after the terminal's ^C; on a pipe it would be an empty line
                env.stderr.write("\n")
                env.stderr.flush()
        except (OSError, ValueError, AttributeError):
            pass
    sys.exit(code)


if __name__ == "__main__":
    main()
