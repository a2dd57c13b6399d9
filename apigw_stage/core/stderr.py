"""Messages on standard error that can never change how a run ends.

An error is reported as one line on stderr and then the run exits with the error's code. When
that line cannot be written (`2>/dev/full`, stderr closed with `2>&-`, a terminal gone), the
exit code is what still tells, so it must stay the error's own: the write failure is swallowed
and fd 2 pointed at /dev/null, so that the interpreter's final flush of stderr (which would
make the exit status 120) has nowhere to fail either."""

import os
import sys


def say(line: str, stream=None) -> bool:
    """Write `line` (escaped for the terminal) and a newline to `stream` (default sys.stderr);
    False when it could not be written."""
    from apigw_stage.core.text import visible

    out = sys.stderr if stream is None else stream
    try:
        out.write(visible(line) + "\n")
        out.flush()
        return True
    except (OSError, ValueError, AttributeError):  # full, closed, or None (started with 2>&-)
        silence(out)
        return False


def silence(stream) -> None:
    """Point `stream`'s descriptor at /dev/null and drop what its buffer holds, best effort."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(devnull, stream.fileno())
        finally:
            os.close(devnull)
        stream.flush()  # what failed to go out now goes to /dev/null
    except (OSError, ValueError, AttributeError):
        pass
