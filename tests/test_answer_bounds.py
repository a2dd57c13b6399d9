"""Bounds on the service's answers (issue 20.7, 20.8): an answer nested far too deep or larger
than the 50 MB bound of --file is exit 5 with one line, read no further than the bound. The
service's real answers are a few kB (awscli/examples/apigateway/get-stage.rst); these come from
loopback servers. Memory figures are in bench/answers.py, not here."""

import json
import socket
import threading

import pytest

from apigw_stage.sources import answers
from tests.docs import wire_stage
from tests.wire import Trickle

API = "a1b2c3d4e5"


def _deep(levels: int) -> bytes:
    return b'{"stageName":"prod","deploymentId":"k2xq9d","futureField":' + b"[" * levels + b"]" * levels + b"}"


def _show(invoke, url, *extra):
    return invoke("show", API, "prod", "--endpoint-url", url, *extra)


def _one_line_5(result, words):
    assert result.exit_code == 5, result.stderr
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1 and words in result.stderr, result.stderr
    assert "Traceback" not in result.stderr and "RecursionError" not in result.stderr


@pytest.mark.parametrize("levels", [100_000, 5_000, 990, 66])
def test_an_answer_nested_too_deep_is_exit_5(invoke, wire, levels):
    wire.script = [(200, {}, _deep(levels))]
    _one_line_5(_show(invoke, wire.url), "the answer to GetStage is nested more than 64 levels deep")
    assert len(wire.requests) == 1  # not retried: it would be as deep again


@pytest.mark.parametrize("command", [("list", API), ("check", API, "prod"), ("settings", API, "prod")])
def test_every_command_reading_the_service_is_bounded(invoke, wire, command):
    wire.script = [(200, {}, b'{"item": [' + _deep(100_000) + b"]}" if command[0] == "list" else _deep(100_000))]
    result = invoke(*command, "--endpoint-url", wire.url)
    _one_line_5(result, "nested more than 64 levels deep")


def test_a_fleet_scan_counts_a_deep_answer_as_a_failure_not_a_crash(invoke, wire):
    wire.apis = [{"id": API, "name": "petstore"}]
    wire.route = lambda path: (200, {}, _deep(100_000)) if "/stages" in path else (
        200, {}, json.dumps({"item": wire.apis}).encode())
    result = invoke("check", "--all", "--endpoint-url", wire.url, "-o", "json")
    assert result.exit_code not in (0, 70), result.stderr
    assert "Traceback" not in result.stderr and "RecursionError" not in result.stderr + result.stdout


def test_nesting_within_the_bound_is_read(invoke, wire):
    doc = wire_stage()
    value = "leaf"
    for _ in range(60):
        value = [value]
    doc["futureField"] = value  # a field botocore's model does not know (it drops it): not refused
    wire.stages[(API, "prod")] = doc
    result = _show(invoke, wire.url, "-o", "json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["stageName"] == "prod"


def test_an_answer_over_the_bound_is_exit_5(invoke, wire, monkeypatch):
    monkeypatch.setattr(answers, "ANSWER_LIMIT", 1024 * 1024)
    wire.stages[(API, "prod")] = wire_stage(description="x" * (2 * 1024 * 1024))
    result = _show(invoke, wire.url)
    # The loopback server's own thread reports the connection we dropped on this process's stderr:
    # only stage's lines count here.
    ours = [line for line in result.stderr.splitlines() if line.startswith("stage:")]
    assert result.exit_code == 5 and result.stdout == ""
    assert ours == ["stage: error: the answer to GetStage is larger than 50 MB, far beyond any real answer"
                    " (check --endpoint-url and the proxy settings)"]
    assert len(wire.requests) == 1


def test_an_answer_at_the_bound_is_read(invoke, wire, monkeypatch):
    monkeypatch.setattr(answers, "ANSWER_LIMIT", 1024 * 1024)
    doc = wire_stage(description="")
    doc["description"] = "x" * (1024 * 1024 - len(json.dumps(doc)))
    assert len(json.dumps(doc).encode()) == 1024 * 1024
    wire.stages[(API, "prod")] = doc
    result = _show(invoke, wire.url, "-o", "json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["description"] == doc["description"]


class _Endless:
    """A loopback server whose answer is chunked and never ends (no Content-Length to refuse);
    with `head`, it sends that head and a few bytes of body instead, then waits."""

    def __init__(self, head: bytes | None = None):
        self.head = head
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(4)
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        self.sent = 0
        self.stop = threading.Event()
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._answer, args=(conn,), daemon=True).start()

    def _answer(self, conn):
        try:
            conn.recv(65536)
            if self.head is not None:
                conn.sendall(self.head + b'{"stageName":"prod"')
                self.stop.wait(30)
                return
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")
            chunk = b'{"stageName":"prod","description":"' + b"x" * 65000
            while not self.stop.is_set():
                conn.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                self.sent += len(chunk)
                chunk = b"x" * 65536
        except OSError:
            return
        finally:
            conn.close()


def test_an_endless_chunked_answer_is_read_only_to_the_bound(invoke, monkeypatch):
    monkeypatch.setattr(answers, "ANSWER_LIMIT", 4 * 1024 * 1024)
    server = _Endless()
    try:
        result = _show(invoke, server.url, "--timeout", "60")
    finally:
        server.stop.set()
        server.sock.close()
    _one_line_5(result, "larger than 50 MB")
    # It ended at all: an endless body is dropped at the bound (memory figures: bench/answers.py).


def test_the_bound_is_the_file_bound():
    from apigw_stage.sources.files import SIZE_LIMIT

    assert answers.ANSWER_LIMIT == SIZE_LIMIT == 50 * 1024 * 1024


def test_a_declared_length_over_the_bound_is_refused_before_the_body():
    """Content-Length of 300 MB, then a few bytes: refused at once, not read to the timeout."""
    from apigw_stage.core.errors import ServiceError
    from apigw_stage.core.target import Target
    from apigw_stage.sources.aws import Client

    server = _Endless(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 314572800\r\n\r\n")
    try:
        client = Client(Target(region="us-east-1", endpoint_url=server.url, timeout=30))
        with pytest.raises(ServiceError, match="larger than 50 MB") as raised:
            client.get_stage(API, "prod")
    finally:
        server.stop.set()
        server.sock.close()
    assert raised.value.code == 5
    assert client.calls == 1
