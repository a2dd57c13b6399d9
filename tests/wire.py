"""A loopback stand-in for API Gateway that answers in the real wire format.

moto does not model canarySettings, createdDate/lastUpdatedDate, clientCertificateId or
documentationVersion, and cannot fail on demand. This server serves those (epoch-second
timestamps, x-amzn-ErrorType on errors) and scripted faults: 429 with Retry-After, 401/403, 5xx,
bodies that are not JSON, and a hang. It only ever binds 127.0.0.1.
"""

import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HANG = "hang"
_STAGE = re.compile(r"^/restapis/([^/]+)/stages/([^/?]+)$")
_STAGES = re.compile(r"^/restapis/([^/]+)/stages$")


def error(status, kind, message, headers=None):
    body = json.dumps({"message": message}).encode()
    return (status, {"x-amzn-ErrorType": f"{kind}:http://internal.amazon.com/coral/", **(headers or {})}, body)


class WireServer:
    def __init__(self):
        self.stages: dict[tuple[str, str], dict] = {}
        self.apis: list[dict] = []
        self.script: list = []  # faults served first, in order, one per request
        self.requests: list[str] = []
        self.page_size: int | None = None
        self.headers: list[dict] = []
        self._release = threading.Event()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_GET(self):
                outer.requests.append(self.path)
                outer.headers.append(dict(self.headers))
                status, headers, body = outer.answer(self.path)
                if status == HANG:
                    outer._release.wait(30)
                    return
                self.send_response(status)
                headers = {"Content-Type": "application/json", **headers}
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"

    def answer(self, path):
        if self.script:
            step = self.script.pop(0)
            if step == HANG:
                return HANG, {}, b""
            return step
        path, _, query = path.partition("?")
        if match := _STAGE.match(path):
            doc = self.stages.get(match.groups())
            if doc is None:
                return error(404, "NotFoundException", "Invalid stage identifier specified")
            return 200, {}, json.dumps(doc).encode()
        if match := _STAGES.match(path):
            items = [d for (api, _), d in self.stages.items() if api == match.group(1)]
            if not items:
                return error(404, "NotFoundException", "Invalid API identifier specified")
            return 200, {}, json.dumps({"item": items}).encode()
        if path == "/restapis":
            return 200, {}, json.dumps(self._page(query)).encode()
        return error(404, "NotFoundException", "no such route")

    def _page(self, query: str) -> dict:
        """GetRestApis pages of `page_size` (when set), chained by `position`."""
        if not self.page_size:
            return {"item": self.apis}
        params = dict(p.split("=", 1) for p in query.split("&") if "=" in p)
        start = int(params.get("position", 0))
        page = {"item": self.apis[start:start + self.page_size]}
        if start + self.page_size < len(self.apis):
            page["position"] = str(start + self.page_size)
        return page

    def start(self):
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def stop(self):
        self._release.set()
        self._server.shutdown()
        self._server.server_close()
