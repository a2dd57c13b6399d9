"""API Gateway over boto3: one client per (profile, region, endpoint), every HTTP attempt bounded
in total time, bounded retries, pacing and counting hooks for many threads, --debug lines, and
botocore errors turned into our typed errors (aws_errors). Imported only by commands that talk
to AWS.

Time bounds. botocore's timeouts are per socket operation, so an answer trickled a byte at a time
never times out. Here each HTTP attempt (connect, headers and body) runs on a helper thread and
the caller waits at most --timeout seconds for it; a late attempt counts as a read timeout and is
retried like one. One call therefore takes at most
    attempts x timeout + waits between attempts,
each wait being a throttled answer's Retry-After (capped at RETRY_AFTER_CAP) or botocore's
standard jittered backoff (< 1 s, then < 2 s): with the defaults 3 x 5 s + 2 x 10 s = 35 s.
`budget` optionally caps all calls of one client together.
"""

import functools
import json
import math
import os
import threading
import time
from urllib.parse import urlsplit

import botocore.exceptions as bex
from botocore.config import Config

from apigw_stage.sources.answers import ANSWER_LIMIT, TooDeep, TooLarge, fetch, is_json
from apigw_stage.sources.aws_errors import NotJson, OutOfTime, translate
from apigw_stage.core.errors import AuthError, ServiceError, UsageError
from apigw_stage.model.shape import DEPTH_LIMIT
from apigw_stage.core.target import Target
from apigw_stage.sources.sessions import Sessions, _assumed, _new_session  # noqa: F401  (Sessions: the scan's)

MAX_ATTEMPTS = 3  # in all: the first try plus two retries
RETRY_AFTER_CAP = 10.0  # seconds; a Retry-After beyond this is not worth a CLI user's wait
DEFAULT_TIMEOUT = 5.0
MIN_TIMEOUT, MAX_TIMEOUT = 0.1, 600.0  # seconds per attempt; beyond ten minutes a CLI is stuck
# GetRestApis pages of 500: 1,000 pages are 500,000 APIs, far above the quota of 600 per region,
# so a service still paging after that is looping.
MAX_PAGES = 1000


def _retry_after(response=None, attempts=1, limit=MAX_ATTEMPTS, **_):
    """Honour a throttled answer's Retry-After (botocore's standard mode ignores it)."""
    if response is None or attempts >= limit:
        return None
    http = response[0]
    if http.status_code not in (429, 503):
        return None
    value = http.headers.get("Retry-After")
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        return None
    if not math.isfinite(seconds):
        return None
    return min(max(seconds, 0.0), RETRY_AFTER_CAP)


def check_timeout(value) -> float:
    if value is None:
        return DEFAULT_TIMEOUT
    if not (isinstance(value, (int, float)) and math.isfinite(value) and MIN_TIMEOUT <= value <= MAX_TIMEOUT):
        raise UsageError(f"--timeout must be a number of seconds from {MIN_TIMEOUT:g} to {MAX_TIMEOUT:g}, not {value!r}")
    return float(value)


def check_endpoint(url: str, name: str) -> str:
    """`url` if it is http(s)://host[:port][/path], else a usage error naming `name`."""
    try:
        parts = urlsplit(url)
        port = parts.port  # raises ValueError when out of 0-65535 or not a number
    except ValueError:
        parts, port = None, 0
    if parts is None or port == 0 or parts.scheme not in ("http", "https") or not parts.hostname \
            or any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in url):
        raise UsageError(f"{name} is not an http(s)://HOST[:PORT] URL with a port from 1 to 65535: {_as_given(url)!r}")
    return url


def _as_given(url: str) -> str:
    """A URL that failed to parse, for its error message: as given, but whatever stands before an
    '@' (user:password) hidden, and cut at 200 characters."""
    if "@" in url:
        url = "…@" + url.rsplit("@", 1)[1]
    return url if len(url) <= 200 else url[:200] + "…"


