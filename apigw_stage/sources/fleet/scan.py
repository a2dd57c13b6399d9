"""Read every stage of a scope: per (account, region) one GetRestApis page per 500 APIs, then
one GetStages per API (it returns each stage's full document, so nothing is fetched per stage);
and for HTTP and WebSocket APIs (apigatewayv2) the GetApis pages, then GetStages (all pages) per
API. Both families' calls of a cell share its one token bucket: one control-plane quota.

A caller allowed to read REST APIs but not v2 ones (403 on GetApis) gets the REST stages and a
skipped part "HTTP/WebSocket APIs not read: ..." (shown, not an error: exit 0), and the other way
round ("REST APIs not read: ..." when GetRestApis is denied and GetApis answers); any other
failure of GetApis makes the cell incomplete (exit 8) while keeping its REST stages.

Cells (account × region) and APIs are read in parallel by a few daemon threads, each cell paced by
its own token bucket (pacing.py) that aws.Client consults before every attempt. Every cell and
every API ends as stages, a failure or (only for --all-regions) a skipped region: the scan always
finishes and nothing is dropped. Ctrl-C sets a stop flag that waiting calls see within 0.1 s;
the threads are daemons, so a call stuck in the network never holds the exit."""

import threading
import time
from dataclasses import dataclass, field

from apigw_stage.core import families
from apigw_stage.core.errors import AuthError, NotFound, StageError
from apigw_stage.sources.fleet.pacing import Buckets, Stopped
from apigw_stage.sources.fleet.accounts import sts_account, wants_sts
from apigw_stage.sources.fleet.pool import Pool
from apigw_stage.sources.fleet.scope import Account, Cell, Scope, cells as scope_cells

WORKERS_PER_CELL = 3  # enough to keep 8-10 calls/s going at 100-300 ms a call
MAX_WORKERS = 16  # for the GetRestApis of cells; each cell's APIs have their own lane


@dataclass(frozen=True)
class StageResult:
    account: Account
    region: str
    api_id: str
    api_name: str | None
    doc: dict  # the normalised GetStage document (v2: the camelCase v2 document, v2/document.py)
    deployed: object = None  # deployed.Deployed with --methods (one GetExport per deployment), else None
    family: families.Family = families.REST
    protocol: str | None = None  # v2: HTTP or WEBSOCKET (GetApis' protocolType)
    parts: object = None  # v2 with scope.parts: model/v2_parts.ApiParts, the API's routes and integrations


@dataclass(frozen=True)
class Failure:
    """Something in scope that was not read: a whole cell (api_id None) or one API."""

    account: Account
    region: str
    reason: str
    code: int  # the exit code the error would have had on its own
    api_id: str | None = None
    api_name: str | None = None
    skipped: bool = False  # a region not enabled for the account (--all-regions): not an error
    family: families.Family | None = None  # only this family's APIs of the cell were not read (None: all)


@dataclass
class Scan:
    stages: list = field(default_factory=list)
    failures: list = field(default_factory=list)  # not read: errors
    skipped: list = field(default_factory=list)  # regions not enabled (Failure with skipped=True)
    cells: int = 0
    scanned: list = field(default_factory=list)  # every Cell of the scope, with the account id where known
    apis: int = 0
    calls: int = 0
    throttled: int = 0

    @property
    def complete(self) -> bool:
        return not self.failures


@dataclass
class Progress:
    """What a progress display shows; updated on the main thread only."""

    regions_total: int = 0
    regions_done: int = 0
    accounts_total: int = 0
    accounts_done: int = 0
    calls: int = 0
    started: float = 0.0  # time.monotonic() at the start
    apis_total: int = 0
    apis_done: int = 0
    throttled: int = 0


def _reason(exc: BaseException) -> tuple[str, int]:
    if isinstance(exc, StageError):
        return (f"{exc.message} ({exc.hint})" if exc.hint else exc.message), exc.code
    from apigw_stage.core.errors import INTERNAL

    # A bug of ours; the exception's own text is left out (it can carry request data).
    return f"internal error: {type(exc).__name__} (please report it)", INTERNAL


def _not_enabled(exc: BaseException) -> bool:
    """An opt-in region the account has not enabled answers every call with an invalid token."""
    return isinstance(exc, AuthError) and "security token" in exc.message.lower()


