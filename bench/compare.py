"""How fast is `stage`, against its peers, in one run on one machine.

    python bench/compare.py [--runs 11] [--awscli-venv DIR] [--no-awscli]

Starts moto on 127.0.0.1, seeds a realistic API (40 methods, every one with its own method
settings, 30 stage variables, tags, a second stage), and times whole processes, median of --runs,
with the peak memory (max RSS) of each:

- the Python floor (`python -c pass`) and a five-line raw boto3 script (bench/raw_get_stage.py):
  the floor for any boto3-based tool;
- `aws apigateway get-stage` from the AWS CLI v1, installed by this script into its own venv
  (--awscli-venv, default bench/.awscli-venv) so that it cannot disturb ours;
- `stage show -o json`, `stage show` (table), `stage settings` (tree), `stage --help`;
- TAB completion: warm (from the cache), cold (one GetStages), and the same TAB through Typer's
  own completion protocol;
- rendering as method settings grow (10, 100, 1,000, 2,000 entries; from a file, table and json).

Prints Markdown tables for bench/README.md. Needs `pip install . 'moto[server]'` (a regular, not
editable, install: the editable import hook adds ~17 ms to every start).
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
RAW = os.path.join(HERE, "raw_get_stage.py")


def measure(cmd, env, runs):
    """(median seconds, peak RSS in MiB, last stdout) of `cmd` run `runs` times. Call it in a
    process of its own (`isolated`): RUSAGE_CHILDREN is the largest RSS of any child so far."""
    import resource

    samples, out = [], ""
    for _ in range(runs):
        started = time.perf_counter()
        proc = subprocess.run(cmd, env=env, capture_output=True, text=True)
        samples.append(time.perf_counter() - started)
        out = proc.stdout
        if proc.returncode not in (0, 1):
            raise SystemExit(f"{cmd[:3]} failed ({proc.returncode}): {proc.stderr.strip()}")
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return statistics.median(samples), peak_kib / 1024, out


def isolated(cmd, env, runs):
    """Measure in a fresh helper process, so the peak RSS is this case's alone."""
    code = (
        "import json,sys; sys.path.insert(0, %r); import compare; "
        "print(json.dumps(compare.measure(json.loads(sys.argv[1]), json.loads(sys.argv[2]), int(sys.argv[3]))))" % HERE
    )
    proc = subprocess.run([sys.executable, "-c", code, json.dumps(cmd), json.dumps(env), str(runs)],
                          capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(proc.stderr.strip() or proc.stdout.strip())
    median, peak, out = json.loads(proc.stdout)
    return median, peak, out


def awscli(venv: str) -> str:
    aws = os.path.join(venv, "bin", "aws")
    if not os.path.exists(aws):
        print(f"installing the AWS CLI v1 into {venv} ...", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "venv", venv], check=True)
        subprocess.run([os.path.join(venv, "bin", "pip"), "install", "-q", "awscli"], check=True)
    return aws


