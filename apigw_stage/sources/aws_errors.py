"""botocore's exceptions as our typed errors, each with its exit code and one line naming the cause.

A message is built from the exception's kind and from values we chose (the endpoint's host, the
profile, the region, file paths and profile names from the user's own config), never from str()
of an exception that can carry request data: http.client's "Invalid header value b'...'" holds a
session token or the Authorization header (key id and signature); the URL of an
EndpointConnectionError or a timeout holds the request's path and query; a ParamValidationError
quotes parameters. Text the service sent (an error's message) is shown, escaped by the reporter.
"""

import ssl

import botocore.exceptions as bex
from botocore.parsers import ResponseParserError

from apigw_stage.core.errors import AuthError, NetworkError, NotFound, ServiceError, StageError, UsageError

_AUTH_CODES = {
    "UnauthorizedException", "AccessDeniedException", "AccessDenied", "UnrecognizedClientException",
    "InvalidSignatureException", "SignatureDoesNotMatch", "ExpiredTokenException", "ExpiredToken",
    "InvalidClientTokenId", "MissingAuthenticationTokenException", "IncompleteSignature",
}
_THROTTLE_CODES = {"TooManyRequestsException", "LimitExceededException", "ThrottlingException", "Throttling"}
_TLS_HINT = "an intercepting proxy? set AWS_CA_BUNDLE to a PEM file with its CA certificate"


class OutOfTime(Exception):
    """The client's whole time budget ran out: not retried."""


class NotJson(Exception):
    """A successful answer whose body is not JSON (a proxy's or captive portal's page, gzip,
    another encoding). botocore would hand it back as {'message': body} and GetRestApis would
    look empty, so the attempt fails instead."""


def translate(exc: Exception, where: str, attempts: int, endpoint: str) -> StageError:
    """`exc` as one of our errors. `where` names profile and region, `attempts` is the client's
    most attempts per call, `endpoint` is scheme://host:port without any userinfo."""
    login_hint = f"{where}; run `aws sso login` or pass --profile"
    if isinstance(exc, bex.ClientError):
        return _client_error(exc, login_hint, attempts)
    if isinstance(exc, (bex.NoCredentialsError, bex.PartialCredentialsError)):
        return AuthError("no AWS credentials found", login_hint)
    if isinstance(exc, (bex.TokenRetrievalError, bex.SSOTokenLoadError, bex.UnauthorizedSSOTokenError)):
        return AuthError("the SSO session has expired or is missing", login_hint)
    if isinstance(exc, bex.CredentialRetrievalError):
        # error_msg is the provider's own text (a credential_process's stderr), not request data.
        return AuthError(f"could not get credentials from {exc.kwargs.get('provider')}: {exc.kwargs.get('error_msg')}", login_hint)
    if isinstance(exc, bex.ProfileNotFound):
        return AuthError(f"profile {exc.kwargs.get('profile')!r} is not in your AWS config",
                         "run `aws configure list-profiles` or pass --profile")
    if isinstance(exc, bex.InfiniteLoopConfigError):
        chain = " -> ".join([*exc.kwargs.get("visited_profiles", []), str(exc.kwargs.get("source_profile"))])
        return AuthError(f"the source_profile settings of your AWS config loop: {chain}", f"{where}; fix source_profile")
    if isinstance(exc, bex.InvalidConfigError):
        return AuthError(f"the credential settings of your AWS config are invalid: {exc.kwargs.get('error_msg')}", where)
    if isinstance(exc, bex.ConfigParseError):
        # Exit 2, not 4: a file the user wrote cannot be read at all (like an unreadable --file);
        # nothing about the credentials themselves is wrong yet, and logging in would not help.
        return UsageError(f"cannot parse the AWS config file {exc.kwargs.get('path')}",
                          "fix it, or point AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE elsewhere")
    if isinstance(exc, bex.NoRegionError):
        return UsageError("no AWS region set", "pass --region or set AWS_REGION")
    if isinstance(exc, bex.InvalidRegionError):  # from AWS_REGION or the profile: --region is checked first
        return UsageError("the region set in AWS_REGION or the profile is not a region name", "e.g. us-east-1")
    if isinstance(exc, bex.ParamValidationError):
        return UsageError("the request's parameters are not valid for API Gateway")
    if isinstance(exc, (NotJson, ResponseParserError)):
        return ServiceError(f"{endpoint} answered with a body that is not JSON (a proxy's page?)",
                            "check --endpoint-url, AWS_ENDPOINT_URL and the proxy settings")
    network = _network(exc, where, attempts, endpoint)
    if network is not None:
        return network
    return ServiceError(f"the AWS SDK failed: {type(exc).__name__}", "--debug shows each call")


