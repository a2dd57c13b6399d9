"""How the whole program ends, whoever runs it (the console script, `python -m`, CliRunner):
Typer's own ending prints usage errors as a four-line box and turns a closed pipe into exit 1.
Here a usage error is one line on stderr with a hint, exit 2; a closed pipe is 141; a stream that
cannot be written (a full disk, `--help >/dev/full`) is one line and 74; Ctrl-C is 130."""

import errno
import sys

from typer.core import TyperGroup

from apigw_stage.core import errors
from apigw_stage.core.env import Env


def _say(line: str) -> None:
    from apigw_stage.core.stderr import say

    say(line, Env().stderr)  # stderr itself gone: the exit code still tells


def usage_line(error) -> str:
    """`stage: error: MESSAGE (Try 'stage show --help')`, the message on one line."""
    message = " ".join(error.format_message().split())
    ctx = getattr(error, "ctx", None)
    path = ctx.command_path if ctx is not None else "stage"
    return f"stage: error: {message} (Try '{path} --help')"


def _exit_code(run, debug: bool) -> int:
    from typer import Abort
    from typer._click.exceptions import ClickException

    from apigw_stage.output.stream import quiet_stdout

    try:
        result = run()
    except ClickException as error:
        if not error.format_message().strip():
            pass  # no arguments at all: Typer has printed the help, the exit code is 2
        elif error.exit_code == errors.USAGE:
            _say(usage_line(error))
        else:
            _say(f"stage: error: {' '.join(error.format_message().split())}")
        return error.exit_code
    except (KeyboardInterrupt, Abort):
        return errors.INTERRUPTED
    except BrokenPipeError:
        quiet_stdout(Env())
        return errors.BROKEN_PIPE
    except OSError as error:
        if error.errno == errno.EPIPE:
            quiet_stdout(Env())
            return errors.BROKEN_PIPE
        _say(f"stage: error: cannot write the output: {error.strerror or error}")
        return errors.OUTPUT
    except Exception as error:  # a bug outside a command (commands report their own)
        if debug:
            raise
        _say(f"stage: error: internal error: {type(error).__name__} (please report it; --debug shows the traceback)")
        return errors.INTERNAL
    return result if isinstance(result, int) else errors.OK


# The options every command shares (commands/options.py's _SPECS and the fleet scope's), by
# whether they take a value: given before the command name (`stage --profile p list`, as the aws
# CLI allows) they are moved after it, where the command parses them.
_VALUED = ("--output", "-o", "--query", "--profile", "--region", "--endpoint-url", "--timeout", "--rate")
_FLAGS = ("--no-color", "--debug", "--all-regions")


def hoist_common(argv: list[str], commands) -> list[str]:
    """`[shared options] COMMAND rest` as `COMMAND [shared options] rest`. Anything else before
    the command (--help, --version, an unknown option) leaves argv as it is, for Typer to answer."""
    moved: list[str] = []
    i = 0
    while i < len(argv):
        word = argv[i]
        name = word.split("=", 1)[0]
        if word in _FLAGS:
            moved.append(word)
            i += 1
        elif name in _VALUED and "=" in word:
            moved.append(word)
            i += 1
        elif word in _VALUED and i + 1 < len(argv):
            moved += argv[i:i + 2]
            i += 2
        elif word.startswith("-o") and len(word) > 2 and not word.startswith("--"):
            moved.append(word)  # -ojson
            i += 1
        else:
            break
    if not moved or i >= len(argv) or argv[i] not in commands:
        return argv
    return [argv[i], *moved, *argv[i + 1:]]


def _flushed(code: int) -> int:
    """Flush stdout now, while a failure can still be one line and exit 74: with a block-buffered
    stdout (no PYTHONUNBUFFERED, `env -i`), `--help >/dev/full` fails only at the interpreter's
    exit flush, which prints "Exception ignored" and exits 120. Whatever is left unwritten then
    goes to /dev/null, so that exit flush has nothing to fail on."""
    from apigw_stage.output.stream import quiet_stdout

    env = Env()
    if env.stdout is None:
        return code
    try:
        env.stdout.flush()
    except BrokenPipeError:
        quiet_stdout(env)
        return errors.BROKEN_PIPE
    except (OSError, ValueError) as error:
        if code != errors.OUTPUT:  # not said yet
            _say(f"stage: error: cannot write the output: {getattr(error, 'strerror', None) or error}")
        quiet_stdout(env)
        _drop_buffer(env.stdout)
        return errors.OUTPUT
    if code == errors.OUTPUT:  # a write failed earlier: what it left in the buffer must not retry
        quiet_stdout(env)
    return code


def _drop_buffer(stream) -> None:
    """Discard what a failed flush left in `stream`'s buffer (it would fail again at exit)."""
    try:
        stream.buffer.flush()
    except (OSError, ValueError, AttributeError):
        pass


class StageGroup(TyperGroup):
    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        argv = hoist_common(sys.argv[1:] if args is None else list(args), self.commands)
        if Env().stdout is None:  # started with stdout closed (`stage ... >&-`)
            _say("stage: error: cannot write the output: standard output is closed")
            code = errors.OUTPUT
            if standalone_mode:
                sys.exit(code)
            return code
        code = _exit_code(lambda: super(StageGroup, self).main(
            argv, prog_name, complete_var, standalone_mode=False, **extra), "--debug" in argv)
        code = _flushed(code)
        if standalone_mode:
            sys.exit(code)
        return code