def seed(endpoint: str) -> str:
    import boto3

    client = boto3.client("apigateway", endpoint_url=endpoint, region_name="us-east-1",
                          aws_access_key_id="AKIAFAKE", aws_secret_access_key="fake")
    api = client.create_rest_api(name="bench-petstore", description="benchmark API")["id"]
    root = client.get_resources(restApiId=api)["items"][0]["id"]
    paths = []
    for n in range(20):
        resource = client.create_resource(restApiId=api, parentId=root, pathPart=f"res{n:02d}")["id"]
        for method in ("GET", "POST"):
            client.put_method(restApiId=api, resourceId=resource, httpMethod=method, authorizationType="NONE")
            client.put_integration(restApiId=api, resourceId=resource, httpMethod=method, type="MOCK")
            paths.append(f"/~1res{n:02d}/{method}")
    deployment = client.create_deployment(restApiId=api, stageName="prod")["id"]
    ops = [{"op": "replace", "path": "/*/*/logging/loglevel", "value": "ERROR"},
           {"op": "replace", "path": "/*/*/metrics/enabled", "value": "true"},
           {"op": "replace", "path": "/tracingEnabled", "value": "true"},
           {"op": "replace", "path": "/description", "value": "Production"}]
    for index, path in enumerate(paths):
        ops.append({"op": "replace", "path": f"{path}/logging/loglevel", "value": "INFO" if index % 3 else "ERROR"})
        ops.append({"op": "replace", "path": f"{path}/caching/enabled", "value": "true" if index % 4 == 0 else "false"})
    for n in range(30):
        ops.append({"op": "replace", "path": f"/variables/var{n:02d}", "value": f"value-{n}-" + "x" * 20})
    client.update_stage(restApiId=api, stageName="prod", patchOperations=ops)
    client.tag_resource(resourceArn=f"arn:aws:apigateway:us-east-1::/restapis/{api}/stages/prod",
                        tags={"team": "pets", "env": "prod", "cost-center": "cc-4410"})
    client.create_stage(restApiId=api, stageName="staging", deploymentId=deployment)
    return api


def stage_file(folder: str, entries: int) -> str:
    doc = {"stageName": "big", "deploymentId": "d1", "methodSettings": {
        "*/*": {"loggingLevel": "ERROR", "metricsEnabled": True, "throttlingRateLimit": 100.0, "throttlingBurstLimit": 200}}}
    for n in range(entries - 1):
        doc["methodSettings"][f"~1r{n:05d}~1{{id}}/GET"] = {
            "loggingLevel": "INFO" if n % 2 else "ERROR", "metricsEnabled": True,
            "throttlingRateLimit": 100.0, "throttlingBurstLimit": 200, "cachingEnabled": n % 5 == 0,
            "cacheTtlInSeconds": 300, "cacheDataEncrypted": True, "dataTraceEnabled": False,
            "requireAuthorizationForCacheControl": True,
            "unauthorizedCacheControlHeaderStrategy": "SUCCEED_WITH_RESPONSE_HEADER"}
    path = os.path.join(folder, f"stage-{entries}.json")
    with open(path, "w") as handle:
        json.dump(doc, handle)
    return path