def scan(scope: Scope, progress=None, stop: threading.Event | None = None) -> Scan:
    """Every stage in `scope`. `progress(Progress)` is called on the main thread after each step."""
    from apigw_stage.sources import files as document
    from apigw_stage.sources.aws import Client, Sessions
    from apigw_stage.core.target import Target
    from apigw_stage.sources import v2 as v2calls

    stop = stop or threading.Event()
    buckets = Buckets(scope.rate, scope.burst, stop)
    sessions = Sessions()  # one per profile: its credentials and the service models are read once
    members = None
    if scope.org_role:
        from apigw_stage.sources.fleet import org

        members = org.members(scope, sessions, buckets.get(("organizations",)))
    cells = scope_cells(scope, members)
    result = Scan(cells=len(cells))
    state = Progress(regions_total=len(cells), started=time.monotonic())
    pool = Pool(min(MAX_WORKERS, max(2, len(cells))), stop)
    clients: dict = {}  # account -> its clients, until the account is done
    lock = threading.Lock()  # for clients: cells open on worker threads
    counted = [0, 0]  # calls and throttled answers of the clients of accounts done

    def tick():
        if progress is not None:
            live = [c for each in clients.values() for c in each]
            state.throttled = counted[1] + sum(getattr(c, "throttled", 0) for c in live)
            state.calls = counted[0] + sum(c.calls for c in live)
            progress(state)

    def open_cell(cell: Cell):
        key = (cell.account.account_id or f"profile:{cell.account.profile_name}", cell.region)
        target = Target(cell.account.profile, cell.region, scope.endpoint_url, scope.timeout, scope.debug,
                        cell.account.role)
        client = Client(target, limiter=buckets.get(key), sessions=sessions)
        # The same bucket: REST and v2 management calls count against one quota per account and region.
        v2_client = Client(target, limiter=buckets.get(key), service=families.V2.service, sessions=sessions)
        with lock:
            clients.setdefault(cell.account, []).extend((client, v2_client))

        def v2_apis():
            return [{"id": a.get("ApiId"), "name": a.get("Name"), "protocol": a.get("ProtocolType"),
                     "family": families.V2} for a in v2calls.get_apis(v2_client)]

        try:
            rest = [{**a, "family": families.REST} for a in client.get_rest_apis()]
        except AuthError as denied:
            # Bad credentials, a region not enabled, or a caller with rights on v2 APIs only: only
            # GetApis tells them apart. Refused too: the credentials (or region) are the problem.
            # Failing otherwise (throttled, unreachable): the REST denial stands and so does that.
            try:
                return client, v2_client, v2_apis(), [(families.REST, denied)]
            except AuthError:
                raise denied from None
            except StageError as exc:
                return client, v2_client, [], [(families.REST, denied), (families.V2, exc)]
        try:
            return client, v2_client, rest + v2_apis(), []
        except StageError as exc:  # the REST part was read: keep it, say what was not
            return client, v2_client, rest, [(families.V2, exc)]

    def read_api(cell: Cell, client, api: dict):
        if api["family"] is families.V2:
            try:
                docs = [document.from_service_v2(s) for s in v2calls.get_stages(client, api["id"])]
            except NotFound:  # deleted since GetApis listed it
                return []
            parts = read_parts(client, api) if docs and scope.parts else None
            return [(doc, None, parts) for doc in docs]
        return [(doc, found, None) for doc, found in read_rest(client, api)]

    def read_parts(client, api: dict):
        """The API's routes and integrations, once for all its stages (check: APIGateway.8, .10);
        a failure leaves them unknown with the reason, the stages are still checked."""
        from apigw_stage.model import v2_parts

        try:
            return v2calls.api_parts(client, api["id"])
        except StageError as exc:
            return v2_parts.unknown(f"routes and integrations not read: {exc.message}")

    def read_rest(client, api: dict):
        try:
            docs = [document.from_service(s) for s in client.get_stages(api["id"])]
        except NotFound:  # deleted since GetRestApis listed it: it has no stages now
            return []
        if not scope.methods:
            return [(doc, None) for doc in docs]
        from apigw_stage.sources import exports

        by_deployment: dict = {}  # stages of one deployment deploy the same methods: one export
        out = []
        for doc in docs:
            key = doc.get("deploymentId") or id(doc)
            if key not in by_deployment:
                by_deployment[key] = exports.methods_of(client, api["id"], doc)
            out.append((doc, by_deployment[key]))
        return out

    try:
        # Account ids first: they key the pacing buckets (two profiles of one account share one).
        accounts = list(dict.fromkeys(c.account for c in cells))
        known: dict = {}
        broken: dict = {}
        if wants_sts(scope):
            for account in accounts:
                if not account.account_id:
                    pool.submit("sts", sts_account, account, scope, buckets.get(("sts", account.profile_name)), sessions)
            while pool.pending:
                _tag, (account, *_), value, exc = pool.next()
                if isinstance(exc, Exception):  # ours (AuthError) or a bug: the profile's cells fail with it
                    broken[account] = exc
                elif isinstance(exc, BaseException) and not isinstance(exc, Exception):
                    raise exc
                elif value:
                    known[account] = value
        result.scanned = [_with_account(c, known) for c in cells]
        by_account: dict = {}  # account -> its cells, in order: accounts start --parallel at a time
        for cell in result.scanned:
            by_account.setdefault(cell.account, []).append(cell)
        waiting = list(by_account)[::-1]
        state.accounts_total = len(by_account)
        busy: dict = {}  # account -> its tasks not yet done

        def submit(account, tag, fn, *args, lane=None):
            busy[account] = busy.get(account, 0) + 1
            pool.submit(tag, fn, *args, lane=lane)

        def start_cells(account, failed=None):
            for cell in by_account[account]:
                if failed is not None:
                    reason, code = _reason(failed)
                    result.failures.append(Failure(cell.account, cell.region, reason, code))
                    state.regions_done += 1
                else:
                    submit(account, "cell", open_cell, cell)

        def done(account):
            busy[account] -= 1
            if busy[account] == 0:
                del busy[account]
                finished(account)

        def finished(account):
            state.accounts_done += 1
            for client in clients.pop(account, ()):
                counted[0] += client.calls
                counted[1] += getattr(client, "throttled", 0)
            if account.role is not None:
                sessions.drop(account.profile, account.role)
            start_next()

        def start_next():
            while waiting and len(busy) < max(1, scope.parallel):
                account = waiting.pop()
                if account in broken:
                    start_cells(account, broken[account])
                    finished(account)
                elif account.role is not None:
                    submit(account, "assume", sessions.assume, account.profile, account.role)
                else:
                    start_cells(account)
                    if account not in busy:
                        finished(account)

        start_next()
        tick()
        opened: dict = {}  # account -> cells read, to tell a disabled region from bad credentials
        maybe_disabled: list = []
        while pool.pending:
            tag, args, value, exc = pool.next()
            if isinstance(exc, (KeyboardInterrupt, SystemExit)):
                raise exc
            if tag == "assume":
                account = next(a for a in busy if a.profile == args[0] and a.role == args[1])
                if isinstance(exc, Stopped):
                    raise KeyboardInterrupt
                start_cells(account, exc)
                done(account)
                tick()
                continue
            account = args[0].account
            if tag == "cell":
                (cell,) = args
                state.regions_done += 1
                if exc is not None:
                    if isinstance(exc, Stopped):
                        raise KeyboardInterrupt
                    if scope.all_regions and _not_enabled(exc):
                        maybe_disabled.append((cell, exc))
                    else:
                        reason, code = _reason(exc)
                        result.failures.append(Failure(cell.account, cell.region, reason, code))
                    done(account)
                    tick()
                    continue
                opened[cell.account] = opened.get(cell.account, 0) + 1
                client, v2_client, apis, unread = value
                for family, error in unread:
                    reason, code = _reason(error)
                    if isinstance(error, AuthError):  # the credentials work (the other family answered): no login hint
                        reason = error.message
                    what = "REST APIs" if family is families.REST else "HTTP/WebSocket APIs"
                    part = Failure(cell.account, cell.region, f"{what} not read: {reason}", code,
                                   family=family, skipped=isinstance(error, AuthError))
                    (result.skipped if part.skipped else result.failures).append(part)
                for api in apis:
                    if not isinstance(api.get("id"), str):  # no call can name it: said, not dropped
                        result.failures.append(Failure(cell.account, cell.region, "the service listed an API "
                                                       "without an id", 5, None, _name(api), family=api["family"]))
                apis = [a for a in apis if isinstance(a.get("id"), str)]
                result.apis += len(apis)
                state.apis_total += len(apis)
                if apis:
                    lane = pool.lane(min(WORKERS_PER_CELL, len(apis)))
                    for api in apis:
                        submit(account, "api", read_api, cell, v2_client if api["family"] is families.V2 else client,
                               api, lane=lane)
                    pool.close(lane)
            else:
                cell, _client, api = args
                state.apis_done += 1
                if exc is not None:
                    if isinstance(exc, Stopped):
                        raise KeyboardInterrupt
                    reason, code = _reason(exc)
                    result.failures.append(Failure(cell.account, cell.region, reason, code,
                                                   api["id"], _name(api)))
                else:
                    protocol = api.get("protocol") if isinstance(api.get("protocol"), str) else None
                    result.stages.extend(StageResult(cell.account, cell.region, api["id"], _name(api), doc, found,
                                                     api["family"], protocol, parts)
                                         for doc, found, parts in value)
            done(account)
            tick()
        for cell, exc in maybe_disabled:
            reason, code = _reason(exc)
            if opened.get(cell.account):
                result.skipped.append(Failure(cell.account, cell.region, "region not enabled for this account",
                                              code, skipped=True))
            else:  # no region worked: the credentials are the problem, not the region
                result.failures.append(Failure(cell.account, cell.region, reason, code))
    except KeyboardInterrupt:
        stop.set()
        raise
    finally:
        pool.close()
    live = [c for each in clients.values() for c in each]
    result.calls = counted[0] + sum(c.calls for c in live)
    result.throttled = counted[1] + sum(getattr(c, "throttled", 0) for c in live)
    result.stages.sort(key=_stage_order)
    result.failures.sort(key=_failure_order)
    result.skipped.sort(key=_failure_order)
    return result


def _with_account(cell: Cell, known: dict) -> Cell:
    account_id = known.get(cell.account)
    if not account_id:
        return cell
    from dataclasses import replace

    return Cell(replace(cell.account, account_id=account_id), cell.region)


def _name(api: dict) -> str | None:
    name = api.get("name")
    return name if isinstance(name, str) else None


def _stage_order(s: StageResult):
    return (s.account.label, s.region, s.api_name or "", s.api_id, str(s.doc.get("stageName", "")))


def _failure_order(f: Failure):
    return (f.account.label, f.region, f.api_name or "", f.api_id or "")
