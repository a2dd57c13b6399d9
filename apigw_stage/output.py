"""Write a command's result to stdout in the chosen format, whole or not at all."""

import codecs
import errno
import sys

from apigw_stage.errors import OutputError
from apigw_stage.options import Common, Output


def where_label(where, api_id: str | None = None) -> str:
    """How a title names the source: a file, or the API (by the name given and its id)."""
    if where.file is not None:
        return "from standard input" if where.file == "-" else f"from {where.file}"
    if api_id and api_id != where.api_id:
        return f"API {where.api_id} ({api_id})"
    return f"API {where.api_id}"


def _unicode_stdout() -> bool:
    if sys.stdout is None:
        return True
    encoding = (getattr(sys.stdout, "encoding", None) or "utf-8").lower().replace("-", "").replace("_", "")
    return encoding.startswith("utf")


# Our own drawing characters, for a stream that cannot encode them (a non-UTF-8 locale).
_ASCII = str.maketrans({"█": "#", "░": ".", "→": "->", "—": "-", "…": "...", "·": "|"})


def _write_all(text: str) -> None:
    """All of `text`, or an error. A reader that leaves in the middle of one large write makes
    that write() short (64 KiB of 3.6 MB, say) rather than fail; BufferedWriter returns the short
    count and TextIOWrapper drops it, so a plain sys.stdout.write would exit 0 with the output
    cut. Writing the bytes in a loop meets the EPIPE on the next write (exit 141)."""
    out = sys.stdout
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


def _write(text: str) -> None:
    if not _unicode_stdout():
        # Service text the locale cannot show becomes \u escapes, never an error.
        encoding = sys.stdout.encoding
        text = text.translate(_ASCII).encode(encoding, "backslashreplace").decode(encoding)
    if sys.stdout is None:  # started with stdout closed (`stage ... >&-`)
        raise OutputError("cannot write the output: standard output is closed")
    try:
        _write_all(text)
    except BrokenPipeError:
        raise
    except OSError as exc:  # a full disk, a closed terminal
        raise OutputError(f"cannot write the output: {exc.strerror or exc}") from None


def emit(common: Common, data, table, documents: dict | None = None) -> None:
    """json/yaml print `data`; table prints `table(on_terminal)`, rendered in full before writing;
    another format (sarif, junit) prints `documents[format]()`, a whole document as text."""
    fmt = common.output
    if common.query and fmt == Output.table:
        fmt = Output.json
    if fmt in (Output.json, Output.yaml):
        from apigw_stage.render.data import dump

        _write(dump(data, fmt.value, common.query, ascii_only=not _unicode_stdout()))
        return
    if fmt != Output.table:
        _write(documents[fmt]())
        return
    from apigw_stage.render.console import make_console

    console = make_console(common.no_color)
    renderable = table(console.is_terminal)
    with console.capture() as captured:
        # crop=False: a word wider than the terminal (one word of a fix command) is printed
        # whole for the terminal to fold, never cut at the edge into a different command.
        console.print(renderable, crop=False)
    # Rich pads every line to the table width; trailing blanks only get in the way of a reader.
    _write("\n".join(line.rstrip() for line in captured.get().split("\n")))
