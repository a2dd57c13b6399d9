"""man/stage.1: the commands and options from the Typer definitions, plus hand-written prose."""

from apigw_stage import __version__


def esc(text: str) -> str:
    """Plain text as roff: backslashes, hyphens and line-leading dots made literal, and any
    character beyond ASCII (→, ·) as a groff Unicode escape."""
    text = text.replace("\\", "\\e").replace("-", "\\-")
    text = "".join(ch if ord(ch) < 128 else f"\\[u{ord(ch):04X}]" for ch in text)
    lines = []
    for line in text.split("\n"):
        lines.append("\\&" + line if line.startswith((".", "'")) else line)
    return "\n".join(lines)


def _paragraphs(text: str | None) -> list[str]:
    return [" ".join(p.split()) for p in (text or "").strip().split("\n\n") if p.strip()]


def options(command) -> list:
    """The options of a click command that --help shows."""
    return [p for p in command.params if p.param_type_name == "option" and not getattr(p, "hidden", False)]


def choices(param) -> list[str]:
    """The allowed values of an option whose type is an Enum (Typer keeps the annotation)."""
    import enum

    descriptor = getattr(param, "type_descriptor", None)
    kind = getattr(descriptor, "annotation", None) or getattr(getattr(param, "type", None), "choices", None)
    if isinstance(kind, type) and issubclass(kind, enum.Enum):
        return [str(member.value) for member in kind]
    return [str(getattr(c, "value", c)) for c in kind] if isinstance(kind, (list, tuple)) else []


def _option_lines(param) -> list[str]:
    names = ", ".join(f"\\fB{esc(n)}\\fR" for n in [*param.opts, *param.secondary_opts])
    if not param.is_flag:
        allowed = choices(param)
        if allowed:
            metavar = "|".join(allowed)
        else:
            metavar = param.metavar or param.name.upper()
        names += f" \\fI{esc(metavar)}\\fR"
    return [".TP", names, esc(" ".join((param.help or "").split()))]