def _client_error(exc: bex.ClientError, login_hint: str, attempts: int) -> StageError:
    error = exc.response.get("Error", {})
    code = str(error.get("Code", ""))
    message = error.get("Message") or code or "no message"
    status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode") or 0
    if code == "NotFoundException" or status == 404:
        return NotFound(message)
    if code in _AUTH_CODES or status in (401, 403):
        return AuthError(f"not authorised: {message}", login_hint)
    if code in _THROTTLE_CODES or status == 429:
        tries = "1 attempt" if attempts == 1 else f"{attempts} attempts"
        return ServiceError(f"throttled by API Gateway after {tries}: {message}", "try again shortly")
    if code == "BadRequestException" or status == 400:
        return UsageError(f"rejected by API Gateway: {message}")
    if status >= 500:
        # Retried already (botocore's retry mode, with backoff): the next step is the user's.
        tries = "1 attempt" if attempts == 1 else f"{attempts} attempts"
        return ServiceError(f"API Gateway error {code or status} after {tries}: {message}",
                            "a fault on AWS's side: try again in a minute, or allow more attempts with "
                            "AWS_MAX_ATTEMPTS; the AWS Health Dashboard shows outages")
    return ServiceError(f"API Gateway error {code or status}: {message}")


def _network(exc: Exception, where: str, attempts: int, endpoint: str) -> StageError | None:
    timed = f"each of at most {attempts} attempts may take --timeout seconds in all; check the network or raise --timeout"
    if isinstance(exc, OutOfTime):
        return NetworkError(f"API Gateway at {endpoint} did not answer in time", "the time allowed for the command ran out")
    if isinstance(exc, (bex.ConnectTimeoutError, bex.ReadTimeoutError)):
        return NetworkError(f"API Gateway at {endpoint} did not answer in time", timed)
    if isinstance(exc, bex.SSLError):
        return _tls(exc, endpoint)
    if isinstance(exc, bex.ProxyConnectionError):
        return NetworkError("cannot connect to the proxy", "check HTTPS_PROXY, HTTP_PROXY and NO_PROXY")
    if isinstance(exc, bex.EndpointConnectionError):
        return NetworkError(f"cannot reach API Gateway at {endpoint}", "check the network, proxy or --endpoint-url")
    if isinstance(exc, bex.ConnectionClosedError):
        return NetworkError(f"{endpoint} closed the connection before answering", "check the network, proxy or --endpoint-url")
    if isinstance(exc, (bex.HTTPClientError, bex.ConnectionError)):
        inner = exc.kwargs.get("error")
        if isinstance(inner, ValueError) and "header" in str(inner).lower():
            # The only header values we send come from the credentials (key id, session
            # token) and botocore's signature: a newline in a key or token lands here.
            return AuthError("the AWS credentials hold a character that cannot be sent in an HTTP header (a newline?)",
                             f"{where}; check AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN or the profile's keys")
        kind = type(inner).__name__ if inner is not None else type(exc).__name__
        return NetworkError(f"the connection to {endpoint} failed ({kind})", "check the network, proxy or --endpoint-url")
    return None


def _causes(exc: BaseException):
    """exc and what it wraps: botocore's error kwarg, urllib3's first argument, the causes."""
    seen, todo = [], [exc]
    while todo and len(seen) < 10:
        current = todo.pop(0)
        if not isinstance(current, BaseException) or any(current is s for s in seen):
            continue
        seen.append(current)
        todo += [getattr(current, "kwargs", {}).get("error"), *current.args[:1], current.__cause__, current.__context__]
    return seen


def _tls(exc: bex.SSLError, endpoint: str) -> StageError:
    causes = _causes(exc)
    for cause in causes:
        if isinstance(cause, ssl.SSLCertVerificationError):
            return NetworkError(f"TLS certificate check failed for {endpoint}: {cause.verify_message}", _TLS_HINT)
        if isinstance(cause, ssl.CertificateError) or type(cause).__name__ == "CertificateError":
            return NetworkError(f"TLS certificate check failed for {endpoint}: the certificate does not name this host", _TLS_HINT)
        if isinstance(cause, (FileNotFoundError, PermissionError, IsADirectoryError)):
            return UsageError(f"the CA bundle cannot be read: {cause.strerror}", "check AWS_CA_BUNDLE or the profile's ca_bundle")
    for cause in causes:
        if isinstance(cause, ssl.SSLError) and cause.reason:
            if cause.reason in ("WRONG_VERSION_NUMBER", "RECORD_LAYER_FAILURE", "HTTP_REQUEST", "PACKET_LENGTH_TOO_LONG"):
                return NetworkError(f"{endpoint} does not speak TLS ({cause.reason})", "an http:// endpoint given as https://?")
            return NetworkError(f"the TLS handshake with {endpoint} failed ({cause.reason})", _TLS_HINT)
    return NetworkError(f"the TLS connection to {endpoint} failed", _TLS_HINT)
