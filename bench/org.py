"""An organization-wide scan on loopback: how close to the pacing bound, how many 429s, how
much memory per account.

    python bench/org.py [--accounts 200] [--regions 2] [--apis 20] [--denied 5] [--parallel 8]
                        [--rate 8] [--burst 2] [--memory 25,50,100]

The simulated organization (tests/orgwire.py) runs in a process of its own: ListAccounts, an
AssumeRole stub (the --denied first accounts refuse it), and per account × region a token bucket
of the service's quota (10 requests/s, burst 40, 429 beyond it) in front of GetRestApis (N APIs),
GetApis (none) and GetStages. The scan is the real one (sources/fleet/scan.py, as `stage list
--org-role` runs it), in this process.

The bound. Each account's regions are read in parallel, each region C = 2 + N calls through its
own bucket (rate r, burst b), so an account takes at least (C - b) / r seconds, and --parallel P
accounts run at once: bound = ceil(accounts that assume / P) x (C - b) / r. Reported: wall time,
its ratio to the bound (target <= 1.2), the 429s the server sent (target 0), the CPU time per
call of this process, and, from a tracemalloc run per size in --memory (pacing off), the peak
of traced memory and what is still held after the scan (the results): a flat peak means the
machinery forgets each account when it is done (sessions, clients), and only the results grow.
Run from the repository root (it imports tests.orgwire). Prints Markdown for bench/README.md.
"""

import argparse
import json
import math
import os
import subprocess
import sys
import time
import tracemalloc
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

SERVER = """
import sys, time
sys.path.insert(0, {root!r})
from tests.orgwire import OrgServer
server = OrgServer(accounts={accounts}, apis={apis})
server.denied = set(server.accounts[:{denied}])
server.start()
print(server.url, flush=True)
sys.stdin.read()
"""


def _start(accounts: int, apis: int, denied: int):
    proc = subprocess.Popen([sys.executable, "-c", SERVER.format(root=ROOT, accounts=accounts, apis=apis, denied=denied)],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    return proc, proc.stdout.readline().strip()


def _env(url: str) -> None:
    for name in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE"):
        os.environ.pop(name, None)
    os.environ.update(AWS_ACCESS_KEY_ID="AKIAFAKEFAKEFAKE1234", AWS_SECRET_ACCESS_KEY="fake-secret-never-printed",
                      AWS_REGION="us-east-1", AWS_DEFAULT_REGION="us-east-1", AWS_EC2_METADATA_DISABLED="true",
                      AWS_CONFIG_FILE=os.devnull, AWS_SHARED_CREDENTIALS_FILE=os.devnull, AWS_ENDPOINT_URL=url)


def _scan(args, accounts: int):
    from apigw_stage.sources.fleet.scan import scan
    from apigw_stage.sources.fleet.scope import Scope

    regions = ("us-west-2", "eu-west-1", "eu-central-1", "ap-southeast-2", "us-east-2")[:args.regions]
    scope = Scope(regions=regions, rate=args.rate, burst=args.burst, org_role="audit", parallel=args.parallel)
    return scan(scope)


def run(args) -> dict:
    proc, url = _start(args.accounts, args.apis, args.denied)
    try:
        _env(url)
        cpu, started = time.process_time(), time.monotonic()
        result = _scan(args, args.accounts)
        wall, cpu = time.monotonic() - started, time.process_time() - cpu
        stats = json.load(urllib.request.urlopen(url + "/_stats"))
    finally:
        proc.stdin.close()
        proc.wait()
    per_cell = 2 + args.apis
    assumed = args.accounts - args.denied
    bound = math.ceil(assumed / args.parallel) * max(0, per_cell - args.burst) / args.rate
    return {"wall": wall, "bound": bound, "ratio": wall / bound if bound else float("nan"), "cpu": cpu,
            "calls": stats["calls"], "throttled": stats["throttled"], "stages": len(result.stages),
            "expected": assumed * args.regions * args.apis, "failures": len(result.failures),
            "cpu_ms_per_call": 1000 * cpu / max(1, stats["calls"]), "most_accounts": stats["mostAccounts"]}


def memory(args, accounts: int) -> dict:
    proc, url = _start(accounts, args.apis, 0)
    try:
        _env(url)
        fast = argparse.Namespace(**{**vars(args), "rate": 1000.0, "burst": 1000})  # memory, not pacing
        tracemalloc.start()
        result = _scan(fast, accounts)
        import gc

        gc.collect()  # what is still held once botocore's cyclic garbage is gone
        held, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    finally:
        proc.stdin.close()
        proc.wait()
    return {"accounts": accounts, "stages": len(result.stages), "peak": peak, "held": held,
            "held_per_account": held / accounts}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=200)
    parser.add_argument("--regions", type=int, default=2)
    parser.add_argument("--apis", type=int, default=20)
    parser.add_argument("--denied", type=int, default=5)
    parser.add_argument("--parallel", type=int, default=8)
    parser.add_argument("--rate", type=float, default=8.0)
    parser.add_argument("--burst", type=int, default=2)
    parser.add_argument("--memory", default="25,50,100")
    args = parser.parse_args()
    r = run(args)
    print(f"| accounts × regions × APIs | --parallel | rate/burst | wall s | bound s | ratio | calls | 429s | "
          f"stages (expected) | not read | CPU ms/call |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    print(f"| {args.accounts} × {args.regions} × {args.apis} ({args.denied} denied) | {args.parallel} | "
          f"{args.rate:g}/{args.burst} | {r['wall']:.1f} | {r['bound']:.1f} | {r['ratio']:.2f} | {r['calls']} | "
          f"{r['throttled']} | {r['stages']} ({r['expected']}) | {r['failures']} | {r['cpu_ms_per_call']:.2f} |")
    if args.memory:
        print()
        print("| accounts | stages | peak MiB | held after the scan MiB | held KiB per account |")
        print("|---|---|---|---|---|")
        for size in [int(s) for s in args.memory.split(",") if s]:
            m = memory(args, size)
            print(f"| {size} | {m['stages']} | {m['peak'] / 2**20:.1f} | {m['held'] / 2**20:.1f} | "
                  f"{m['held_per_account'] / 1024:.1f} |")


if __name__ == "__main__":
    main()
