"""A loopback API Gateway that also answers GetAccount, GetUsagePlans and GetUsagePlanKeys in
the wire format (botocore's service model: Account {throttleSettings}, UsagePlans {items (on the wire `item`, its locationName),
position}, UsagePlanKeys {items, position}; the AWS CLI's get-account example answers
{"throttleSettings": {"rateLimit": 500.0, "burstLimit": 1000}}), for `stage limits`: moto
serves no stage export, so the deployed methods (and their apiKeyRequired) need this one."""

import json
import re
from urllib.parse import parse_qs, unquote

from tests.fidelity import API, ExportServer, export
from tests.wire import error

_PLAN_KEYS = re.compile(r"^/usageplans/([^/]+)/keys$")

# GET /pets needs a key, POST /pets does not (security: api_key in the export).
METHODS = [("/pets", "GET", ["api_key"], "MOCK"), ("/pets", "POST", [], "MOCK"), ("/", "GET", ["api_key"], "MOCK")]


class LimitsServer(ExportServer):
    def __init__(self):
        super().__init__()
        self.account = {"cloudwatchRoleArn": "arn:aws:iam::123412341234:role/APIGatewayToCloudWatchLogsRole",
                        "throttleSettings": {"rateLimit": 500.0, "burstLimit": 1000}, "features": ["UsagePlans"]}
        self.plans: list[dict] = []
        self.keys: dict[str, list[dict]] = {}  # plan id -> usage plan keys (with their values, as served)
        self.plan_page = 1  # usage plans per page: paging is exercised

    def answer(self, path):
        if not self.script:
            bare, _, query = path.partition("?")
            params = {k: v[0] for k, v in parse_qs(query).items()}
            if bare == "/account":
                return 200, {}, json.dumps(self.account).encode()
            if bare == "/usageplans":
                plans = self.plans
                if "keyId" in params:
                    # Whether the service answers a keyId that is no key's with 404 or an empty
                    # list is not documented: the stub takes the harder case.
                    if not any(k["id"] == params["keyId"] for keys in self.keys.values() for k in keys):
                        return error(404, "NotFoundException", "Invalid API Key identifier specified")
                    plans = [p for p in plans if any(k["id"] == params["keyId"] for k in self.keys.get(p["id"], []))]
                start = int(params.get("position", 0))
                page = {"item": plans[start:start + self.plan_page]}
                if start + self.plan_page < len(plans):
                    page["position"] = str(start + self.plan_page)
                return 200, {}, json.dumps(page).encode()
            if match := _PLAN_KEYS.match(bare):
                keys = self.keys.get(unquote(match.group(1)), [])
                if "nameQuery" in params:
                    keys = [k for k in keys if k["name"].startswith(params["nameQuery"])]
                return 200, {}, json.dumps({"item": keys}).encode()
        return super().answer(path)


def serve(server: LimitsServer, stage: str, doc: dict, methods=METHODS) -> None:
    server.stages[(API, stage)] = {"stageName": stage, "deploymentId": "dep1", **doc}
    server.exports[(API, stage)] = export(methods)