PROSE = {
    "DESCRIPTION": """\
.B stage
inspects Amazon API Gateway stages: REST APIs, and HTTP and WebSocket APIs (API Gateway v2).
Give an API and a stage name, and it makes one GetStage call; or give
.B \\-\\-file
with a saved GetStage document (JSON or YAML, as printed by
.B aws apigateway get\\-stage
v1 or v2, or by
.BR "stage \\-o json" ).
Tables are for people; json and yaml keep the service's own shape for scripts.
.PP
Wherever a REST API is asked for, its id or its name will do. A word that looks like an id
(ten lower\\-case letters and digits) is used as one, at no extra cost; anything else, or an id
the service does not know, is looked up by name with GetRestApis (all pages). A name shared by
several APIs is an error (exit 2) that lists them with their ids.
.PP
With no API,
.BR list ,
.B check
and
.B snapshot
read every stage of every REST API in scope: each
.B \\-\\-profile
(an account) in each
.B \\-\\-region
(or
.BR \\-\\-all\\-regions ),
one GetRestApis page per 500 APIs and one GetStages per API, paced per account and region
.RB ( \\-\\-rate ).
What cannot be read is reported after the rest, and the exit status is 8.
.PP
.B snapshot DIR
writes into DIR in place, file by file (each file whole or not at all), holding a lock on DIR
(a second run at once is exit 75). It removes only the stage files it wrote itself (named in
.IR DIR/.stage\\-snapshot.json )
whose stages no longer exist, never a file of yours, and never follows a symbolic link below
DIR. Every (account, region, API id, stage) has its own file on every file system:
characters other than letters, digits, _ and \\- are written %xx (\\fB$default\\fR is
.BR %24default.json ),
Windows device names have their first letter so written, and capitals add ~ and a mask
.RB ( Prod~1.json ).
.B diff DIR
compares every account and region the snapshot holds (or the scope given, listing the
snapshot's other cells as not compared) and leaves out the fields the snapshot left out.
.PP
A saved document is read up to 50 MB; it must hold string keys, finite numbers, 64\\-bit
integers and timestamps in the years 1 to 9999; YAML aliases are read within a budget of 10,000
expanded values. Anything else is exit 2 (exit 5 for the same answer from the service).
.PP
The options of the
.B Output and AWS options
group are accepted by every command, before or after its arguments.""",
    "OUTPUT FORMATS": """\
.TP
.B table
The default. Colour only on a terminal;
.BR NO_COLOR ,
.B FORCE_COLOR
and
.B \\-\\-no\\-color
are honoured. On a terminal, dates are local with a relative age; piped, RFC 3339 in UTC.
Text from the service is shown literally: markup is not interpreted and control characters
(escape sequences, BEL, CR, bidi overrides, zero\\-width characters) appear as visible escapes.
.TP
.B json
The service's shape:
.B show
prints the GetStage document (ResponseMetadata dropped),
.B settings
prints methodSettings,
.B canary
prints canarySettings (null without a canary),
.B vars
prints variables. Timestamps are RFC 3339 in UTC with a Z.
.B settings \\-\\-effective
prints {stageDefaults, methods[{key, resourcePath, httpMethod, settings}]}, each setting as
{value, source} with source method, stage or service.
.B list
prints the list of stage documents, sorted by name; with no API,
{stages[{account, accountName, profile, region, restApiId, apiName, apiType, stage}], errors, skipped},
apiType being REST, HTTP or WEBSOCKET and restApiId the API's id in either family; accountName is
the organization's name for the account with
.BR \\-\\-org\\-role ,
else null.
.B diff
prints a list of changes {group, path, change, left, right}: group is settings,
methodSettings, routeSettings (v2 stages), variables, canary, tags, logging, cache or other; path is the list of keys from
the top of the document (jq's getpath reads it); change is changed, added (right only) or removed
(left only); left and right are null on the side where the field is absent.
.B check
prints {stageName, passed, deployedMethods{source, count, note}, parameters, checks[{id, source,
title, severity, status, note, findings[{where, reason}], fix, fixCommands, patchOperations}]}
with status pass, fail, not_applicable, not_evaluated, info or ignored; with no API, the
list schema above with checks added to each stage (a variable STAGE.5 flags has its value
replaced by "(not printed: looks like a secret, see STAGE.5)").
.TP
.B sarif
.B check
only: SARIF 2.1.0 as GitHub code scanning reads it, a rule per check with its help and
security\\-severity, a result per finding of a failing check, located in a file of the
repository: the saved or snapshot file at the offending key's line and column (a relative,
percent\\-encoded URI with uriBaseId %SRCROOT%, relative to \\-\\-sarif\\-root, default the current
directory), or for a live stage the path stage snapshot would write, its ARN a logical location.
Stable partialFingerprints, a runAutomationDetails.id per scope, cut to GitHub's upload limits
(said in the log and on stderr).
.TP
.B junit
.B check
only: Jenkins' junit\\-10.xsd: a testsuite per stage (file: its path), a testcase per check and per
place of a failing one, time on each; failures with the evidence and the fix, not evaluated and
not applicable as skipped with the reason as text, an error for each part of the scope that
could not be read.
.TP
.B github
.B check
only: GitHub Actions workflow commands, an ::error or ::warning annotation per finding at its
file and line, escaped as @actions/core escapes them.
.TP
.B gitlab
.B check
only: GitLab Code Quality JSON, a finding per finding (description, check_name, fingerprint,
severity, location.path, location.lines.begin).
.TP
.B html
.B list
and
.B check
only: one self\\-contained page (CSS and script inline, a Content\\-Security\\-Policy that allows no
request): summary counts by status, severity, control, region and account; a stages \\(mu controls
matrix; each finding with its evidence and fix commands; what could not be read. Filters and
sorting need JavaScript; the tables do not. Every value from the service is escaped.
.TP
.B yaml
The same data as json, through yaml.safe_dump.""",
    "EXIT STATUS": """\
.TP
.B 0
Success; for diff, the stages are identical; for check, no check failed.
.TP
.B 1
diff: the stages differ. check: at least one check failed; a check that could not be evaluated
alone exits 0 (reported as skipped) unless \\-\\-strict. history \\-\\-diff: the two
deployments differ. domains \\-\\-check: a domain check failed.
.TP
.B 2
Bad input: arguments, a stage name that cannot be valid, an unreadable or malformed file, an
API name shared by several APIs.
.TP
.B 3
Not found: the REST API or the stage (the stages that exist are named, closest first).
.TP
.B 4
Credentials or authorisation: none found, expired, unknown profile, access denied.
.TP
.B 5
Throttled or a service error after retries, or an answer that is not a stage, larger than
50 MB or nested deeper than 64 levels.
.TP
.B 6
Network: the endpoint is unreachable or did not answer within the timeout.
.TP
.B 8
A fleet command (list, check, snapshot or diff DIR with no API; domains) could not read part of its
scope: what was read is printed, then what was not and why. A scope of one account and region
that fails whole exits with that error's code instead.
.TP
.B 70
Internal error.
.TP
.B 73
snapshot: a file or folder in DIR cannot be created or replaced: read\\-only, or a symbolic link.
.TP
.B 74
Standard output could not be written (a full disk), or a snapshot file could not (an I/O error).
.TP
.B 75
snapshot: another stage snapshot is writing DIR; try again when it is done.
.TP
.B 130
Interrupted.
.TP
.B 143
Terminated (SIGTERM): stopped as after Ctrl\\-C, every snapshot file whole.
.TP
.B 141
Standard output was closed early.
.PP
When the error's own line cannot be written to standard error (a full disk, stderr closed), the
exit status is still the error's.""",
    "ENVIRONMENT": """\
.TP
.B STAGE_OUTPUT
Default for \\-\\-output.
.TP
.B STAGE_COMPLETE_CACHE_TTL
Seconds a completion answer is cached (default 120; 0 turns the cache off).
.TP
.BR AWS_PROFILE ", " AWS_REGION ", " AWS_ENDPOINT_URL ", " AWS_CONFIG_FILE ", " AWS_SHARED_CREDENTIALS_FILE
Read by botocore as in the AWS CLI, SSO profiles included.
.TP
.BR AWS_MAX_ATTEMPTS ", " AWS_RETRY_MODE
Attempts per call in all (1\\-20, default 3) and botocore's retry mode (standard, the default:
exponential backoff with jitter; adaptive; legacy); the profile's max_attempts and retry_mode
apply when these are unset.
.TP
.BR NO_COLOR ", " FORCE_COLOR ", " COLUMNS
Colour and width of tables.""",
    "FILES": """\
.TP
.I $XDG_CACHE_HOME/apigw\\-stage/completion/
Cached API ids, stage names, custom domain names and deployment ids for TAB completion (default
.IR ~/.cache/apigw\\-stage/completion/ ;
directory mode 0700, files 0600). Used only when it and its parent
.I apigw\\-stage
are real directories, not links, owned by the user and writable by no one else.
.TP
.I DIR/.stage\\-snapshot.json
Marks DIR as a snapshot of stage's and names every file stage wrote there, the accounts,
regions and fields left out.
.TP
.IR completions/stage.bash ", " completions/_stage ", " completions/stage.fish
Completion scripts for bash, zsh and fish.""",
    "EXAMPLES": """\
.nf
stage show a1b2c3d4e5 prod
stage list petstore
stage diff petstore prod staging \\-\\-ignore deploymentId \\e
    \\-\\-ignore lastUpdatedDate
stage diff petstore:prod petstore:prod \\-\\-right\\-region us\\-east\\-1
stage diff a1b2c3d4e5:prod snapshots/prod.json
stage check a1b2c3d4e5 prod \\-\\-ignore APIGateway.4
stage settings a1b2c3d4e5 prod \\-\\-effective
stage canary a1b2c3d4e5 prod \\-o json | jq .percentTraffic
stage vars a1b2c3d4e5 prod \\-\\-canary \\-\\-profile ops \\-\\-region eu\\-west\\-1
stage show \\-\\-file examples/prod\\-stage.json \\-o yaml
stage list \\-\\-profile prod \\-\\-profile dev \\-\\-all\\-regions \\-o json
stage \\-\\-region eu\\-west\\-1 show a1b2c3d4e5 '$default'
stage show web prod \\-\\-file fleet.json
stage check \\-\\-region us\\-east\\-1 \\-o sarif > stage.sarif
stage check snapshot/ \\-o junit > stage.xml
stage check \\-\\-file stages.json \\-o gitlab > gl\\-code\\-quality\\-report.json
stage snapshot fleet/ \\-\\-ignore lastUpdatedDate && git \\-C fleet diff
stage domains \\-\\-region us\\-east\\-1 \\-\\-region eu\\-west\\-1 \\-\\-check
stage history a1b2c3d4e5 prod \\-o json \\-\\-query rollback.command
aws apigateway get\\-stage \\-\\-rest\\-api\\-id a1b2c3d4e5 \\-\\-stage\\-name prod \\e
    | stage show \\-f \\-
.fi""",
    "SEE ALSO": """\
.BR aws (1),
.BR jq (1)""",
}


