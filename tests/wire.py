"""A loopback stand-in for API Gateway that answers in the real wire format.

moto does not model canarySettings, createdDate/lastUpdatedDate, clientCertificateId or
documentationVersion, and cannot fail on demand. This server serves those (epoch-second
timestamps, x-amzn-ErrorType on errors) and scripted faults: 429 with Retry-After, 401/403, 5xx,
bodies that are not JSON, a hang, answers trickled a byte at a time (`Trickle`), a `route` that
answers everything the script does not (endless paging), and TLS with a certificate made at test
time (`make_certificate`). It only ever binds 127.0.0.1.
"""

import json
import re
import shutil
import ssl
import subprocess
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HANG = "hang"


@dataclass
class Trickle:
    """A script step: a 200 answer sent one byte every `delay` seconds, either the whole answer
    (`headers=True`: status line and headers too) or only the body."""

    body: bytes
    delay: float = 0.2
    headers: bool = False
_STAGE = re.compile(r"^/restapis/([^/]+)/stages/([^/?]+)$")
_STAGES = re.compile(r"^/restapis/([^/]+)/stages$")


def error(status, kind, message, headers=None):
    body = json.dumps({"message": message}).encode()
    return (status, {"x-amzn-ErrorType": f"{kind}:http://internal.amazon.com/coral/", **(headers or {})}, body)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    tls: ssl.SSLContext | None = None

    def finish_request(self, request, client_address):
        # The TLS handshake happens here, on the request's thread, so a client that fails it
        # (a rejected certificate, plain HTTP) never blocks the accepting loop.
        if self.tls is not None:
            try:
                request = self.tls.wrap_socket(request, server_side=True)
            except (ssl.SSLError, OSError):
                return
        super().finish_request(request, client_address)


class WireServer:
    def __init__(self, tls: tuple[str, str] | None = None):
        """`tls`: (certificate, key) PEM files to serve https:// instead of http://."""
        self.stages: dict[tuple[str, str], dict] = {}
        self.apis: list[dict] = []
        self.script: list = []  # faults served first, in order, one per request
        self.requests: list[str] = []
        self.page_size: int | None = None
        self.headers: list[dict] = []
        self.route = None  # when set: route(path) answers every request the script does not
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
                if isinstance(status, Trickle):
                    self._trickle(status)
                    return
                self.send_response(status)
                headers = {"Content-Type": "application/json", **headers}
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def _trickle(self, step):
                head = (f"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                        f"Content-Length: {len(step.body)}\r\n\r\n").encode()
                slow = head + step.body if step.headers else step.body
                if not step.headers:
                    self.wfile.write(head)
                try:
                    for i in range(len(slow)):
                        if outer._release.wait(step.delay):
                            return
                        self.wfile.write(slow[i:i + 1])
                        self.wfile.flush()
                except OSError:  # the client gave up: what a trickle is for
                    return

        self._server = _Server(("127.0.0.1", 0), Handler)
        scheme = "http"
        if tls is not None:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(*tls)
            self._server.tls = context
            scheme = "https"
        self.url = f"{scheme}://127.0.0.1:{self._server.server_address[1]}"

    def answer(self, path):
        if self.script:
            step = self.script.pop(0)
            if step == HANG:
                return HANG, {}, b""
            if isinstance(step, Trickle):
                return step, {}, b""
            return step
        if self.route is not None:
            return self.route(path)
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
        if path == "/domainnames":  # an account without custom domains (show's table asks: issue 24)
            return 200, {}, json.dumps({"item": []}).encode()
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


def make_certificate(directory) -> tuple[str, str] | None:
    """(certificate, key) PEM paths of a self-signed certificate for 127.0.0.1 (CN and IP SAN),
    made with the `cryptography` package or else the openssl program; None if neither exists."""
    cert, key = f"{directory}/cert.pem", f"{directory}/key.pem"
    try:
        import datetime
        import ipaddress

        from cryptography import x509
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import ec
        from cryptography.x509.oid import NameOID
    except ImportError:
        openssl = shutil.which("openssl")
        if openssl is None:
            return None
        subprocess.run([openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                        "-nodes", "-keyout", key, "-out", cert, "-days", "1", "-subj", "/CN=127.0.0.1",
                        "-addext", "subjectAltName=IP:127.0.0.1"], check=True, capture_output=True)
        return cert, key
    private = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.timezone.utc)
    certificate = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(private.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5)).not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(private, hashes.SHA256())
    )
    with open(cert, "wb") as out:
        out.write(certificate.public_bytes(serialization.Encoding.PEM))
    with open(key, "wb") as out:
        out.write(private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                        serialization.NoEncryption()))
    return cert, key
