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


class StageGroup(TyperGroup):
    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        argv = sys.argv[1:] if args is None else list(args)
        if Env().stdout is None:  # started with stdout closed (`stage ... >&-`)
            _say("stage: error: cannot write the output: standard output is closed")
            code = errors.OUTPUT
            if standalone_mode:
                sys.exit(code)
            return code
        code = _exit_code(lambda: super(StageGroup, self).main(
            argv, prog_name, complete_var, standalone_mode=False, **extra), "--debug" in argv)
        if standalone_mode:
            sys.exit(code)
        return code
