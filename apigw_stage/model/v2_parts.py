"""The parts of an HTTP or WebSocket API that Security Hub judges apart from its stages: its routes
(GetRoutes, AWS::ApiGatewayV2::Route, APIGateway.8) and integrations (GetIntegrations,
AWS::ApiGatewayV2::Integration, APIGateway.10). Pure: no I/O.

Both belong to the API, not to a stage (AWS Config records each route and integration as a
resource of its own), so every stage of an API shares them and one read serves them all. The
service answers in PascalCase (botocore's apigatewayv2 Route: RouteId, RouteKey,
AuthorizationType; Integration: IntegrationId, IntegrationType, ConnectionType, TlsConfig);
they are kept as the service sent them, odd values included, and read here with care.
"""

from typing import NamedTuple


class Route(NamedTuple):
    route_id: str | None
    key: str  # the route key as sent ("GET /pets", "$connect"); "(no route key)" when missing
    authorization: object  # AuthorizationType as sent: NONE, AWS_IAM, CUSTOM, JWT; None when absent


class Integration(NamedTuple):
    integration_id: str | None
    integration_type: object  # AWS_PROXY, HTTP_PROXY, MOCK, ...
    connection_type: object  # INTERNET (the default when absent) or VPC_LINK
    tls_config: object  # TlsConfig as sent; absent: None
    has_tls: bool  # the member TlsConfig is present


class ApiParts(NamedTuple):
    routes: list | None  # None: not read (the note says why)
    integrations: list | None
    note: str = ""


def _text(value) -> str | None:
    return value if isinstance(value, str) and value else None


def from_service(routes: list | None, integrations: list | None, note: str = "") -> ApiParts:
    """ApiParts from GetRoutes' and GetIntegrations' Items (None: that call was not made)."""
    out_routes = None
    if routes is not None:
        out_routes = [Route(_text(r.get("RouteId")), _text(r.get("RouteKey")) or "(no route key)",
                            r.get("AuthorizationType")) for r in routes if isinstance(r, dict)]
    out_integrations = None
    if integrations is not None:
        out_integrations = [Integration(_text(i.get("IntegrationId")), i.get("IntegrationType"),
                                        i.get("ConnectionType"), i.get("TlsConfig"), "TlsConfig" in i)
                            for i in integrations if isinstance(i, dict)]
    return ApiParts(out_routes, out_integrations, note)


def unknown(note: str) -> ApiParts:
    return ApiParts(None, None, note)