def masked(url: str) -> str:
    """scheme://host[:port] of `url`: no userinfo (it may hold a password), path or query."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or "?"
        if ":" in host:
            host = f"[{host}]"
        port = f":{parts.port}" if parts.port else ""
    except ValueError:
        return "the endpoint"
    return f"{parts.scheme}://{host}{port}" if parts.scheme else "the endpoint"


RETRY_MODES = ("standard", "adaptive", "legacy")
MOST_ATTEMPTS = 20  # AWS_MAX_ATTEMPTS beyond this is a typo, not a wish: minutes per failing call


def retry_settings(session, attempts: int | None = None) -> tuple[str, int]:
    """(retry mode, attempts in all) from the environment, then the profile, then our defaults."""
    scoped = session._session.get_scoped_config()
    mode = os.environ.get("AWS_RETRY_MODE") or scoped.get("retry_mode") or "standard"
    if mode not in RETRY_MODES:
        raise UsageError(f"retry mode {mode!r} (AWS_RETRY_MODE or the profile's retry_mode) is not one of "
                         + ", ".join(RETRY_MODES))
    if attempts is None:
        given = os.environ.get("AWS_MAX_ATTEMPTS") or scoped.get("max_attempts")
        if given is None:
            return mode, MAX_ATTEMPTS
        try:
            attempts = int(str(given).strip())
        except ValueError:
            attempts = 0
        if not 1 <= attempts <= MOST_ATTEMPTS:
            raise UsageError(f"max attempts {str(given)[:20]!r} (AWS_MAX_ATTEMPTS or the profile's max_attempts) "
                             f"is not a whole number from 1 to {MOST_ATTEMPTS}")
    return mode, attempts


class Client:
    """API Gateway calls for one Target.

    `call(operation, **params)` makes one API call (`call("get_stage", restApiId=..., stageName=...)`)
    with at most `attempts` HTTP attempts, each at most the target's timeout in total; errors come
    back as our typed errors. A Client is thread-safe like the boto3 client it wraps.

    limiter: any object with `.acquire()`; called before every HTTP attempt, retries included (a
        token bucket shared by the threads that talk to one account and region). The wait is not
        part of the attempt's time.
    budget: seconds for all calls of this client together (None: no cap beyond each call's).
    service: botocore's service name, `apigateway` (REST) or `apigatewayv2` (HTTP, WebSocket).
    sessions: a Sessions pool shared by the clients of one run (None: a session of its own).
    Counters: `calls` is the number of HTTP attempts made, `throttled` the 429 answers among them.
    """

    def __init__(self, target: Target, attempts: int | None = None, limiter=None, budget: float | None = None,
                 service: str = "apigateway", sessions: Sessions | None = None):
        self.target = target
        self.attempts = attempts or MAX_ATTEMPTS  # until the profile's settings are read below
        self.timeout = check_timeout(target.timeout)
        if target.endpoint_url is not None:
            check_endpoint(target.endpoint_url, "--endpoint-url")
        self._limiter = limiter
        self._deadline = None if budget is None else time.monotonic() + budget
        self._lock = threading.Lock()
        self._local = threading.local()
        self.calls = 0
        self.throttled = 0
        self.region = None
        try:
            # AWS_REGION is what the AWS CLI v2 and the other SDKs read first; boto3 reads only
            # AWS_DEFAULT_REGION, so pass it on ourselves.
            region = target.region or os.environ.get("AWS_REGION") or None
            if sessions is None:
                session = _new_session(target.profile, region)
                if target.role is not None:
                    session = _assumed(session, target.role)
                config = self._config(session, attempts)
                self._api = session.client(service, endpoint_url=target.endpoint_url, config=config)
            else:
                with sessions.lock:
                    session = sessions.get(target.profile, target.role)
                    config = self._config(session, attempts)
                    self._api = session.client(service, region_name=region, endpoint_url=target.endpoint_url,
                                               config=config)
            # As given (a FIPS pseudo-region stays one, in messages and fix commands), else the
            # profile's region.
            self.region = region or session.region_name or self._api.meta.region_name
            self._check_settings(session)
        except (bex.BotoCoreError, bex.ClientError) as exc:  # ClientError: an AssumeRole refused
            raise self._translate(exc) from None
        except OSError as exc:
            # botocore runs a profile's credential_process while making the client and lets
            # the OSError of a missing or unrunnable program through.
            raise AuthError(f"could not get credentials for profile {target.profile_name()!r}: {exc.strerror or type(exc).__name__}",
                            "check the profile's credential_process") from None
        except json.JSONDecodeError:
            # A credential_process whose output is not JSON: botocore lets json's error through.
            raise AuthError(f"could not get credentials for profile {target.profile_name()!r}: its credential_process "
                            "did not print JSON", "check the profile's credential_process") from None
        except ValueError:  # a malformed endpoint from AWS_ENDPOINT_URL or the config
            raise UsageError("the endpoint URL (AWS_ENDPOINT_URL or the profile's endpoint_url) is not valid") from None
        self._http = self._api._endpoint.http_session
        # API Gateway answers JSON; STS (the query protocol) answers XML, which is not a proxy's page.
        self._json = self._api.meta.service_model.protocol in ("json", "rest-json")
        self._operations = self._api.meta.method_to_api_mapping
        events = self._api.meta.events
        service_id = self._api.meta.service_model.service_id.hyphenize()  # api-gateway, apigatewayv2
        events.register_first(f"needs-retry.{service_id}", functools.partial(_retry_after, limit=self.attempts))
        events.register(f"before-send.{service_id}", self._send)

    def _config(self, session, attempts: int | None) -> Config:
        """botocore's retry modes as the user set them (AWS_RETRY_MODE, AWS_MAX_ATTEMPTS, then the
        profile's retry_mode / max_attempts, as the AWS CLI reads them), else standard mode with 3
        attempts: exponential backoff with full jitter (botocore/retries/standard.py). `attempts`
        given by the caller (TAB's 1) wins."""
        mode, attempts = retry_settings(session, attempts)
        self.attempts = attempts
        return Config(
            # Config's max_attempts counts retries only (unlike the config file's).
            retries={"mode": mode, "max_attempts": attempts - 1},
            # Per socket operation; the attempt's total is bounded in _send.
            connect_timeout=self.timeout,
            read_timeout=self.timeout,
            user_agent_appid="apigw-stage",
        )

    def _check_settings(self, session) -> None:
        """Before any call: the endpoint and CA bundle botocore will use, wherever they were set."""
        endpoint = self._api.meta.endpoint_url
        if self.target.endpoint_url is None:
            check_endpoint(endpoint, "the endpoint URL (AWS_ENDPOINT_URL or the profile's endpoint_url)")
        bundle = session._session.get_config_variable("ca_bundle")  # env AWS_CA_BUNDLE or the profile
        if endpoint.startswith("https:") and bundle and not os.path.isfile(bundle):
            # Exit 2: a setting names a file that is not there, like a --file that is not; the
            # network has not been tried, and no TLS fix is needed.
            source = "AWS_CA_BUNDLE" if os.environ.get("AWS_CA_BUNDLE") else "the profile's ca_bundle"
            raise UsageError(f"{source} names {bundle!r}, which is not a file", "point it at a PEM file of CA certificates")

    def _where(self) -> str:
        return f"profile {self.target.profile_name()!r}, region {self.region or self.target.region or '?'}"

    def _translate(self, exc: Exception):
        endpoint = masked(self._api.meta.endpoint_url) if hasattr(self, "_api") else "API Gateway"
        return translate(exc, self._where(), self.attempts, endpoint)

    def call(self, operation: str, **params):
        state = self._local
        state.operation, state.params, state.attempt = operation, params, 0
        try:
            return getattr(self._api, operation)(**params)
        except (bex.BotoCoreError, bex.ClientError, NotJson, OutOfTime) as exc:
            raise self._translate(exc) from None
        except (TooLarge, TooDeep) as exc:  # exit 5: the service's answer, not the user's input
            name = self._operations.get(operation, operation)
            what = (f"larger than {ANSWER_LIMIT // 2**20} MB" if isinstance(exc, TooLarge)
                    else f"nested more than {DEPTH_LIMIT} levels deep" + (f" at {exc.args[0]}" if exc.args else ""))
            raise ServiceError(f"the answer to {name} is {what}, far beyond any real answer",
                               "check --endpoint-url and the proxy settings") from None
        except (ValueError, TypeError, AttributeError, KeyError, OverflowError):
            # botocore's parser fails on answers no real service sends (a createdDate of 1e12,
            # GetStages items that are not objects): a bad answer, not a bug of ours.
            if self.target.debug:
                import traceback

                traceback.print_exc()
            name = self._operations.get(operation, operation)
            raise ServiceError(f"the answer to {name} is not in the shape the service model gives",
                               "--debug shows where reading it failed") from None

    def _send(self, request, **_):
        """botocore's before-send hook: make the HTTP attempt ourselves, on a helper thread, and
        give up on it after the timeout (a trickled answer would otherwise take unbounded time)."""
        if self._limiter is not None:
            self._limiter.acquire()
        with self._lock:
            self.calls += 1
        state = self._local
        state.attempt = getattr(state, "attempt", 0) + 1
        started = time.monotonic()
        limit = started + self.timeout
        budget_bound = self._deadline is not None and self._deadline < limit
        if budget_bound:
            limit = self._deadline
        box = {}

        def attempt():
            try:
                box["response"] = fetch(self._http, request)  # the body bounded (sources/answers.py)
            except BaseException as exc:  # handed back to the caller's thread below
                box["error"] = exc

        worker = threading.Thread(target=attempt, daemon=True, name="apigw-attempt")
        worker.start()
        worker.join(max(limit - time.monotonic(), 0))
        elapsed = time.monotonic() - started
        if worker.is_alive():  # abandoned: a daemon thread, ended by the socket timeout or exit
            error = OutOfTime() if budget_bound else bex.ReadTimeoutError(endpoint_url=masked(request.url))
        else:
            error = box.get("error")
        response = box.get("response")
        if response is not None and response.status_code == 429:
            with self._lock:
                self.throttled += 1
        # A streamed payload (GetExport's blob) is read later by botocore: reading it here would
        # leave botocore an exhausted stream.
        if self._json and response is not None and 200 <= response.status_code < 300 and not request.stream_output:
            try:
                if not is_json(response.content):
                    error = NotJson()
            except TooDeep as deep:
                error = deep
        if self.target.debug:
            self._debug(request, response, error, elapsed)
        if error is not None:
            raise error
        return response

    def _debug(self, request, response, error, elapsed: float) -> None:
        """One stderr line per HTTP attempt. Parameters are ours (ids, names, page positions);
        nothing from the request's headers, so no key, token or signature."""
        from apigw_stage.core.stderr import say

        state = self._local
        operation = getattr(state, "operation", None)
        name = self._operations.get(operation, operation or "?")
        params = ", ".join(f"{k}={v!r}" for k, v in (getattr(state, "params", None) or {}).items())
        if response is not None:
            outcome = f"HTTP {response.status_code}" + (", body not JSON" if isinstance(error, NotJson) else "")
        else:
            outcome = type(error).__name__
        line = (f"stage: debug: {name}({params}) region {self.region or '?'} endpoint {masked(self._api.meta.endpoint_url)}"
                f" attempt {state.attempt}/{self.attempts}: {outcome} in {elapsed * 1000:.0f} ms")
        say(line)  # a debug line that cannot be written must not end the call

    def get_stage(self, api_id: str, stage: str) -> dict:
        return self.call("get_stage", restApiId=api_id, stageName=stage)

    def get_stages(self, api_id: str) -> list:
        items = self.call("get_stages", restApiId=api_id).get("item") or []
        if not isinstance(items, list):
            raise ServiceError("GetStages answered with an `item` that is not a list")
        return items

    def get_rest_apis(self) -> list[dict]:
        """Every REST API of the account/region. GetRestApis pages by `position`; a position seen
        before, or more than MAX_PAGES pages, means the service is looping: exit 5, not forever."""
        apis, seen = [], set()
        params = {"limit": 500}
        for _ in range(MAX_PAGES):
            page = self.call("get_rest_apis", **params)
            items = page.get("items") or []
            if not isinstance(items, list) or not all(isinstance(a, dict) for a in items):
                raise ServiceError("GetRestApis answered with items that are not a list of APIs")
            apis.extend(items)
            position = page.get("position")
            if not position or not items:
                return apis
            if not isinstance(position, str) or position in seen:
                raise ServiceError("GetRestApis is paging in a loop (it sent the same position twice)",
                                   f"stopped after {len(seen) + 1} pages; try again later")
            seen.add(position)
            params = {"limit": 500, "position": position}
        raise ServiceError(f"GetRestApis still had more after {MAX_PAGES} pages ({len(apis)} APIs), far above the quota",
                           "the service is paging in a loop; try again later")


