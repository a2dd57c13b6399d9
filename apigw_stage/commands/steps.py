"""The steps commands share: where a stage comes from (check_where, where_label), loading it
(load), its deployed methods (deployed_and_region), and a fleet scan as a command runs it (the
progress display on a terminal, and the exit status of a scan that could not read everything)."""

from apigw_stage.core import names
from apigw_stage.core.errors import INCOMPLETE, StageError, UsageError
from apigw_stage.sources.stage import Where, fetch_stage


def check_where(api_id: str | None, stage: str | None, file: str | None) -> Where:
    if file is not None:
        if api_id is not None and stage is not None:  # a stage picked from a saved fleet listing
            names.check_api(api_id)
            names.check_stage(stage)
            return Where(api_id=api_id, stage=stage, file=file)
        if api_id is not None or stage is not None:
            raise UsageError("give either API STAGE or --file, not both")
        return Where(file=file)
    if api_id is None or stage is None:
        missing = "API and STAGE" if api_id is None else "STAGE"
        raise UsageError(f"missing {missing} (or --file PATH)", "see --help")
    names.check_api(api_id)
    names.check_stage(stage)
    return Where(api_id=api_id, stage=stage)


def where_label(where, api_id: str | None = None) -> str:
    """How a title names the source: a file, or the API (by the name given and its id)."""
    if where.file is not None:
        return "from standard input" if where.file == "-" else f"from {where.file}"
    if api_id and api_id != where.api_id:
        return f"API {where.api_id} ({api_id})"
    return f"API {where.api_id}"


def load(common, api_id, stage, file, family=None, clients: dict | None = None):
    """Step one of every one-stage command: the stage (sources/stage.Stage: document, API id,
    family, protocol) and how to name where it came from. `family`: a --family choice."""
    from apigw_stage.commands.options import family_of

    where = check_where(api_id, stage, file)
    found = fetch_stage(where, common.target(), clients, family=family_of(family))
    return found, where_label(where, found.api_id)


def deployed_and_region(common, where, found, clients: dict):
    """The deployed methods of stage `found` (sources/stage.Stage; one GetExport call,
    model/deployed.py says why; None for a family whose stages have none) and the region its
    API lives in; from a file both are unknown."""
    from apigw_stage.model import deployed

    has_methods = found.family.has_methods
    if where.file is not None:
        unknown = deployed.unknown("read from a file; they come from the stage's export, so give API STAGE")
        return (unknown if has_methods else None), common.region
    from apigw_stage.sources import exports
    from apigw_stage.sources.stage import client_for

    client = client_for(common.target(), clients, found.family)
    return (exports.methods_of(client, found.api_id, found.doc) if has_methods else None), client.region


def limits_of(common, where, found, clients: dict):
    """The account throttle and usage plans of stage `found` (sources/limits.fetch; v2: the
    account only), for the limits checks; from a file, what a snapshot recorded beside it.
    None when not read: a refusal or an endpoint without them is not the stage's failure (the
    checks then say not applicable); a network failure still ends the command (exit 6)."""
    from apigw_stage.core.errors import NetworkError

    if where.file is not None:
        from apigw_stage.sources.limits_files import beside

        return beside(where.file, found.doc, found.api_id)
    from apigw_stage.sources import limits as calls
    from apigw_stage.sources.stage import client_for

    client = client_for(common.target(), clients)
    try:
        if found.family.has_methods:
            return calls.fetch(client, found.api_id, str(found.doc.get("stageName") or ""))
        return {"account": calls.account(client), "plans": [], "key": None}
    except NetworkError:
        raise
    except StageError:
        return None


def api_parts(common, where, found, clients: dict):
    """The routes and integrations of the v2 API of stage `found` (model/v2_parts.ApiParts; two
    calls, GetRoutes and GetIntegrations, when each fits one page), None for a REST stage. From
    a file, or when a call fails, they are unknown and say why: the checks that need them are
    then not evaluated, while the stage's own checks still run."""
    from apigw_stage.model import v2_parts

    if found.family.has_methods:
        return None
    if where.file is not None:
        return v2_parts.unknown("read from a file: routes and integrations are not in a stage document; give API STAGE")
    from apigw_stage.sources import v2 as calls
    from apigw_stage.sources.stage import client_for

    try:
        return calls.api_parts(client_for(common.target(), clients, found.family), found.api_id)
    except StageError as exc:
        return v2_parts.unknown(f"routes and integrations not read: {exc.message}")


class Incomplete(StageError):
    code = INCOMPLETE


class _Failed(StageError):
    """One cell's error, re-raised with the code it had on its own."""

    def __init__(self, failure):
        super().__init__(failure.reason)
        self.code = failure.code


def scan(common, scope):
    """Scan `scope` with a progress display on stderr when that is a terminal and the output a
    table. A scope of one account and region that failed as a whole raises that error (exit
    4, 5, 6 as for one API); otherwise failures are results (so are the cell's unread
    HTTP/WebSocket APIs when its REST APIs were read)."""
    from apigw_stage.render import progress
    from apigw_stage.sources.fleet import scan as scanner

    seen: list = []  # the last progress state, to say how far an interrupted scan got

    def note(state):
        seen[:] = [state]

    try:
        if progress.wanted(common.env):
            with progress.Display(common.env) as display:
                result = scanner.scan(scope, lambda state: (note(state), display(state)))
        else:
            result = scanner.scan(scope, note)
    except KeyboardInterrupt:
        if seen:
            common.env.stderr.write(progress.how_far(seen[0]) + "\n")
            common.env.stderr.flush()
        raise
    only = result.failures[0] if result.cells == 1 and len(result.failures) == 1 else None
    if only is not None and only.api_id is None and only.family is None:
        raise _Failed(only)
    return result


def finish(result) -> None:
    """After the output: exit INCOMPLETE with one stderr line when something was not read."""
    if result.failures and not result.stages and all(f.api_id is None for f in result.failures):
        # Nothing read at all (issue 19): say which regions failed and why, not only how many.
        parts = [f"{f.region} ({f.account.label}): {f.reason}" for f in result.failures[:5]]
        more = len(result.failures) - len(parts)
        raise Incomplete("incomplete: no region could be read: " + "; ".join(parts)
                         + (f"; and {more} more" if more > 0 else ""), "see errors in -o json")
    if result.failures:
        count = len(result.failures)
        raise Incomplete(f"incomplete: {count} part{'s' if count != 1 else ''} of the scope not read",
                         "see Not read in the table or errors in json")
