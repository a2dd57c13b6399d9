"""How fast is a fleet-wide `stage list`, within API Gateway's control-plane limit.

    python bench/fleet.py [--sizes 50,200,800] [--cli-size 200] [--no-awscli]

Starts the loopback fleet server (tests/fleetwire.py) enforcing the service's limit per region:
10 requests/s, burst 40, 429 TooManyRequestsException with Retry-After beyond it. Seeds N REST
APIs × 3 stages in each of two regions (us-west-2, eu-west-1) and times, as whole processes:

- `stage list --region us-west-2 --region eu-west-1 -o json` (default pacing: 8/s, burst 20 per
  account and region) and the same with `--rate 10`;
- the AWS CLI v1 loop a user would write (the `aws` next to this Python, else on PATH): per
  region `aws apigateway get-rest-apis`, then `aws apigateway get-stages` for each API.

For each: wall time, calls the server saw, 429s it sent, peak RSS of the process, stages
returned (checked against what was seeded), and the ratio to the rate bound: wall / (calls per
region / 10 per s), the time the service's sustained rate alone needs (both regions run in
parallel, each with its own quota). Prints Markdown for bench/README.md. Run from the repository
root (it imports tests.fleetwire).
"""

import argparse
import json
import os
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from tests.fleetwire import FleetServer  # noqa: E402

REGIONS = ("us-west-2", "eu-west-1")
RATE, BURST = 10.0, 40
STAGES = ("prod", "staging", "dev")


def _env() -> dict:
    env = dict(os.environ)
    for name in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_ENDPOINT_URL", "AWS_CONFIG_FILE"):
        env.pop(name, None)
    env.update(AWS_ACCESS_KEY_ID="AKIAFAKEFAKEFAKE1234", AWS_SECRET_ACCESS_KEY="fake-secret-never-printed",
               AWS_REGION="us-east-1", AWS_DEFAULT_REGION="us-east-1", AWS_EC2_METADATA_DISABLED="true",
               AWS_CONFIG_FILE=os.devnull, AWS_SHARED_CREDENTIALS_FILE=os.devnull)
    return env


def _server(size: int) -> FleetServer:
    server = FleetServer(rate=RATE, burst=BURST)
    for region in REGIONS:
        for i in range(size):
            server.add(region, f"{region[:2]}{i:08d}", f"service-{i:04d}", STAGES,
                       tracingEnabled=bool(i % 2), variables={"alias": "live"})
    return server.start()




def _measure(cmd: list[str], env: dict) -> dict:
    """Run `cmd` in a helper process of its own, so RUSAGE_CHILDREN is this command's peak RSS."""
    code = (
        "import json,resource,subprocess,sys,time\n"
        "cmd=json.loads(sys.argv[1]); env=json.loads(sys.argv[2])\n"
        "t=time.perf_counter(); p=subprocess.run(cmd,env=env,capture_output=True,text=True,shell=isinstance(cmd,str))\n"
        "w=time.perf_counter()-t\n"
        "print(json.dumps({'wall':w,'rss':resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss/1024,"
        "'rc':p.returncode,'out':p.stdout,'err':p.stderr[-2000:]}))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code, json.dumps(cmd), json.dumps(env)], capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(proc.stderr)
    return json.loads(proc.stdout)


def _per_region(server: FleetServer, before: int) -> dict:
    counts = {r: 0 for r in REGIONS}
    for region, _path in server.requests[before:]:
        counts[region] = counts.get(region, 0) + 1
    return counts


def case(size: int, label: str, cmd, env: dict, count_stages) -> dict:
    server = _server(size)
    try:
        cmd = [c.replace("{URL}", server.url) for c in cmd] if isinstance(cmd, list) else cmd.replace("{URL}", server.url)
        result = _measure(cmd, env)
        calls = _per_region(server, 0)
        bound = max(calls.values()) / RATE
        stages = count_stages(result["out"])
        expected = size * len(STAGES) * len(REGIONS)
        if result["rc"] != 0 or stages != expected:
            raise SystemExit(f"{label} at {size}: exit {result['rc']}, {stages} of {expected} stages: {result['err']}")
        return {"case": label, "apis": size, "wall": result["wall"], "calls": sum(calls.values()),
                "throttled": server.throttled, "rss": result["rss"], "stages": stages, "ratio": result["wall"] / bound}
    finally:
        server.stop()


def _stage_count(out: str) -> int:
    data = json.loads(out)
    if data["errors"]:
        raise SystemExit(f"errors: {data['errors']}")
    return len(data["stages"])


def _cli_count(out: str) -> int:
    return out.count('"stageName"')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="50,200,800")
    parser.add_argument("--cli-size", type=int, default=200)
    parser.add_argument("--no-awscli", action="store_true")
    args = parser.parse_args()
    env = _env()
    stage = os.path.join(os.path.dirname(sys.executable), "stage")
    listing = [stage, "list", "--region", REGIONS[0], "--region", REGIONS[1], "--endpoint-url", "{URL}", "-o", "json"]
    print("| case | APIs x 2 regions | wall s | calls | 429s | peak MiB | wall / (calls per region / 10 per s) |")
    print("|---|---:|---:|---:|---:|---:|---:|", flush=True)

    def show(r):
        print(f"| {r['case']} | {r['apis']} | {r['wall']:.1f} | {r['calls']} | {r['throttled']} | {r['rss']:.1f} "
              f"| {r['ratio']:.2f} |", flush=True)

    for size in [int(s) for s in args.sizes.split(",")]:
        show(case(size, "stage list (default 8/s, burst 20)", listing, env, _stage_count))
        show(case(size, "stage list --rate 10", listing + ["--rate", "10"], env, _stage_count))
    if not args.no_awscli:
        aws = os.path.join(os.path.dirname(sys.executable), "aws")
        loop = " ; ".join(
            f"for id in $({aws} apigateway get-rest-apis --endpoint-url {{URL}} --region {region} "
            f"--query 'items[].id' --output text); do {aws} apigateway get-stages --endpoint-url {{URL}} "
            f"--region {region} --rest-api-id $id; done"
            for region in REGIONS
        )
        show(case(args.cli_size, "AWS CLI v1 loop (get-rest-apis, get-stages per API)", loop, env, _cli_count))


if __name__ == "__main__":
    main()
