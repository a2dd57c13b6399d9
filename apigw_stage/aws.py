"""API Gateway over boto3: one client per run, bounded timeouts and retries, botocore errors
turned into our typed errors. Imported only by commands that talk to AWS."""

import functools
import os

import boto3
import botocore.exceptions as bex
from botocore.config import Config

from apigw_stage.errors import AuthError, NetworkError, NotFound, ServiceError, StageError, UsageError
from apigw_stage.target import Target

MAX_ATTEMPTS = 3  # in all: the first try plus two retries
RETRY_AFTER_CAP = 10.0  # seconds; a Retry-After beyond this is not worth a CLI user's wait
DEFAULT_TIMEOUT = 5.0

_AUTH_CODES = {
    "UnauthorizedException", "AccessDeniedException", "AccessDenied", "UnrecognizedClientException",
    "InvalidSignatureException", "SignatureDoesNotMatch", "ExpiredTokenException", "ExpiredToken",
    "InvalidClientTokenId", "MissingAuthenticationTokenException", "IncompleteSignature",
}
_THROTTLE_CODES = {"TooManyRequestsException", "LimitExceededException", "ThrottlingException", "Throttling"}


def _retry_after(response=None, attempts=1, limit=MAX_ATTEMPTS, **_):
    """Honour a throttled answer's Retry-After (botocore's standard mode ignores it)."""
    if response is None or attempts >= limit:
        return None
    http = response[0]
    if http.status_code not in (429, 503):
        return None
    value = http.headers.get("Retry-After")
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        return None
    return min(max(seconds, 0.0), RETRY_AFTER_CAP)


class Client:
    def __init__(self, target: Target, attempts: int = MAX_ATTEMPTS):
        self.target = target
        timeout = target.timeout if target.timeout is not None else DEFAULT_TIMEOUT
        config = Config(
            # Config's max_attempts counts retries only (unlike the config file's).
            retries={"mode": "standard", "max_attempts": attempts - 1},
            connect_timeout=timeout,
            read_timeout=timeout,
            user_agent_appid="apigw-stage",
        )
        try:
            # AWS_REGION is what the AWS CLI v2 and the other SDKs read first; boto3 reads only
            # AWS_DEFAULT_REGION, so pass it on ourselves.
            region = target.region or os.environ.get("AWS_REGION") or None
            session = boto3.session.Session(profile_name=target.profile, region_name=region)
            self.region = session.region_name
            self._api = session.client("apigateway", endpoint_url=target.endpoint_url, config=config)
        except bex.ProfileNotFound:
            raise AuthError(
                f"profile {target.profile_name()!r} is not in your AWS config",
                "run `aws configure list-profiles` or pass --profile",
            ) from None
        except bex.NoRegionError:
            raise UsageError("no AWS region set", "pass --region or set AWS_REGION") from None
        except ValueError as exc:  # e.g. a malformed --endpoint-url
            raise UsageError(str(exc)) from None
        except bex.BotoCoreError as exc:
            raise translate(exc, self._where()) from None
        self._api.meta.events.register_first("needs-retry.api-gateway", functools.partial(_retry_after, limit=attempts))
        self.calls = 0

    def _where(self) -> str:
        region = getattr(self, "region", None) or self.target.region or "?"
        return f"profile {self.target.profile_name()!r}, region {region}"

    def call(self, operation: str, **params):
        self.calls += 1
        try:
            return getattr(self._api, operation)(**params)
        except (bex.BotoCoreError, bex.ClientError) as exc:
            raise translate(exc, self._where()) from None

    def get_stage(self, api_id: str, stage: str) -> dict:
        return self.call("get_stage", restApiId=api_id, stageName=stage)

    def get_stages(self, api_id: str) -> list[dict]:
        return self.call("get_stages", restApiId=api_id).get("item") or []

    def get_rest_apis(self) -> list[dict]:
        """Every REST API of the account/region (GetRestApis is paginated by `position`)."""
        apis, position = [], None
        while True:
            params = {"limit": 500}
            if position:
                params["position"] = position
            page = self.call("get_rest_apis", **params)
            apis.extend(page.get("items") or [])
            position = page.get("position")
            if not position or not page.get("items"):
                return apis


def translate(exc: Exception, where: str) -> StageError:
    """A botocore exception as one of our errors with its exit code and a hint."""
    login_hint = f"{where}; run `aws sso login` or pass --profile"
    if isinstance(exc, bex.ClientError):
        error = exc.response.get("Error", {})
        code = str(error.get("Code", ""))
        message = error.get("Message") or code or "no message"
        status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode") or 0
        if code == "NotFoundException" or status == 404:
            return NotFound(message)
        if code in _AUTH_CODES or status in (401, 403):
            return AuthError(f"not authorised: {message}", login_hint)
        if code in _THROTTLE_CODES or status == 429:
            return ServiceError(f"throttled by API Gateway after {MAX_ATTEMPTS} attempts: {message}", "try again shortly")
        if code == "BadRequestException" or status == 400:
            return UsageError(f"rejected by API Gateway: {message}")
        return ServiceError(f"API Gateway error {code or status}: {message}")
    if isinstance(exc, (bex.NoCredentialsError, bex.PartialCredentialsError)):
        return AuthError("no AWS credentials found", login_hint)
    if isinstance(exc, (bex.TokenRetrievalError, bex.SSOTokenLoadError, bex.UnauthorizedSSOTokenError)):
        return AuthError("the SSO session has expired or is missing", login_hint)
    if isinstance(exc, bex.CredentialRetrievalError):
        return AuthError(f"could not get credentials: {exc}", login_hint)
    if isinstance(exc, bex.ProfileNotFound):
        return AuthError(str(exc), "run `aws configure list-profiles` or pass --profile")
    if isinstance(exc, bex.NoRegionError):
        return UsageError("no AWS region set", "pass --region or set AWS_REGION")
    if isinstance(exc, (bex.ConnectTimeoutError, bex.ReadTimeoutError)):
        return NetworkError(f"API Gateway did not answer in time ({exc})", "check the network or raise --timeout")
    if isinstance(exc, (bex.EndpointConnectionError, bex.ConnectionClosedError, bex.HTTPClientError)):
        return NetworkError(f"cannot reach API Gateway: {exc}", "check the network, proxy or --endpoint-url")
    if isinstance(exc, bex.ResponseParserError):
        return ServiceError("API Gateway sent a response that could not be read (not JSON)")
    return ServiceError(f"{type(exc).__name__}: {exc}")
