"""A v2 (HTTP or WebSocket API) Stage document in normal form.

The wire and this tool's json/yaml use the service's camelCase names; boto3 and the AWS CLI hand
back PascalCase (botocore's apigatewayv2 model: member `StageName`, locationName `stageName`;
awscli/examples/apigatewayv2/get-stage.rst prints `"StageName": "prod"`). Both are accepted and
turned into camelCase, the known members only: route keys, stage variable and tag names are
data and stay as written. Timestamps are ISO 8601 on the wire (`__timestampIso8601`) and become
aware UTC datetimes, as REST documents' do.
"""

from apigw_stage.model.shape import ShapeError, _check_values, read_timestamps

# botocore data/apigatewayv2/2018-11-29/service-2.json: the members of Stage, AccessLogSettings
# and RouteSettings with their locationName (tests/test_v2.py compares these with the model).
STAGE_MEMBERS = {
    "AccessLogSettings": "accessLogSettings", "ApiGatewayManaged": "apiGatewayManaged", "AutoDeploy": "autoDeploy",
    "ClientCertificateId": "clientCertificateId", "CreatedDate": "createdDate",
    "DefaultRouteSettings": "defaultRouteSettings", "DeploymentId": "deploymentId", "Description": "description",
    "LastDeploymentStatusMessage": "lastDeploymentStatusMessage", "LastUpdatedDate": "lastUpdatedDate",
    "RouteSettings": "routeSettings", "StageName": "stageName", "StageVariables": "stageVariables", "Tags": "tags",
}
ACCESS_LOG_MEMBERS = {"DestinationArn": "destinationArn", "Format": "format"}
ROUTE_SETTINGS_MEMBERS = {
    "DataTraceEnabled": "dataTraceEnabled", "DetailedMetricsEnabled": "detailedMetricsEnabled",
    "LoggingLevel": "loggingLevel", "ThrottlingBurstLimit": "throttlingBurstLimit",
    "ThrottlingRateLimit": "throttlingRateLimit",
}
KNOWN_FIELDS = tuple(STAGE_MEMBERS.values())
_MAP_FIELDS = ("stageVariables", "tags", "routeSettings")
_OBJECT_FIELDS = ("accessLogSettings", "defaultRouteSettings")


def _camel(obj: dict, members: dict, where: str) -> dict:
    out = {}
    for key, value in obj.items():
        name = members.get(key, key)
        if name in out:
            raise ShapeError(f"{where}both {name!r} and its PascalCase form")
        out[name] = value
    return out


def normalise(raw) -> dict:
    """The v2 Stage document in camelCase with UTC datetimes, or ShapeError."""
    if not isinstance(raw, dict):
        raise ShapeError(f"expected an object, got {type(raw).__name__}")
    _check_values(raw)
    doc = _camel({k: v for k, v in raw.items() if k != "ResponseMetadata"}, STAGE_MEMBERS, "")
    if not isinstance(doc.get("stageName"), str):
        raise ShapeError("no stageName (StageName)")
    read_timestamps(doc)
    for field in _MAP_FIELDS + _OBJECT_FIELDS:
        if doc.get(field) is not None and not isinstance(doc[field], dict):
            raise ShapeError(f"{field} is not an object")
    if isinstance(doc.get("accessLogSettings"), dict):
        doc["accessLogSettings"] = _camel(doc["accessLogSettings"], ACCESS_LOG_MEMBERS, "accessLogSettings: ")
    if isinstance(doc.get("defaultRouteSettings"), dict):
        doc["defaultRouteSettings"] = _camel(doc["defaultRouteSettings"], ROUTE_SETTINGS_MEMBERS,
                                             "defaultRouteSettings: ")
    routes = {}
    for key, entry in (doc.get("routeSettings") or {}).items():
        if not isinstance(entry, dict):
            raise ShapeError(f"routeSettings[{key!r}] is not an object")
        routes[key] = _camel(entry, ROUTE_SETTINGS_MEMBERS, f"routeSettings[{key!r}]: ")
    if doc.get("routeSettings") is not None:
        doc["routeSettings"] = routes
    return doc
