"""Standard output as every writer uses it: whole or not at all, in the locale's encoding, and
quiet after the reader went away."""

import codecs
import errno
import os

from apigw_stage.core.errors import OutputError


def unicode_stdout(env) -> bool:
    if env.stdout is None:
        return True
    encoding = (getattr(env.stdout, "encoding", None) or "utf-8").lower().replace("-", "").replace("_", "")
    return encoding.startswith("utf")


# Our own drawing characters, for a stream that cannot encode them (a non-UTF-8 locale).
_ASCII = str.maketrans({"█": "#", "░": ".", "→": "->", "—": "-", "…": "...", "·": "|"})


def _write_all(out, text: str) -> None:
    """All of `text`, or an error. A reader that leaves in the middle of one large write makes
    that write() short (64 KiB of 3.6 MB, say) rather than fail; BufferedWriter returns the short
    count and TextIOWrapper drops it, so a plain stdout.write would exit 0 with the output
    cut. Writing the bytes in a loop meets the EPIPE on the next write (exit 141)."""
    buffer = getattr(out, "buffer", None)
    if buffer is None:  # a text-only stream (a test harness's): nothing below it to write to
        out.write(text)
        out.flush()
        return
    out.flush()
    # The stream's own incremental encoder: a plain encode() would start every write with a BOM
    # under an encoding that has one (PYTHONIOENCODING=utf-16).
    encoder = getattr(out, "_stage_encoder", None)
    if encoder is None:
        encoder = codecs.getincrementalencoder(out.encoding or "utf-8")(out.errors or "strict")
        try:
            out._stage_encoder = encoder
        except AttributeError:  # a stream that takes no attributes: one encoder per write
            pass
    data = memoryview(encoder.encode(text))
    while data:
        written = buffer.write(data)
        if not written:  # a non-blocking stream that took nothing: do not spin
            raise OSError(errno.EAGAIN, "standard output took nothing")
        data = data[written:]
        buffer.flush()


def write(env, text: str) -> None:
    """All of `text` to standard output, or OutputError (a closed pipe stays BrokenPipeError)."""
    if not unicode_stdout(env):
        # Service text the locale cannot show becomes \u escapes, never an error.
        encoding = env.stdout.encoding
        text = text.translate(_ASCII).encode(encoding, "backslashreplace").decode(encoding)
    if env.stdout is None:  # started with stdout closed (`stage ... >&-`)
        raise OutputError("cannot write the output: standard output is closed")
    try:
        _write_all(env.stdout, text)
    except BrokenPipeError:
        raise
    except OSError as exc:  # a full disk, a closed terminal
        raise OutputError(f"cannot write the output: {exc.strerror or exc}") from None


def quiet_stdout(env) -> None:
    """After a broken pipe: point stdout at /dev/null so that Python's exit flush cannot raise."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, env.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass
