"""The Typer app and what its commands share: the API/STAGE/--file arguments and step one, loading
the document. Each command module (inspect, listing, diff, check) adds its commands to `app`."""

import enum
from typing import Annotated, Optional

import typer

from apigw_stage import __version__
from apigw_stage.cli.group import StageGroup
from apigw_stage.completion.live import complete_api_id, complete_stage
from apigw_stage.options import Common
from apigw_stage.output import where_label
from apigw_stage.source import check_where, fetch_stage

app = typer.Typer(
    name="stage",
    cls=StageGroup,
    help=(
        "Inspect Amazon API Gateway stages: REST, HTTP and WebSocket APIs.\n\n"
        "Give an API (id or name) and a stage name, or --file with a saved GetStage document. "
        "Every command prints a table for people, or -o json / -o yaml for scripts."
    ),
    epilog="Exit status: 0 ok, 1 differences or failed checks, 2 bad input, 3 not found, 4 credentials, 5 service, 6 network, 8 fleet scan incomplete, 74 output not written, 130 interrupted, 141 reader gone. See man stage.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)

ApiId = Annotated[Optional[str], typer.Argument(
    metavar="API", show_default=False, autocompletion=complete_api_id,
    help="API id (e.g. a1b2c3d4e5) or its name, if unique: REST, HTTP or WebSocket. TAB lists the account's APIs.",
)]
StageName = Annotated[Optional[str], typer.Argument(
    metavar="STAGE", show_default=False, autocompletion=complete_stage,
    help="Stage name. TAB lists the API's stages.",
)]
FileOpt = Annotated[Optional[str], typer.Option(
    "--file", "-f", metavar="PATH",
    help="Read a saved GetStage document (JSON or YAML; - for stdin) instead of calling AWS: "
         "apigateway or apigatewayv2 get-stage.",
)]
StagesFileOpt = Annotated[Optional[str], typer.Option(
    "--file", "-f", metavar="PATH",
    help="Read a saved GetStages answer (apigateway or apigatewayv2 get-stages; JSON or YAML; - for "
         "stdin), or a list of stage documents, instead of calling AWS.",
)]


class FamilyChoice(str, enum.Enum):
    """families.FAMILIES as --family choices."""

    rest = "rest"
    v2 = "v2"


FamilyOpt = Annotated[Optional[FamilyChoice], typer.Option(
    "--family", case_sensitive=False, show_default=False,
    help="rest, or v2 for HTTP and WebSocket APIs: skip the guess (otherwise an unknown id costs a REST "
         "GetStage first, then the v2 one).",
)]


def family_of(choice: FamilyChoice | None):
    from apigw_stage import families

    return None if choice is None else families.FAMILIES[getattr(choice, "value", choice)]


def _load(common: Common, api_id, stage, file, family: FamilyChoice | None = None):
    """Step one of every command: the stage (source.Stage: document, API id, family, protocol)
    and how to name where it came from."""
    where = check_where(api_id, stage, file)
    found = fetch_stage(where, common.target(), family=family_of(family))
    return found, where_label(where, found.api_id)


def _version(value: bool):
    if value:
        typer.echo(f"stage {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version.")] = False,
):
    """Inspect Amazon API Gateway stages: REST, HTTP and WebSocket APIs."""
