"""Calls of a fleet `stage check` per HTTP API stage, before and after issue 22 (APIGateway.8 and
.10 read each v2 API's routes and integrations). Counts, not timings: every request the loopback
server answers is tallied by kind. "Before" is what the scan itself costs (`stage list` makes the
same scan check made before: GetRestApis, GetApis pages, one GetStages per API); "after" is
`stage check`. Run: python bench/v2_calls.py [APIS] [STAGES_PER_API]"""

import collections
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

from tests.test_checks_round3 import INTEGRATIONS, ROUTES, PartsWire  # noqa: E402
from tests.test_v2_wire import HTTP_PROD  # noqa: E402


def _kind(path: str) -> str:
    route = path.partition("?")[0]
    for pattern, name in ((r"/restapis$", "GetRestApis"), (r"/v2/apis$", "GetApis"),
                          (r"/v2/apis/[^/]+/stages$", "GetStages"), (r"/v2/apis/[^/]+/routes$", "GetRoutes"),
                          (r"/v2/apis/[^/]+/integrations$", "GetIntegrations")):
        if re.search(pattern, route):
            return name
    return route


def run(command: str, apis: int, stages: int) -> collections.Counter:
    server = PartsWire()
    server.parts_page = 100  # the service's own page sizes: one page each for a small API
    for n in range(apis):
        api = f"h{n:09d}"
        server.v2apis.append({"apiId": api, "name": f"api{n}", "protocolType": "HTTP"})
        for s in range(stages):
            server.v2stages[(api, f"s{s}")] = dict(HTTP_PROD, stageName=f"s{s}")
        server.parts[(api, "routes")] = ROUTES
        server.parts[(api, "integrations")] = INTEGRATIONS
    server.start()
    try:
        env = dict(os.environ, AWS_ACCESS_KEY_ID="testing", AWS_SECRET_ACCESS_KEY="testing",
                   AWS_CONFIG_FILE=os.devnull, AWS_SHARED_CREDENTIALS_FILE=os.devnull, AWS_EC2_METADATA_DISABLED="true")
        subprocess.run(["stage", command, "--region", "us-east-1", "--endpoint-url", server.url, "-o", "json",
                        "--rate", "1000"], env=env, capture_output=True, check=False)
        return collections.Counter(_kind(p) for p in server.requests)
    finally:
        server.stop()


def main() -> None:
    apis = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    stages = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    print(f"{apis} HTTP APIs x {stages} stage(s), one region")
    print("| | calls | per HTTP API stage | by kind |")
    print("|---|---:|---:|---|")
    for label, command in (("before (the scan: stage list)", "list"), ("after (stage check)", "check")):
        counts = run(command, apis, stages)
        total = sum(counts.values())
        kinds = ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
        print(f"| {label} | {total} | {total / (apis * stages):.2f} | {kinds} |")


if __name__ == "__main__":
    main()
