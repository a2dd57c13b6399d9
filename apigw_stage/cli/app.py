"""The Typer app: every command of commands/ registered in help order (COMMANDS), and --version.

A new command is commands/NAME.py (NAME, EPILOG, COMMAND) plus one COMMANDS line."""

import importlib
import sys
from typing import Annotated

from apigw_stage.cli import lean_help

if lean_help.wants_help(sys.argv[1:]):  # before Typer loads its rich help (cli/lean_help.py)
    lean_help.import_rich_utils()

import typer  # noqa: E402

from apigw_stage import __version__  # noqa: E402
from apigw_stage.cli.group import StageGroup  # noqa: E402

COMMANDS = ("show", "settings", "canary", "vars", "list", "diff", "check", "snapshot", "limits", "domains", "history")

app = typer.Typer(
    name="stage",
    cls=StageGroup,
    help=(
        "Inspect Amazon API Gateway stages: REST, HTTP and WebSocket APIs.\n\n"
        "Give an API (id or name) and a stage name, or --file with a saved GetStage document. "
        "Every command prints a table for people, or -o json / -o yaml for scripts. The shared options "
        "(--profile, --region, -o, --query, --endpoint-url, --timeout, --no-color, --debug) go before or "
        "after the command name, as in the aws CLI."
    ),
    epilog="Exit status: 0 ok, 1 differences or failed checks, 2 bad input, 3 not found, 4 credentials, 5 service, 6 network, 8 fleet scan incomplete, 73 snapshot cannot write, 74 output not written, 75 snapshot busy, 130 interrupted, 141 reader gone, 143 terminated. See man stage.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)


def _version(value: bool):
    if value:
        typer.echo(f"stage {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version.")] = False,
):
    """Inspect Amazon API Gateway stages: REST, HTTP and WebSocket APIs."""


for _name in COMMANDS:
    _module = importlib.import_module(f"apigw_stage.commands.{_name}")
    app.command(name=_module.NAME, epilog=_module.EPILOG)(_module.COMMAND)