def _checks() -> str:
    """What `stage check` evaluates, from the checks' own definitions."""
    from apigw_stage.checks.registry import ALL

    lines = ["AWS Security Hub's API Gateway controls (APIGateway.n), AWS Config's rules of their own",
             "(Config.AccessLogs, apigateway-stage-access-logs-enabled, --ignore also takes APIGateway.9;",
             "Config.Caching, api-gw-cache-enabled-and-encrypted, informational) and checks of our own",
             "(STAGE.n), judged on the methods deployed on the stage (its export) and, for HTTP and",
             "WebSocket APIs, on the API's routes and integrations (GetRoutes, GetIntegrations).",
             "A method with a settings entry takes every setting from it (a field it lacks is the service",
             "default: logging OFF); a method without one follows */*. Status: pass, fail, not_applicable,",
             "not_evaluated (the deployed methods, routes or integrations are unknown, as with --file),",
             "info or ignored. --param [ID:]NAME=VALUES takes AWS Config's rule parameters loggingLevel,",
             "CertificateIDs, WebAclArns, authorizationType and stage's own integrationTypes (APIGateway.2).",
             "--list-controls prints every control with its Config rule, resource types and source page."]
    for check in ALL:
        lines += [".TP", f".B {esc(check.id)}", esc(f"{check.title} ({check.severity}). {check.why}")]
    from apigw_stage.checks.registry import DOMAIN_CHECKS

    lines += [".PP", "stage domains checks each custom domain (DOMAIN.n; fail, or warn for DOMAIN.2):"]
    for check in DOMAIN_CHECKS:
        lines += [".TP", f".B {esc(check.id)}", esc(f"{check.title} ({check.severity}). {check.why}")]
    return "\n".join(lines)


