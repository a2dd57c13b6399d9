"""TAB completion speed: warm (cache) and cold (one API call) against peers in the same run.

    python bench/completion.py [--runs 15]

Starts moto on 127.0.0.1, seeds an API with stages, and times whole processes (median of --runs):
the Python floor (`python -c pass`), `stage --help`, a warm TAB through the fast path, a cold TAB
(cache off: GetStages through boto3), and the same TAB through Typer's own completion protocol
(what a plain Typer app pays). Prints a table; ratios are against the Python floor.
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time


def timed(cmd, env, runs):
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        proc = subprocess.run(cmd, env=env, capture_output=True, text=True)
        samples.append(time.perf_counter() - started)
        if proc.returncode != 0:
            raise SystemExit(f"{cmd} failed: {proc.stderr}")
    return statistics.median(samples), proc.stdout


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()

    import boto3
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    cache_home = tempfile.mkdtemp()
    env = {**os.environ, "AWS_ACCESS_KEY_ID": "AKIAFAKE", "AWS_SECRET_ACCESS_KEY": "fake", "AWS_REGION": "us-east-1",
           "AWS_ENDPOINT_URL": endpoint, "AWS_EC2_METADATA_DISABLED": "true", "XDG_CACHE_HOME": cache_home}
    client = boto3.client("apigateway", endpoint_url=endpoint, region_name="us-east-1",
                          aws_access_key_id="AKIAFAKE", aws_secret_access_key="fake")
    api = client.create_rest_api(name="bench")["id"]
    root = client.get_resources(restApiId=api)["items"][0]["id"]
    client.put_method(restApiId=api, resourceId=root, httpMethod="GET", authorizationType="NONE")
    client.put_integration(restApiId=api, resourceId=root, httpMethod="GET", type="MOCK")
    deployment = client.create_deployment(restApiId=api, stageName="prod")["id"]
    for name in ("preprod", "staging", "dev", "perf"):
        client.create_stage(restApiId=api, stageName=name, deploymentId=deployment)

    stage = shutil.which("stage", path=os.path.dirname(sys.executable)) or "stage"
    fast = {**env, "_STAGE_COMPLETE": "fast", "STAGE_COMP_WORDS": f"stage\nshow\n{api}", "STAGE_COMP_CURRENT": "p"}
    typer_env = {**env, "_STAGE_COMPLETE": "complete_bash", "COMP_WORDS": f"stage show {api} p", "COMP_CWORD": "3"}
    subprocess.run([stage], env=fast, capture_output=True)  # warm the cache
    rows = [
        ("python -c pass (floor)", [sys.executable, "-c", "pass"], env),
        ("stage --help", [stage, "--help"], env),
        ("warm TAB (fast path, cache)", [stage], fast),
        ("cold TAB (fast path, 1 GetStages)", [stage], {**fast, "STAGE_COMPLETE_CACHE_TTL": "0"}),
        ("same TAB via Typer's protocol (cache)", [stage], typer_env),
    ]
    results = []
    for label, cmd, run_env in rows:
        median, out = timed(cmd, run_env, args.runs)
        results.append((label, median, out))
    server.stop()
    floor = results[0][1]
    print(f"{'case':40} {'median ms':>10} {'x floor':>8}")
    for label, median, _ in results:
        print(f"{label:40} {median * 1000:10.1f} {median / floor:8.2f}")
    warm = results[2][1]
    print(f"\nwarm TAB / Typer protocol: {warm / results[4][1]:.2f}x;  candidates: {results[2][2].split()}")


if __name__ == "__main__":
    main()
