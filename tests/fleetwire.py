"""A loopback API Gateway for fleet scans, in the real wire format: several regions behind one
endpoint (the region is read from the request's SigV4 credential scope, as AWS's regional
endpoints would separate them), GetRestApis pages by `position` honouring `limit`, GetStages,
and per-region faults: denied (403 AccessDeniedException), not enabled (403
UnrecognizedClientException, what an opt-in region the account has not enabled answers), a hang,
429 storms with Retry-After, and the control plane's rate limit (a token bucket per region,
429 TooManyRequestsException beyond it). Only ever binds 127.0.0.1. Used by tests/test_fleet_wire.py
and bench/fleet.py. It also answers STS GetCallerIdentity (POST, XML) for the account id of a
profile whose config does not name it, and AssumeRole for a profile with a role_arn.

HTTP and WebSocket APIs (apigatewayv2, same endpoint, paths under /v2): GetApis and GetStages page
by `nextToken` (`v2_page_max` items a page); `v2_faults` makes a region's /v2 paths only answer
403 AccessDeniedException (DENY: a caller with REST rights and none for v2) or 429 always
(THROTTLE); `rest_faults` denies the REST paths only (a caller with v2 rights only). Their answers
are camelCase with ISO 8601 timestamps, as botocore's apigatewayv2 model puts them on the wire."""

import json
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

_SCOPE = re.compile(r"Credential=[^/]+/\d{8}/([^/]+)/")
_STAGES = re.compile(r"^/restapis/([^/]+)/stages$")
_V2_STAGES = re.compile(r"^/v2/apis/([^/]+)/stages$")
DENY, NOT_ENABLED, HANG = "deny", "not-enabled", "hang"  # region faults; HANG is also a status
THROTTLE = "throttle"  # a v2 fault: every /v2 answer is 429


def _error(status: int, kind: str, message: str, headers: dict | None = None):
    return status, {"x-amzn-ErrorType": f"{kind}:http://internal.amazon.com/coral/", **(headers or {})}, \
        json.dumps({"message": message}).encode()


class Bucket:
    def __init__(self, rate: float, burst: int):
        self.rate, self.burst, self.tokens, self.last = rate, burst, float(burst), time.monotonic()
        self.lock = threading.Lock()

    def take(self) -> bool:
        with self.lock:
            now = time.monotonic()
            self.tokens = min(self.burst, self.tokens + (now - self.last) * self.rate)
            self.last = now
            if self.tokens >= 1:
                self.tokens -= 1
                return True
            return False