def table(rows, peer_label):
    peer = next(r for r in rows if r[0] == peer_label)[1]
    lines = ["| case | median ms | peak MiB | x " + peer_label + " |", "|---|---:|---:|---:|"]
    for label, median, peak in rows:
        lines.append(f"| {label} | {median * 1000:.1f} | {peak:.1f} | {median / peer:.2f} |")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=11)
    parser.add_argument("--awscli-venv", default=os.path.join(HERE, ".awscli-venv"))
    parser.add_argument("--no-awscli", action="store_true", help="skip the AWS CLI v1 (no download)")
    args = parser.parse_args()

    import logging

    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.ERROR)

    aws = None if args.no_awscli else awscli(args.awscli_venv)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    folder = tempfile.mkdtemp()
    env = {**os.environ, "AWS_ACCESS_KEY_ID": "AKIAFAKE", "AWS_SECRET_ACCESS_KEY": "fake",
           "AWS_DEFAULT_REGION": "us-east-1", "AWS_REGION": "us-east-1", "AWS_ENDPOINT_URL": endpoint,
           "AWS_EC2_METADATA_DISABLED": "true", "XDG_CACHE_HOME": folder, "AWS_CONFIG_FILE": os.devnull,
           "AWS_SHARED_CREDENTIALS_FILE": os.devnull, "AWS_PAGER": "", "COLUMNS": "120"}
    api = seed(endpoint)
    stage = shutil.which("stage", path=os.path.dirname(sys.executable)) or "stage"
    py = sys.executable

    cases = [
        ("python -c pass (floor)", [py, "-c", "pass"], env),
        ("raw boto3 get_stage script", [py, RAW, api, "prod"], env),
    ]
    if aws:
        cases.append(("aws apigateway get-stage (CLI v1)",
                      [aws, "apigateway", "get-stage", "--rest-api-id", api, "--stage-name", "prod",
                       "--endpoint-url", endpoint], env))
    cases += [
        ("stage show -o json", [stage, "show", api, "prod", "-o", "json"], env),
        ("stage show (table)", [stage, "show", api, "prod"], env),
        ("stage settings (tree)", [stage, "settings", api, "prod"], env),
        ("stage --help", [stage, "--help"], env),
    ]
    fast = {**env, "_STAGE_COMPLETE": "fast", "STAGE_COMP_WORDS": f"stage\nshow\n{api}", "STAGE_COMP_CURRENT": "p"}
    subprocess.run([stage], env=fast, capture_output=True)  # warm the completion cache
    cases += [
        ("warm TAB (fast path, cache)", [stage], fast),
        ("cold TAB (fast path, one GetStages)", [stage], {**fast, "STAGE_COMPLETE_CACHE_TTL": "0"}),
        ("same TAB via Typer's protocol (cache)", [stage],
         {**env, "_STAGE_COMPLETE": "complete_bash", "COMP_WORDS": f"stage show {api} p", "COMP_CWORD": "3"}),
    ]
    rows, outputs = [], {}
    for label, cmd, run_env in cases:
        median, peak, out = isolated(cmd, run_env, args.runs)
        rows.append((label, median, peak))
        outputs[label] = out
    server.stop()

    # Every contender must have answered with the same stage.
    reference = json.loads(outputs["raw boto3 get_stage script"])
    mine = json.loads(outputs["stage show -o json"])
    assert mine["variables"] == reference["variables"] and mine["methodSettings"] == reference["methodSettings"]
    if aws:
        assert json.loads(outputs["aws apigateway get-stage (CLI v1)"])["methodSettings"] == reference["methodSettings"]
    assert [line.split("\t")[0] for line in outputs["warm TAB (fast path, cache)"].splitlines()] == ["prod"]

    scaling = []
    for entries in (10, 100, 1000, 2000):
        path = stage_file(folder, entries)
        for fmt in ("table", "json"):
            median, peak, _ = isolated([stage, "settings", "-f", path, "-o", fmt], env, args.runs)
            scaling.append((entries, fmt, median, peak))

    def get(label):
        return next(r[1] for r in rows if r[0] == label)

    print(f"Machine: {os.cpu_count()} CPUs, Python {sys.version.split()[0]}, runs {args.runs}\n")
    print(table(rows, "raw boto3 get_stage script"))
    print()
    goals = [("stage show -o json / raw boto3", get("stage show -o json") / get("raw boto3 get_stage script"), 1.15),
             ("stage show (table) / raw boto3", get("stage show (table)") / get("raw boto3 get_stage script"), 1.30)]
    if aws:
        goals.insert(0, ("stage show -o json / AWS CLI v1", get("stage show -o json") / get("aws apigateway get-stage (CLI v1)"), 0.70))
    print("| ratio | reached | goal |\n|---|---:|---:|")
    for label, value, goal in goals:
        print(f"| {label} | {value:.2f}x | <= {goal:.2f}x |")
    print(f"| stage --help | {get('stage --help') * 1000:.0f} ms | < 150 ms |")
    print()
    print("| method entries | format | median ms | peak MiB | ms per extra 1,000 entries |\n|---:|---|---:|---:|---:|")
    base = {fmt: median for entries, fmt, median, _ in scaling if entries == 10}
    for entries, fmt, median, peak in scaling:
        per = "" if entries == 10 else f"{(median - base[fmt]) / (entries - 10) * 1000 * 1000:.0f}"
        print(f"| {entries:,} | {fmt} | {median * 1000:.1f} | {peak:.1f} | {per} |")


if __name__ == "__main__":
    main()
