"""A loopback AWS Organization for --org-role scans, in the real wire formats: Organizations
ListAccounts (the JSON protocol, X-Amz-Target AWSOrganizationsV20161128.ListAccounts, pages of
at most 20 with NextToken, as awscli/examples/organizations/list-accounts.rst shows them), STS
AssumeRole (the query protocol: a form body, an XML answer, AccessDenied for a role that cannot
be assumed), and API Gateway's GetRestApis / GetStages and apigatewayv2's GetApis per account and
region: the account is the one whose assumed keys signed the request (AssumeRole hands out an
access key id that carries the account id), the region the SigV4 scope's. Every account × region
has its own token bucket (the control plane's 10 requests/s, burst 40): 429 beyond it. Stages are
made from their ids on the fly, so the server's memory does not grow with the organization.
Only ever binds 127.0.0.1. Used by tests/test_org.py and bench/org.py."""

import datetime
import json
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from tests.fleetwire import Bucket, _error

_CREDENTIAL = re.compile(r"Credential=([^/]+)/\d{8}/([^/]+)/")
_STAGES = re.compile(r"^/restapis/([^/]+)/stages$")
_ROLE = re.compile(r"^arn:aws:iam::(\d{12}):role/(.+)$")
PAGE = 20  # ListAccounts' MaxResults is at most 20


def account_id(n: int) -> str:
    return f"{100000000000 + n:012d}"


