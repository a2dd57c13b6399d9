"""Warm TAB against `python -c pass` (issue 19 item 7): whole processes, median of --runs.

    python bench/tab.py --runs 30

The cache is seeded in a temporary XDG_CACHE_HOME with a REST API, an HTTP API (the
three-string rows the cache once refused) and their stages, so no call is made; the script checks
that the TAB answered and imported neither boto3 nor botocore. Goal: warm TAB <= 50 ms here.
An editable install adds ~17 ms to every start (its import hook): measure a regular install."""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time


def _median_ms(argv, env, runs):
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        proc = subprocess.run(argv, env=env, capture_output=True, text=True)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), proc


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    runs = parser.parse_args().runs
    home = tempfile.mkdtemp()
    env = {**os.environ, "XDG_CACHE_HOME": home, "AWS_ENDPOINT_URL": "http://127.0.0.1:9",
           "AWS_REGION": "us-east-1", "AWS_ACCESS_KEY_ID": "x", "AWS_SECRET_ACCESS_KEY": "y"}
    os.environ.update(env)
    from apigw_stage.core import cache

    ctx = cache.context()
    cache.write([*ctx, "apis"], [["r3st4p1abc", "orders"]])
    cache.write([*ctx, "v2apis"], [["h77p4p1abc", "pets", "HTTP"]])
    cache.write([*ctx, "stages", "h77p4p1abc"], [["$default", ""], ["prod", ""]])
    stage = shutil.which("stage") or os.path.join(os.path.dirname(sys.executable), "stage")
    tab = {**env, "_STAGE_COMPLETE": "fast", "STAGE_COMP_WORDS": "stage\nshow\npets", "STAGE_COMP_CURRENT": ""}
    floor, _ = _median_ms([sys.executable, "-c", "pass"], env, runs)
    warm, proc = _median_ms([stage], tab, runs)
    assert proc.stdout.split() == ["$default", "prod"], proc.stdout
    probe = ("import sys\nfrom apigw_stage.entry import main\ntry:\n    main()\nexcept SystemExit:\n    pass\n"
             "print(sorted(m for m in sys.modules if m.split('.')[0] in ('boto3', 'botocore')), file=sys.stderr)")
    heavy = subprocess.run([sys.executable, "-c", probe], env=tab, capture_output=True, text=True).stderr.strip()
    assert heavy == "[]", heavy
    shutil.rmtree(home, ignore_errors=True)
    print(f"| `python -c pass` (floor) | {floor:.1f} ms |")
    print(f"| warm TAB, v2 API by name (fast path, from the cache) | {warm:.1f} ms | x{warm / floor:.2f} of the floor |")
    print(f"goal: warm TAB <= 50 ms: {'met' if warm <= 50 else 'NOT met'}")


if __name__ == "__main__":
    main()
