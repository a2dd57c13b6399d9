"""Which account a profile's stages belong to: STS GetCallerIdentity, asked only where STS
answers for the same account as API Gateway (the fleet scan labels its rows with it)."""

from apigw_stage.core.errors import AuthError, StageError
from apigw_stage.sources.fleet.scope import Account, Scope


def sts_account(account: Account, scope: Scope, limiter=None, sessions=None) -> str | None:
    """The account id from one STS GetCallerIdentity, or None when STS cannot tell (unreachable,
    a service error): rows then name the profile. Through aws.Client like every call (each
    attempt bounded in time, paced by `limiter`, a --debug line, our typed errors). Credentials
    that do not work raise AuthError: the profile's cells then fail without a call of their own.
    Anything but our errors is a bug and goes up (it must not quietly relabel the rows)."""
    from apigw_stage.sources.aws import Client
    from apigw_stage.core.target import Target

    # The profile's own region, as the AWS CLI would ask STS (regional endpoints answer alike).
    target = Target(account.profile, account.region or "us-east-1", None, scope.timeout, scope.debug)
    try:
        answer = Client(target, limiter=limiter, service="sts", sessions=sessions).call("get_caller_identity")
    except AuthError:
        raise
    except StageError:
        return None
    value = answer.get("Account")
    return value if isinstance(value, str) and value else None


def wants_sts(scope: Scope) -> bool:
    """STS only where it answers for the same account: not when API Gateway calls go to an
    endpoint of their own (--endpoint-url, AWS_ENDPOINT_URL_API_GATEWAY) and STS would reach AWS."""
    import os

    if scope.endpoint_url:
        return False
    if os.environ.get("AWS_ENDPOINT_URL_API_GATEWAY") and not (
            os.environ.get("AWS_ENDPOINT_URL") or os.environ.get("AWS_ENDPOINT_URL_STS")):
        return False
    return True