class FleetServer:
    def __init__(self, page_max: int = 500, rate: float | None = None, burst: int = 40):
        self.apis: dict[str, list[dict]] = {}  # region -> [{"id", "name"}]
        self.stages: dict[tuple[str, str], list[dict]] = {}  # (region, api id) -> stage documents
        self.faults: dict[str, str] = {}  # region -> DENY | NOT_ENABLED | HANG
        self.throttle: dict[str, int] = {}  # api id -> 429s to answer first ("always": -1)
        self.page_max = page_max
        self.v2_apis: dict[str, list[dict]] = {}  # region -> [{"apiId", "name", "protocolType"}]
        self.v2_stages: dict[tuple[str, str], list[dict]] = {}  # (region, api id) -> stage documents
        self.v2_page_max = 100
        self.v2_faults: dict[str, str] = {}  # region -> DENY | THROTTLE, on /v2 paths only
        self.rest_faults: dict[str, str] = {}  # region -> DENY, on REST paths only (a caller with v2 rights only)
        self.retry_after = "1"  # seconds, as a throttled answer of API Gateway carries it
        self.rate, self.burst = rate, burst
        self.buckets: dict[str, Bucket] = {}
        self.requests: list[tuple[str, str]] = []  # (region, path with query)
        self.throttled = 0
        self.account = "123456789012"  # what STS GetCallerIdentity answers
        self.sts_error: str | None = None  # an STS error code to answer instead (ExpiredToken)
        self.sts_requests: list[str] = []  # STS actions asked
        self.sts_regions: list[str] = []  # the region each STS request was signed for
        self._lock = threading.Lock()
        self._release = threading.Event()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_POST(self):
                """STS (the query protocol: a form body, an XML answer) for the account id."""
                length = int(self.headers.get("Content-Length") or 0)
                form = parse_qs(self.rfile.read(length).decode())
                match = _SCOPE.search(self.headers.get("Authorization", ""))
                with outer._lock:
                    outer.sts_regions.append(match.group(1) if match else "?")
                status, body = outer.sts(form.get("Action", ["?"])[0])
                self.send_response(status)
                self.send_header("Content-Type", "text/xml")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self):
                match = _SCOPE.search(self.headers.get("Authorization", ""))
                region = match.group(1) if match else "?"
                status, headers, body = outer.answer(region, self.path)
                if status == HANG:
                    outer._release.wait(60)
                    return
                self.send_response(status)
                for name, value in {"Content-Type": "application/json", **headers}.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"

    def add(self, region: str, api_id: str, name: str, stage_names=("prod",), **fields) -> None:
        self.apis.setdefault(region, []).append({"id": api_id, "name": name, "createdDate": 1700000000})
        self.stages[(region, api_id)] = [
            {"stageName": s, "deploymentId": "dep123", "createdDate": 1700000000, "lastUpdatedDate": 1700003600,
             "methodSettings": {}, **fields} for s in stage_names
        ]

    def add_v2(self, region: str, api_id: str, name: str, protocol: str = "HTTP", stage_names=("$default",),
               **fields) -> None:
        self.v2_apis.setdefault(region, []).append({"apiId": api_id, "name": name, "protocolType": protocol,
                                                    "createdDate": "2023-11-14T22:13:20Z"})
        self.v2_stages[(region, api_id)] = [
            {"stageName": s, "deploymentId": "v2dep1", "createdDate": "2023-11-14T22:13:20Z",
             "lastUpdatedDate": "2023-11-14T23:13:20Z", "autoDeploy": True, "defaultRouteSettings":
             {"detailedMetricsEnabled": False}, "routeSettings": {}, "stageVariables": {}, "tags": {}, **fields}
            for s in stage_names
        ]

    def _v2(self, region: str, path: str, query: dict):
        if self.v2_faults.get(region) == THROTTLE:
            return self._throttled()
        if self.v2_faults.get(region) == DENY:
            return _error(403, "AccessDeniedException",
                          f"User: arn:aws:iam::123456789012:user/ci is not authorized to perform: apigateway:GET "
                          f"on resource: arn:aws:apigateway:{region}::/apis")
        if path == "/v2/apis":
            items = self.v2_apis.get(region, [])
        elif match := _V2_STAGES.match(path):
            items = self.v2_stages.get((region, match.group(1)))
            if items is None:
                return _error(404, "NotFoundException", "Invalid API identifier specified")
        else:
            return _error(404, "NotFoundException", "no such route")
        start = int(query.get("nextToken", ["0"])[0])
        page = {"items": items[start:start + self.v2_page_max]}
        if start + self.v2_page_max < len(items):
            page["nextToken"] = str(start + self.v2_page_max)
        return 200, {}, json.dumps(page).encode()

    def answer(self, region: str, raw_path: str):
        with self._lock:
            self.requests.append((region, raw_path))
        fault = self.faults.get(region)
        if fault == HANG:
            return HANG, {}, b""
        if fault == DENY:
            return _error(403, "AccessDeniedException",
                          f"User: arn:aws:iam::123456789012:user/ci is not authorized to perform: apigateway:GET in {region}")
        if fault == NOT_ENABLED:
            return _error(403, "UnrecognizedClientException", "The security token included in the request is invalid.")
        if self.rate is not None:
            bucket = self.buckets.setdefault(region, Bucket(self.rate, self.burst))
            if not bucket.take():
                return self._throttled()
        parts = urlsplit(raw_path)
        if parts.path.startswith("/v2/"):
            return self._v2(region, parts.path, parse_qs(parts.query))
        if self.rest_faults.get(region) == DENY:
            return _error(403, "AccessDeniedException",
                          f"User: arn:aws:iam::123456789012:user/ci is not authorized to perform: apigateway:GET "
                          f"on resource: arn:aws:apigateway:{region}::/restapis")
        if match := _STAGES.match(parts.path):
            api_id = match.group(1)
            left = self.throttle.get(api_id, 0)
            if left:
                with self._lock:
                    self.throttle[api_id] = left - 1 if left > 0 else left
                return self._throttled()
            items = self.stages.get((region, api_id))
            if items is None:
                return _error(404, "NotFoundException", "Invalid API identifier specified")
            return 200, {}, json.dumps({"item": items}).encode()
        if parts.path == "/restapis":
            query = parse_qs(parts.query)
            start = int(query.get("position", ["0"])[0])
            size = min(int(query.get("limit", ["25"])[0]), self.page_max)
            apis = self.apis.get(region, [])
            page = {"item": apis[start:start + size]}
            if start + size < len(apis):
                page["position"] = str(start + size)
            return 200, {}, json.dumps(page).encode()
        return _error(404, "NotFoundException", "no such route")

    def sts(self, action: str) -> tuple[int, bytes]:
        """GetCallerIdentity as STS answers it (AWS STS API Reference, GetCallerIdentity,
        Examples), or `sts_error`'s error answer, e.g. ExpiredToken for expired keys."""
        with self._lock:
            self.sts_requests.append(action)
        if action == "AssumeRole" and not self.sts_error:
            # AWS STS API Reference, AssumeRole, Examples (an expiry far ahead: no refresh in a test)
            return 200, ('<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult>'
                         f"<AssumedRoleUser><Arn>arn:aws:sts::{self.account}:assumed-role/audit/stage</Arn>"
                         "<AssumedRoleId>ARO123EXAMPLE123:stage</AssumedRoleId></AssumedRoleUser>"
                         "<Credentials><AccessKeyId>ASIAFAKEFAKEFAKE0001</AccessKeyId>"
                         "<SecretAccessKey>fake-assumed-secret</SecretAccessKey><SessionToken>fake-token</SessionToken>"
                         "<Expiration>2099-01-01T00:00:00Z</Expiration></Credentials></AssumeRoleResult>"
                         "<ResponseMetadata><RequestId>r-2</RequestId></ResponseMetadata></AssumeRoleResponse>").encode()
        if self.sts_error:
            return 403, (f'<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type>'
                         f"<Code>{self.sts_error}</Code><Message>The security token included in the request is "
                         f"expired</Message></Error><RequestId>r-1</RequestId></ErrorResponse>").encode()
        return 200, ('<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">'
                     f"<GetCallerIdentityResult><Arn>arn:aws:iam::{self.account}:user/ci</Arn>"
                     f"<UserId>AIDACKCEVSQ6C2EXAMPLE</UserId><Account>{self.account}</Account></GetCallerIdentityResult>"
                     "<ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata></GetCallerIdentityResponse>").encode()

    def _throttled(self):
        with self._lock:
            self.throttled += 1
        return _error(429, "TooManyRequestsException", "Too Many Requests", {"Retry-After": self.retry_after})

    def start(self):
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self):
        self._release.set()
        self._server.shutdown()
        self._server.server_close()
