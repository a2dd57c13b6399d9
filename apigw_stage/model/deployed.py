"""The methods deployed on a stage, read from the stage's OpenAPI 3 export (GetExport, `oas30`,
extensions `integrations,authorizers`) or, when the export fails, from its deployment's API
summary (GetDeployment `embed=apisummary`). Pure: no I/O.

Why the export: GetStage lists only methods that have a settings entry, and GetResources is the
API's working copy, not what was deployed. The export is built from the stage's own deployment
and holds every method with its authorization and integration in one call. The API summary has
the authorization and API key of each deployed method but no integration type.

How an export spells things (API Gateway developer guide, "OpenAPI extensions"): an operation's
`security` names schemes in `components.securitySchemes`; `x-amazon-apigateway-authtype`
`awsSigv4` is IAM, `cognito_user_pools` a Cognito authorizer, anything else with an
`x-amazon-apigateway-authorizer` a Lambda (CUSTOM) authorizer; the scheme `api_key` (an apiKey
in the `x-api-key` header) is the API key. `x-amazon-apigateway-integration.type` is the
integration (lower case); `x-amazon-apigateway-any-method` is ANY.
"""

from dataclasses import dataclass

from apigw_stage.model.methods import encode_key

EXPORT = "export"
DEPLOYMENT = "deployment"
_OPERATIONS = {m: m.upper() for m in ("get", "put", "post", "delete", "patch", "head", "options")}
_OPERATIONS["x-amazon-apigateway-any-method"] = "ANY"
_AUTHTYPES = {"awssigv4": "AWS_IAM", "cognito_user_pools": "COGNITO_USER_POOLS"}


class ExportError(ValueError):
    """The export is not an OpenAPI 3 document this module can read."""


@dataclass(frozen=True)
class Method:
    path: str
    http_method: str
    authorization: str | None  # NONE, AWS_IAM, CUSTOM, COGNITO_USER_POOLS; None: not known
    api_key_required: bool | None
    integration: str | None  # AWS, AWS_PROXY, HTTP, HTTP_PROXY, MOCK; None: not in the source

    @property
    def key(self) -> str:
        return encode_key(self.path, self.http_method)

    @property
    def label(self) -> str:
        return f"{self.http_method} {self.path}"

    @property
    def is_open(self) -> bool:
        """Anyone can call it: no authorization and no API key."""
        return self.authorization == "NONE" and self.api_key_required is False

    def data(self) -> dict:
        return {"authorizationType": self.authorization, "apiKeyRequired": self.api_key_required,
                "integrationType": self.integration}


@dataclass(frozen=True)
class Deployed:
    """The deployed methods (None: unknown) and where they came from, or why they are unknown."""

    methods: tuple | None
    source: str | None  # EXPORT, DEPLOYMENT, or None when unknown
    note: str

    @property
    def integrations_known(self) -> bool:
        return self.methods is not None and all(m.integration is not None for m in self.methods)

    def summary(self) -> dict:
        return {"source": self.source, "count": None if self.methods is None else len(self.methods),
                "note": self.note}


def unknown(note: str) -> Deployed:
    return Deployed(None, None, note)


def _dict(value) -> dict:
    return value if isinstance(value, dict) else {}


def _scheme_kind(scheme: dict) -> str | None:
    """'API_KEY', an authorization type, or None for a scheme that is neither."""
    authtype = scheme.get("x-amazon-apigateway-authtype")
    if isinstance(authtype, str) and authtype.lower() in _AUTHTYPES:
        return _AUTHTYPES[authtype.lower()]
    if "x-amazon-apigateway-authorizer" in scheme:
        kind = _dict(scheme["x-amazon-apigateway-authorizer"]).get("type")
        return "COGNITO_USER_POOLS" if kind == "cognito_user_pools" else "CUSTOM"
    if scheme.get("type") == "apiKey" and str(scheme.get("name", "")).lower() == "x-api-key":
        return "API_KEY"
    return None


def from_export(export) -> Deployed:
    """The methods of an OpenAPI 3 export; ExportError when it is not one."""
    if not isinstance(export, dict) or not str(export.get("openapi", "")).startswith("3"):
        raise ExportError("the export is not an OpenAPI 3 document")
    schemes = _dict(_dict(export.get("components")).get("securitySchemes"))
    default_security = export.get("security")
    methods = []
    for path, item in _dict(export.get("paths")).items():
        for name, operation in _dict(item).items():
            if name not in _OPERATIONS or not isinstance(operation, dict):
                continue
            security = operation.get("security", default_security)
            kinds = set()
            for requirement in security if isinstance(security, list) else []:
                for scheme_name in _dict(requirement):
                    kinds.add(_scheme_kind(_dict(schemes.get(scheme_name))))
            authorization = next((k for k in ("AWS_IAM", "COGNITO_USER_POOLS", "CUSTOM") if k in kinds), "NONE")
            integration = _dict(operation.get("x-amazon-apigateway-integration")).get("type")
            methods.append(Method(str(path), _OPERATIONS[name], authorization, "API_KEY" in kinds,
                                  integration.upper() if isinstance(integration, str) else None))
    note = "from the stage's export (GetExport oas30)"
    if any(m.integration is None for m in methods):
        note += "; the export names no integration for some methods"
    return Deployed(tuple(_sorted(methods)), EXPORT, note)


def from_api_summary(deployment: dict, why: str) -> Deployed:
    """The methods of GetDeployment's `apiSummary` ({path: {METHOD: {authorizationType,
    apiKeyRequired}}}): authorization known, integration not."""
    summary = deployment.get("apiSummary") if isinstance(deployment, dict) else None
    if not isinstance(summary, dict):
        return unknown(f"{why}; the deployment has no API summary")
    methods = []
    for path, verbs in summary.items():
        for verb, info in _dict(verbs).items():
            info = _dict(info)
            authorization = info.get("authorizationType")
            api_key = info.get("apiKeyRequired")
            methods.append(Method(str(path), str(verb), authorization if isinstance(authorization, str) else None,
                                  api_key if isinstance(api_key, bool) else None, None))
    note = f"{why}; methods from the deployment's API summary (GetDeployment), integrations unknown"
    return Deployed(tuple(_sorted(methods)), DEPLOYMENT, note)


def _sorted(methods: list) -> list:
    return sorted(methods, key=lambda m: (m.path, m.http_method))