class OrgServer:
    def __init__(self, accounts: int = 3, apis: int = 2, rate: float | None = 10.0, burst: int = 40):
        self.accounts = [account_id(n) for n in range(1, accounts + 1)]
        self.names = {a: f"team-{n}" for n, a in enumerate(self.accounts, 1)}
        self.states = {}  # account -> State other than ACTIVE (SUSPENDED, PENDING_CLOSURE)
        self.apis = apis  # REST APIs per account and region, one stage `prod` each
        self.denied: set = set()  # accounts whose role cannot be assumed
        self.denied_regions: set = set()  # (account, region) answering 403 AccessDeniedException
        self.external_id: str | None = None  # when set, AssumeRole requires it
        self.list_denied = False  # ListAccounts from an account that is not the management one
        self.lifetime = 3600  # seconds the assumed credentials last
        self.rate, self.burst = rate, burst
        self.buckets: dict = {}
        self.calls = 0  # API Gateway requests
        self.throttled = 0
        self.assumed: dict = {}  # account -> AssumeRole answers given
        self.session_names: set = set()
        self.role_names: set = set()
        self.in_flight: dict = {}  # account -> requests being answered
        self.most_accounts = 0  # the most accounts with a request in flight at once
        self.on_request = None  # called (account, region) before each API Gateway answer
        self._lock = threading.Lock()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def _send(self, status, headers, body):
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                target = self.headers.get("X-Amz-Target", "")
                if target.endswith(".ListAccounts") and outer.list_denied:
                    # Organizations' JSON protocol: AccessDeniedException with status 400 (not 403)
                    self._send(400, {"Content-Type": "application/x-amz-json-1.1"}, json.dumps(
                        {"__type": "AccessDeniedException", "Message": "You don't have permissions to access this resource."}).encode())
                    return
                if target.endswith(".ListAccounts"):
                    self._send(200, {"Content-Type": "application/x-amz-json-1.1"}, outer.list_accounts(json.loads(body or b"{}")))
                    return
                status, answer = outer.sts(parse_qs(body.decode()))
                self._send(status, {"Content-Type": "text/xml"}, answer)

            def do_GET(self):
                if self.path == "/_stats":  # for bench/org.py, which runs the server in a process of its own
                    stats = {"calls": outer.calls, "throttled": outer.throttled, "assumed": sum(outer.assumed.values()),
                             "mostAccounts": outer.most_accounts}
                    self._send(200, {"Content-Type": "application/json"}, json.dumps(stats).encode())
                    return
                match = _CREDENTIAL.search(self.headers.get("Authorization", ""))
                key, region = (match.group(1), match.group(2)) if match else ("?", "?")
                account = key[4:16] if key.startswith("ASIA") else "?"
                outer._enter(account)
                try:
                    if outer.on_request:
                        outer.on_request(account, region)
                    status, headers, body = outer.answer(account, region, self.path)
                finally:
                    outer._leave(account)
                self._send(status, {"Content-Type": "application/json", **headers}, body)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._server.request_queue_size = 256
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"

    def _enter(self, account):
        with self._lock:
            self.in_flight[account] = self.in_flight.get(account, 0) + 1
            self.most_accounts = max(self.most_accounts, len(self.in_flight))

    def _leave(self, account):
        with self._lock:
            self.in_flight[account] -= 1
            if not self.in_flight[account]:
                del self.in_flight[account]

    def list_accounts(self, request: dict) -> bytes:
        start = int(request.get("NextToken") or 0)
        size = min(int(request.get("MaxResults") or PAGE), PAGE)
        page = []
        for account in self.accounts[start:start + size]:
            state = self.states.get(account, "ACTIVE")
            page.append({"Id": account, "Arn": f"arn:aws:organizations::{self.accounts[0]}:account/o-exampleorgid/{account}",
                         "Email": f"{account}@example.com", "Name": self.names[account], "Status": state,
                         "State": state, "JoinedMethod": "CREATED", "JoinedTimestamp": 1481830215.45})
        answer = {"Accounts": page}
        if start + size < len(self.accounts):
            answer["NextToken"] = str(start + size)
        return json.dumps(answer).encode()

    def sts(self, form: dict) -> tuple[int, bytes]:
        """AssumeRole as STS answers it (AWS STS API Reference, AssumeRole, Examples)."""
        arn = form.get("RoleArn", [""])[0]
        match = _ROLE.match(arn)
        account = match.group(1) if match else "?"
        with self._lock:
            self.session_names.add(form.get("RoleSessionName", [""])[0])
            if match:
                self.role_names.add(match.group(2))
        wrong_id = self.external_id is not None and form.get("ExternalId", [None])[0] != self.external_id
        if not match or account in self.denied or wrong_id:
            return 403, ('<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type>'
                         f"<Code>AccessDenied</Code><Message>User: arn:aws:iam::{self.accounts[0]}:user/ci is not "
                         f"authorized to perform: sts:AssumeRole on resource: {arn}</Message></Error>"
                         "<RequestId>r-1</RequestId></ErrorResponse>").encode()
        with self._lock:
            self.assumed[account] = self.assumed.get(account, 0) + 1
        expiry = (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=self.lifetime))
        return 200, ('<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult>'
                     f"<AssumedRoleUser><Arn>arn:aws:sts::{account}:assumed-role/audit/stage</Arn>"
                     "<AssumedRoleId>ARO123EXAMPLE123:stage</AssumedRoleId></AssumedRoleUser>"
                     f"<Credentials><AccessKeyId>ASIA{account}0001</AccessKeyId>"
                     "<SecretAccessKey>fake-assumed-secret</SecretAccessKey><SessionToken>fake-token</SessionToken>"
                     f"<Expiration>{expiry.strftime('%Y-%m-%dT%H:%M:%SZ')}</Expiration></Credentials></AssumeRoleResult>"
                     "<ResponseMetadata><RequestId>r-2</RequestId></ResponseMetadata></AssumeRoleResponse>").encode()

    def answer(self, account: str, region: str, raw_path: str):
        with self._lock:
            self.calls += 1
        if account not in self.accounts:
            return _error(403, "UnrecognizedClientException", "The security token included in the request is invalid.")
        if (account, region) in self.denied_regions:
            return _error(403, "AccessDeniedException", f"User: arn:aws:sts::{account}:assumed-role/audit/stage is "
                                                        f"not authorized to perform: apigateway:GET in {region}")
        if self.rate is not None:
            with self._lock:
                bucket = self.buckets.setdefault((account, region), Bucket(self.rate, self.burst))
            if not bucket.take():
                with self._lock:
                    self.throttled += 1
                return _error(429, "TooManyRequestsException", "Too Many Requests", {"Retry-After": "1"})
        parts = urlsplit(raw_path)
        if parts.path == "/v2/apis":
            return 200, {}, b'{"items": []}'
        if parts.path == "/restapis":
            items = [{"id": f"a{account[-6:]}{n:03d}", "name": f"api-{n}", "createdDate": 1700000000}
                     for n in range(self.apis)]
            return 200, {}, json.dumps({"item": items}).encode()
        if match := _STAGES.match(parts.path):
            stage = {"stageName": "prod", "deploymentId": "dep123", "createdDate": 1700000000,
                     "lastUpdatedDate": 1700003600, "methodSettings": {}, "tracingEnabled": False,
                     "variables": {"owner": self.names[account]}}
            return 200, {}, json.dumps({"item": [stage]}).encode()
        return _error(404, "NotFoundException", "no such route")

    def start(self):
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self):
        self._server.shutdown()
        self._server.server_close()
