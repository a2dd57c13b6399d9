"""The options every command shares, added by one decorator (as sqlite-utils does), so that
`stage show A S -o json --profile p` works with the options after the subcommand, as in `aws`."""

import enum
import functools
import inspect
from dataclasses import dataclass
from typing import Annotated, Optional

import typer

from apigw_stage import errors


class Output(str, enum.Enum):
    table = "table"
    json = "json"
    yaml = "yaml"


@dataclass(frozen=True)
class Common:
    output: Output = Output.table
    query: str | None = None
    profile: str | None = None
    region: str | None = None
    endpoint_url: str | None = None
    timeout: float | None = None
    no_color: bool = False
    debug: bool = False

    def target(self):
        from apigw_stage.target import Target

        return Target(self.profile, self.region, self.endpoint_url, self.timeout, self.debug)


_PANEL = "Output and AWS options"
_SPECS = {
    "output": (Output, typer.Option(
        "--output", "-o", envvar="STAGE_OUTPUT", case_sensitive=False, rich_help_panel=_PANEL,
        help="table for people; json or yaml (the service's own shape) for scripts.",
    ), Output.table),
    "query": (Optional[str], typer.Option(
        "--query", metavar="JMESPATH", rich_help_panel=_PANEL,
        help="JMESPath applied to the json/yaml data, as in the AWS CLI (implies json with -o table).",
    ), None),
    "profile": (Optional[str], typer.Option(
        "--profile", metavar="NAME", rich_help_panel=_PANEL, help="AWS profile (default: AWS_PROFILE, then default).",
    ), None),
    "region": (Optional[str], typer.Option(
        "--region", metavar="REGION", rich_help_panel=_PANEL, help="AWS region (default: AWS_REGION or the profile's).",
    ), None),
    "endpoint_url": (Optional[str], typer.Option(
        "--endpoint-url", metavar="URL", rich_help_panel=_PANEL,
        help="Send API Gateway calls here instead (default: AWS_ENDPOINT_URL).",
    ), None),
    "timeout": (Optional[float], typer.Option(
        "--timeout", metavar="SECONDS", min=0.1, rich_help_panel=_PANEL,
        help="Connect and read timeout of each attempt, in seconds (default 5).",
    ), None),
    "no_color": (bool, typer.Option("--no-color", rich_help_panel=_PANEL, help="No colour (NO_COLOR works too)."), False),
    "debug": (bool, typer.Option("--debug", rich_help_panel=_PANEL, help="Show tracebacks and what was called."), False),
}
COMMON_NAMES = tuple(_SPECS)


def _report(error: errors.StageError) -> None:
    import sys

    from apigw_stage.render.safe import visible

    sys.stderr.write(visible(error.line()) + "\n")
    sys.stderr.flush()


def with_common(body):
    """Give a command the shared options; call it as body(common, **its own args), and turn our
    errors into one stderr line and the documented exit code (in-process too, for CliRunner)."""
    own = [p for p in inspect.signature(body).parameters.values() if p.name != "common"]
    extra = [
        inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, annotation=Annotated[kind, info], default=default)
        for name, (kind, info, default) in _SPECS.items()
    ]

    @functools.wraps(body)
    def command(**kwargs):
        common = Common(**{name: kwargs.pop(name) for name in COMMON_NAMES})
        try:
            return body(common, **kwargs)
        except errors.StageError as error:
            _report(error)
            raise typer.Exit(error.code) from None
        except KeyboardInterrupt:
            raise typer.Exit(errors.INTERRUPTED) from None
        except BrokenPipeError:
            # The reader went away (`stage ... | head`): quiet, 141, before Typer makes it exit 1.
            from apigw_stage.cli.group import quiet_stdout

            quiet_stdout()
            raise typer.Exit(errors.BROKEN_PIPE) from None
        except (typer.Exit, typer.Abort):
            raise
        except Exception as exc:  # a bug of ours: say so plainly
            if common.debug:
                import traceback

                traceback.print_exc()
            _report(errors.StageError(f"internal error: {type(exc).__name__}: {exc}", "please report it; --debug shows the traceback"))
            raise typer.Exit(errors.INTERNAL) from None

    command.__signature__ = inspect.Signature(own + extra)
    command.__annotations__ = {p.name: p.annotation for p in own + extra}
    return command
