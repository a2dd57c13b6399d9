"""The options every command shares, added by one decorator (as sqlite-utils does), so that
`stage show A S -o json --profile p` works with the options after the subcommand, as in `aws`;
and the arguments commands share (API, STAGE, --file, --family)."""

import enum
import functools
import inspect
import re
from dataclasses import dataclass
from typing import Annotated, Optional

import typer

from apigw_stage.core import errors, families
from apigw_stage.completion.live import complete_api_id, complete_profile, complete_region, complete_stage
from apigw_stage.core.env import Env
from apigw_stage.output.formats import CHECK_FORMATS, DATA_FORMATS, Output, formats_of  # noqa: F401  (commands name them here)


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
    # The fleet scope (list, check, snapshot): every --profile and --region given, in order.
    profiles: tuple = ()
    regions: tuple = ()
    all_regions: bool = False
    rate: float | None = None
    org_role: str | None = None
    accounts: str | None = None
    accounts_file: str | None = None
    external_id: str | None = None
    parallel: int | None = None
    env: Env | None = None  # the run's streams, format, --query and colour (core/env.py)

    def __post_init__(self):
        if self.env is None:  # built once per run, from the options
            object.__setattr__(self, "env", Env(self.output, self.query, self.no_color))

    def scope(self, methods: bool = False):
        """The accounts and regions a fleet command reads (sources/fleet/scope.py)."""
        from apigw_stage.sources.fleet import org
        from apigw_stage.sources.fleet.pacing import DEFAULT_RATE
        from apigw_stage.sources.fleet.scope import DEFAULT_PARALLEL, Scope

        accounts: tuple = ()
        if not self.org_role:
            given = [name for name, value in (("--accounts", self.accounts), ("--accounts-file", self.accounts_file),
                                              ("--external-id", self.external_id)) if value is not None]
            if given:
                raise errors.UsageError(f"{given[0]} goes with --org-role ROLE", "e.g. --org-role OrganizationAccountAccessRole")
        else:
            org.check_role(self.org_role)
            if self.accounts is not None and self.accounts_file is not None:
                raise errors.UsageError("give --accounts or --accounts-file, not both")
            if self.accounts is not None:
                accounts = tuple(org.parse_ids(self.accounts, "--accounts"))
            elif self.accounts_file is not None:
                accounts = tuple(org.read_ids(self.accounts_file))
        return Scope(self.profiles, self.regions, self.all_regions, self.endpoint_url, self.timeout,
                     self.rate or DEFAULT_RATE, debug=self.debug, methods=methods, org_role=self.org_role,
                     accounts=accounts, external_id=self.external_id, parallel=self.parallel or DEFAULT_PARALLEL)

    def target(self):
        from apigw_stage.core.target import Target

        return Target(self.profile, self.region, self.endpoint_url, self.timeout, self.debug)


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


