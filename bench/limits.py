"""Calls made by `stage limits` (issue 23): per stage and per region, counted from --debug lines
(one per HTTP attempt), against moto on 127.0.0.1. Figures, not timings.

    python bench/limits.py [--apis 3] [--stages 4] [--plans 30]

One stage: GetStage, GetExport (+ GetDeployment where the export fails, as on moto), GetAccount,
then GetUsagePlans pages (500 a page); --key by id adds one filtered GetUsagePlans, by name one
GetUsagePlanKeys per covering plan. The fleet: the scan's calls plus GetAccount and the
GetUsagePlans pages once per region, whatever the number of stages.
"""

import argparse
import collections
import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--apis", type=int, default=3)
    parser.add_argument("--stages", type=int, default=4)
    parser.add_argument("--plans", type=int, default=30)
    args = parser.parse_args()
    os.environ.update(AWS_ACCESS_KEY_ID="AKIAFAKEFAKEFAKE1234", AWS_SECRET_ACCESS_KEY="fake", AWS_EC2_METADATA_DISABLED="true")
    import boto3
    from moto.server import ThreadedMotoServer
    from typer.testing import CliRunner

    from apigw_stage.cli.app import app

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    url, region = f"http://{host}:{port}", "eu-north-1"
    client = boto3.client("apigateway", endpoint_url=url, region_name=region)
    apis = []
    for a in range(args.apis):
        api = client.create_rest_api(name=f"api{a}")["id"]
        root = client.get_resources(restApiId=api)["items"][0]["id"]
        client.put_method(restApiId=api, resourceId=root, httpMethod="GET", authorizationType="NONE", apiKeyRequired=True)
        client.put_integration(restApiId=api, resourceId=root, httpMethod="GET", type="MOCK")
        for s in range(args.stages):
            client.create_deployment(restApiId=api, stageName=f"s{s}")
        apis.append(api)
    key = client.create_api_key(name="partner", enabled=True)["id"]
    for p in range(args.plans):
        plan = client.create_usage_plan(name=f"plan{p}", apiStages=[{"apiId": apis[p % len(apis)], "stage": "s0"}])["id"]
        if p == 0:
            client.create_usage_plan_key(usagePlanId=plan, keyId=key, keyType="API_KEY")
    common = ["--endpoint-url", url, "--region", region, "--debug", "-o", "json"]
    line = re.compile(r"stage: debug: (\w+)\(")
    cases = {
        "one stage": ["limits", apis[0], "s0"],
        "one stage --key ID": ["limits", apis[0], "s0", "--key", key],
        "one stage --key NAME": ["limits", apis[0], "s0", "--key", "partner"],
        f"fleet: 1 region, {args.apis * args.stages} stages": ["limits"],
        "check one stage": ["check", apis[0], "s0"],
    }
    print(f"| case | calls | by operation |\n|---|---:|---|")
    for name, argv in cases.items():
        result = CliRunner().invoke(app, argv + common)
        ops = collections.Counter(line.findall(result.stderr))
        print(f"| {name} | {sum(ops.values())} | {', '.join(f'{k} {v}' for k, v in sorted(ops.items()))} |")
    server.stop()


if __name__ == "__main__":
    main()
