"""Service answers are bounded like --file (issue 20.7, 20.8): peak memory and time of
`stage show` against a loopback server answering GetStage with a large valid stage (45 MB,
under the 50 MB bound: read), a 300 MB chunked body (refused at 50 MB), a 300 MB Content-Length
(refused before the body) and an answer nested 100,000 levels deep (refused). Each must end with
the exit code given, in bounded memory; before the bound a 300 MB answer cost about 970 MB.

    python bench/answers.py             # prints a Markdown table (bench/README.md has a run)

Needs GNU time (/usr/bin/time) for the peak RSS."""

import json
import os
import socket
import subprocess
import sys
import threading
import time

EXAMPLE = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "examples", "prod-stage.json")
MB = 2**20


def _large_stage(size: int) -> bytes:
    with open(EXAMPLE) as handle:
        doc = json.load(handle)
    doc.pop("createdDate", None)
    doc.pop("lastUpdatedDate", None)
    doc["variables"] = {}
    row = 0
    while len(json.dumps(doc)) < size:  # ~ size bytes of variables, built in big steps
        doc["variables"].update({f"v{row + i:08d}": "x" * 40 for i in range(100_000)})
        row += 100_000
    return json.dumps(doc).encode()


class _Server:
    def __init__(self, mode: str, body: bytes = b""):
        self.mode, self.body = mode, body
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._answer, args=(conn,), daemon=True).start()

    def _answer(self, conn):
        try:
            conn.recv(65536)
            if self.mode == "length":
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s"
                             % (len(self.body), self.body))
            elif self.mode == "claim":
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 314572800\r\n\r\n{\"stageName\":")
                time.sleep(30)
            else:  # chunked, 300 MB of one long description
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")
                chunk = b"x" * MB
                conn.sendall(b"%x\r\n%s\r\n" % (len(b'{"stageName":"prod","description":"'),
                                                b'{"stageName":"prod","description":"'))
                for _ in range(300):
                    conn.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                conn.sendall(b'2\r\n"}\r\n0\r\n\r\n')
        except OSError:
            pass
        finally:
            conn.close()


def main() -> int:
    stage = os.path.join(os.path.dirname(sys.executable), "stage")
    deep = b'{"stageName":"prod","futureField":' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    cases = [
        ("45 MB valid GetStage answer", _Server("length", _large_stage(45 * MB)), 0),
        ("300 MB chunked answer", _Server("chunked"), 5),
        ("Content-Length 300 MB", _Server("claim"), 5),
        ("nested 100,000 levels", _Server("length", deep), 5),
    ]
    env = {**os.environ, "AWS_ACCESS_KEY_ID": "AKIAFAKEFAKEFAKE1234", "AWS_SECRET_ACCESS_KEY": "fake",
           "AWS_REGION": "us-east-1", "AWS_EC2_METADATA_DISABLED": "true"}
    print("| answer | exit | wall s | peak MiB |\n|---|---:|---:|---:|")
    for label, server, expected in cases:
        started = time.monotonic()
        proc = subprocess.run(["/usr/bin/time", "-f", "%M", stage, "show", "a1b2c3d4e5", "prod", "-o", "json",
                               "--endpoint-url", server.url, "--timeout", "60"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env)
        wall = time.monotonic() - started
        peak = int(proc.stderr.strip().splitlines()[-1]) / 1024
        if proc.returncode != expected:
            print(f"{label}: exit {proc.returncode}, expected {expected}: {proc.stderr}", file=sys.stderr)
            return 1
        print(f"| {label} | {proc.returncode} | {wall:.2f} | {peak:.0f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