WideOpt = Annotated[bool, typer.Option(
    "--wide", help="Keep the table whatever its width: every column, names in full (rows may be wider "
                   "than the terminal; without it a table too wide for the terminal leaves out columns, "
                   "cuts long API names short, or becomes a block of lines per stage).",
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
    return None if choice is None else families.FAMILIES[getattr(choice, "value", choice)]


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
    "profile": (Optional[list[str]], typer.Option(
        "--profile", metavar="NAME", rich_help_panel=_PANEL, autocompletion=complete_profile,
        help="AWS profile (default: AWS_PROFILE, then default); list, check and snapshot take several.",
    ), None),
    "region": (Optional[list[str]], typer.Option(
        "--region", metavar="REGION", rich_help_panel=_PANEL, autocompletion=complete_region,
        help="AWS region (default: AWS_REGION or the profile's); list, check and snapshot take several.",
    ), None),
    "endpoint_url": (Optional[str], typer.Option(
        "--endpoint-url", metavar="URL", rich_help_panel=_PANEL,
        help="Send API Gateway calls here instead (default: AWS_ENDPOINT_URL).",
    ), None),
    "timeout": (Optional[float], typer.Option(
        "--timeout", metavar="SECONDS", min=0.1, max=600, rich_help_panel=_PANEL,
        help="Time allowed for each attempt: connect, headers and body (0.1-600 s, default 5; 3 attempts at most).",
    ), None),
    "no_color": (bool, typer.Option("--no-color", rich_help_panel=_PANEL, help="No colour (NO_COLOR works too)."), False),
    "debug": (bool, typer.Option("--debug", rich_help_panel=_PANEL, help="Show tracebacks and what was called."), False),
}
COMMON_NAMES = tuple(_SPECS)
_SCOPE_PANEL = "Fleet scope (with no API)"
_SCOPE_SPECS = {
    "all_regions": (bool, typer.Option(
        "--all-regions", rich_help_panel=_SCOPE_PANEL,
        help="Every region where API Gateway exists in the profile's partition; regions the account has not enabled are skipped.",
    ), False),
    "rate": (Optional[float], typer.Option(
        "--rate", metavar="N", min=0.1, max=1000.0, rich_help_panel=_SCOPE_PANEL,
        help="Calls per second to each account and region (default 8; API Gateway allows 10, shared with deploys).",
    ), None),
    "org_role": (Optional[str], typer.Option(
        "--org-role", metavar="ROLE", rich_help_panel=_SCOPE_PANEL,
        help="Scan an AWS Organization: its ACTIVE accounts (ListAccounts, from the management account or a "
             "delegated administrator; or --accounts), each through the role arn:PARTITION:iam::ACCOUNT:role/ROLE "
             "assumed with --profile's credentials. An account whose role cannot be assumed is reported, not fatal (exit 8).",
    ), None),
    "accounts": (Optional[str], typer.Option(
        "--accounts", metavar="ID,ID", rich_help_panel=_SCOPE_PANEL,
        help="With --org-role: these 12-digit account ids instead of ListAccounts.",
    ), None),
    "accounts_file": (Optional[str], typer.Option(
        "--accounts-file", metavar="FILE", rich_help_panel=_SCOPE_PANEL,
        help="With --org-role: the account ids in FILE, one a line (`ID [NAME]`, # comments), instead of ListAccounts.",
    ), None),
    "external_id": (Optional[str], typer.Option(
        "--external-id", metavar="ID", rich_help_panel=_SCOPE_PANEL,
        help="With --org-role: the ExternalId the roles' trust policy asks for.",
    ), None),
    "parallel": (Optional[int], typer.Option(
        "--parallel", metavar="N", min=1, max=256, rich_help_panel=_SCOPE_PANEL,
        help="Accounts scanned at once, each account × region paced by its own bucket (default 8: "
             "measured in bench/README.md, the most one machine's CPU keeps at the pace with 2 regions; "
             "fewer with --all-regions).",
    ), None),
}
_REPEATABLE = ("profile", "region")
_REGION_LABEL = re.compile(r"[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?")


def _report(error: errors.StageError) -> None:
    """The error's one line; if stderr cannot take it, the exit code (error.code) still tells."""
    from apigw_stage.core.stderr import say

    say(error.line())


def check_region(*regions: str | None, option: str = "--region") -> None:
    """botocore's own rule for a region (a host name label; FIPS pseudo-regions pass), checked
    before any call so that a typo is exit 2 naming the option, not the SDK's InvalidRegionError.
    None or "" is no region given (an unset $REGION): the default applies."""
    for region in regions:
        if region and not _REGION_LABEL.fullmatch(region):
            raise errors.UsageError(f"{option} {region!r} is not a region name", "e.g. us-east-1")


def _common(kwargs: dict, scope: bool) -> Common:
    """Common from the parsed options; exit 2 for --query with a format that is not data, or for
    several --profile/--region on a command that reads one stage."""
    values = {name: kwargs.pop(name) for name in COMMON_NAMES}
    values["output"] = Output(getattr(values["output"], "value", values["output"]))
    extra = {name: kwargs.pop(name) for name in _SCOPE_SPECS} if scope else {}
    check_region(*values["region"] or ())
    values["region"] = [r for r in values["region"] or () if r]  # --region "" (an unset $REGION): as if not given
    for name in _REPEATABLE:
        given = tuple(dict.fromkeys(values[name] or ()))
        if len(given) > 1 and not scope:
            raise errors.UsageError(f"one --{name} only here", "list, check and snapshot take several")
        values[name] = given[0] if given else None
        extra[name + "s"] = given
    common = Common(**values, **extra)
    if common.query and common.output not in DATA_FORMATS:
        raise errors.UsageError(f"--query applies to json and yaml, not -o {common.output.value}")
    return common


def with_common(body=None, *, formats: tuple = DATA_FORMATS, scope: bool = False):
    """Give a command the shared options; call it as body(common, **its own args), and turn our
    errors into one stderr line and the documented exit code (in-process too, for CliRunner).
    `@with_common(formats=CHECK_FORMATS, scope=True)`: the -o formats the command writes, and the
    fleet scope options (several --profile/--region, --all-regions, --rate)."""
    if body is None:
        return functools.partial(with_common, formats=formats, scope=scope)
    own = [p for p in inspect.signature(body).parameters.values() if p.name != "common"]
    specs = {**_SPECS, **(_SCOPE_SPECS if scope else {})}
    if formats != tuple(Output):
        # -o offers (in help, completion and the man page) only what this command writes.
        kind, info, _ = specs["output"]
        choices = enum.Enum("Output", {f.name: f.value for f in formats}, type=str)
        specs["output"] = (choices, info, choices.table)
    extra = [
        inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, annotation=Annotated[kind, info], default=default)
        for name, (kind, info, default) in specs.items()
    ]

    @functools.wraps(body)
    def command(**kwargs):
        common = Common()
        try:
            common = _common(kwargs, scope)
            return body(common, **kwargs)
        except errors.StageError as error:
            _report(error)
            raise typer.Exit(error.code) from None
        except KeyboardInterrupt:
            raise typer.Exit(errors.INTERRUPTED) from None
        except BrokenPipeError:
            # The reader went away (`stage ... | head`): quiet, 141, before Typer makes it exit 1.
            from apigw_stage.output.stream import quiet_stdout

            quiet_stdout(common.env or Env())
            raise typer.Exit(errors.BROKEN_PIPE) from None
        except (typer.Exit, typer.Abort):
            raise
        except Exception as exc:  # a bug of ours: say so plainly
            if common.debug:
                import traceback

                try:
                    traceback.print_exc()
                except (OSError, ValueError, AttributeError):
                    pass  # stderr gone: the exit code below still tells
            # The type only: a library's message can carry request data (a header, a URL).
            _report(errors.StageError(f"internal error: {type(exc).__name__}", "please report it; --debug shows the traceback"))
            raise typer.Exit(errors.INTERNAL) from None

    command.__signature__ = inspect.Signature(own + extra)
    command.__annotations__ = {p.name: p.annotation for p in own + extra}
    command.__doc__ = reflow(body.__doc__)
    return command


def reflow(doc: str | None) -> str | None:
    """A docstring as help text: Typer's rich help keeps every line break, so lines wrapped at
    95 columns in the source came out as a long line and a fragment at 80. Lines of a paragraph
    are joined (the terminal's width wraps them); a line that starts with `json/yaml:` or
    `HTTP and WebSocket stages:` starts a paragraph of its own."""
    if not doc:
        return doc
    paragraphs = []
    for paragraph in inspect.cleandoc(doc).split("\n\n"):
        lines = [line.strip() for line in paragraph.splitlines()]
        current: list[str] = []
        for line in lines:
            if line.startswith(("json/yaml:", "HTTP and WebSocket stages:")) and current:
                paragraphs.append(" ".join(current))
                current = []
            current.append(line)
        paragraphs.append(" ".join(current))
    return "\n\n".join(paragraphs)