def render(group) -> str:
    out = [
        f'.TH STAGE 1 "" "stage {__version__}" "User Commands"',
        ".SH NAME",
        "stage \\- inspect Amazon API Gateway stages (REST, HTTP and WebSocket APIs)",
        ".SH SYNOPSIS",
    ]
    for name, command in group.commands.items():
        arguments = " ".join(p.metavar for p in command.params if p.param_type_name == "argument")
        out += [f".B stage {esc(name)}", f"[\\fIOPTIONS\\fR] \\fI{esc(arguments)}\\fR", ".br"]
        if any("--file" in p.opts for p in command.params):
            out += [f".B stage {esc(name)}", "[\\fIOPTIONS\\fR] \\fB\\-\\-file\\fR \\fIPATH\\fR", ".br"]
    out += [".B stage", "\\fB\\-\\-version\\fR | \\fB\\-\\-help\\fR | \\fB\\-\\-install\\-completion\\fR"]
    out += [".SH DESCRIPTION", PROSE["DESCRIPTION"]]
    for name, command in group.commands.items():
        out.append(f'.SH "STAGE {esc(name.upper())}"')
        for index, paragraph in enumerate(_paragraphs(command.help)):
            if index:
                out.append(".PP")
            out.append(esc(paragraph))
        out += [".PP", "Options:"]
        for param in options(command):
            out += _option_lines(param)
    out += [".SH GLOBAL OPTIONS"]
    for param in options(group):
        out += _option_lines(param)
    out += [".SH CHECKS", _checks()]
    for section in ("OUTPUT FORMATS", "EXIT STATUS", "ENVIRONMENT", "FILES", "EXAMPLES", "SEE ALSO"):
        out += [f".SH {section}", PROSE[section]]
    return "\n".join(out) + "\n"
