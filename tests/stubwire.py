"""A loopback stand-in answering exact paths in the real wire format, for the calls of `stage
domains` and `stage history` that moto does not model as AWS does (apiSummary, apigatewayv2
GetDeployments, ACM NotAfter in the future we choose, positions and next tokens, faults).

Paths (botocore's models, requestUri and locationName): apigateway `/domainnames` {item,
position}, `/domainnames/NAME/basepathmappings` {item}, `/restapis/ID/deployments` {item,
position}, `/restapis/ID/deployments/DEP?embed=apisummary` {id, createdDate (epoch seconds),
apiSummary}; apigatewayv2 `/v2/domainnames`, `/v2/domainnames/NAME/apimappings`,
`/v2/apis/ID/deployments` {items, nextToken}, camelCase, ISO 8601 dates; ACM JSON 1.1: POST `/`
with X-Amz-Target CertificateManager.DescribeCertificate, {Certificate: {NotAfter: epoch}}.
It only ever binds 127.0.0.1.
"""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import unquote


def not_found(message="Invalid identifier specified"):
    return 404, {"x-amzn-ErrorType": "NotFoundException:http://internal.amazon.com/coral/"}, {"message": message}


def denied():
    return 403, {"x-amzn-ErrorType": "AccessDeniedException:http://internal.amazon.com/coral/"}, {
        "message": "User is not authorized to perform this action"}


class StubWire:
    """`answers`: {path with query, or path: body (a dict: 200) or (status, headers, body) or a
    callable(path, body) giving either}; a path with no answer is 404. `certificates`: {arn:
    CertificateDetail} for ACM. `requests`: every (method, path) in order."""

    def __init__(self):
        self.answers: dict = {}
        self.certificates: dict = {}
        self.requests: list = []
        self.posts: list = []  # (X-Amz-Target, JSON body) of each POST
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def _reply(self, method):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                outer.requests.append((method, unquote(self.path)))
                status, headers, payload = outer.answer(method, unquote(self.path), body, dict(self.headers))
                data = json.dumps(payload).encode()
                self.send_response(status)
                for name, value in {"Content-Type": "application/json", **headers}.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                self._reply("GET")

            def do_POST(self):
                self._reply("POST")

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"

    def answer(self, method, path, body, headers):
        if method == "POST":
            self.posts.append((headers.get("X-Amz-Target"), json.loads(body or b"{}")))
        if method == "POST" and headers.get("X-Amz-Target", "").endswith("DescribeCertificate"):
            arn = json.loads(body or b"{}").get("CertificateArn")
            if arn in self.certificates:
                found = self.certificates[arn]
                return found if isinstance(found, tuple) else (200, {}, {"Certificate": found})
            return 400, {"x-amzn-ErrorType": "ResourceNotFoundException"}, {
                "__type": "ResourceNotFoundException", "message": f"Could not find certificate {arn}."}
        for key in (path, path.partition("?")[0]):
            if key in self.answers:
                found = self.answers[key]
                if callable(found):
                    found = found(path, body)
                return found if isinstance(found, tuple) else (200, {}, found)
        return not_found("no such route")

    def paths(self) -> list[str]:
        return [p for m, p in self.requests if m == "GET"]

    def __enter__(self):
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self._server.shutdown()
        self._server.server_close()
