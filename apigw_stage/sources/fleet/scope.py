"""Which accounts and regions a fleet command reads: profiles × regions.

Regions come from --region (repeatable), --all-regions (every region where API Gateway exists in
the profile's partition, from botocore's endpoint data: no call), or the profile's own region.
The account id is taken from the profile's config where it is written there (sso_account_id,
role_arn, aws_account_id); otherwise one STS GetCallerIdentity per profile tells (scan.py), and
when nothing can tell, rows say "profile NAME".

Organization scope (--org-role ROLE): the accounts are the organization's ACTIVE members
(org.py: Organizations ListAccounts through the one profile, its management account or a
delegated administrator) or those given by --accounts/--accounts-file; each is reached by
assuming arn:PARTITION:iam::ACCOUNT:role/ROLE with the profile's credentials."""

import os
import re
from dataclasses import dataclass

from apigw_stage.core.errors import AuthError, UsageError
from apigw_stage.sources.fleet.pacing import DEFAULT_BURST, DEFAULT_RATE

_ROLE_ACCOUNT = re.compile(r"^arn:[\w-]+:iam::(\d{12}):")
DEFAULT_PARALLEL = 8  # accounts at once: bench/README.md, Organization scale
_REGION = re.compile(r"^[a-z]{2}(-[a-z]+)+-\d+$")


@dataclass(frozen=True)
class Scope:
    profiles: tuple = ()  # () means the default profile (AWS_PROFILE, then default)
    regions: tuple = ()
    all_regions: bool = False
    endpoint_url: str | None = None
    timeout: float | None = None
    rate: float = DEFAULT_RATE
    burst: int = DEFAULT_BURST
    debug: bool = False
    methods: bool = False  # fetch deployed methods (check --methods): one GetExport per deployment
    org_role: str | None = None  # --org-role: the role to assume in every member account
    accounts: tuple = ()  # --accounts/--accounts-file: (id, name or None) pairs; () with org_role: ListAccounts
    external_id: str | None = None  # --external-id, for AssumeRole
    parallel: int = DEFAULT_PARALLEL  # accounts scanned at once (--parallel)
    parts: bool = False  # fetch each v2 API's routes and integrations (check): GetRoutes + GetIntegrations


@dataclass(frozen=True)
class Account:
    profile: str | None  # None: the default credential chain
    account_id: str | None = None
    region: str | None = None  # the profile's own region
    partition: str = "aws"
    name: str | None = None  # the organization's name for the account (ListAccounts' Name)
    role: object = None  # core/target.Role to assume in the account (--org-role), else None

    @property
    def profile_name(self) -> str:
        return self.profile or os.environ.get("AWS_PROFILE") or os.environ.get("AWS_DEFAULT_PROFILE") or "default"

    @property
    def label(self) -> str:
        """How a row names the account: its id (and name, in an organization), else the profile."""
        if self.account_id and self.name:
            return f"{self.account_id} {self.name}"
        return self.account_id or f"profile {self.profile_name}"


@dataclass(frozen=True)
class Cell:
    """One (account, region): the unit of pacing and of failure."""

    account: Account
    region: str


def check_regions(regions) -> None:
    for region in regions:
        if not _REGION.match(region):
            raise UsageError(f"{region!r} is not a region name", "e.g. us-east-1")


def _account(profile: str | None) -> Account:
    import botocore.exceptions as bex
    import botocore.session

    session = botocore.session.Session(profile=profile)
    try:
        config = session.get_scoped_config()
    except bex.ProfileNotFound:
        raise AuthError(f"profile {profile!r} is not in your AWS config", "run `aws configure list-profiles`") from None
    region = os.environ.get("AWS_REGION") or session.get_config_variable("region")
    account_id = config.get("sso_account_id") or config.get("aws_account_id")
    if not account_id and (match := _ROLE_ACCOUNT.match(config.get("role_arn") or "")):
        account_id = match.group(1)
    partition = "aws"
    if region:
        try:
            partition = session.get_partition_for_region(region)
        except Exception:  # an unknown region name: botocore raises UnknownRegionError
            partition = "aws"
    return Account(profile, str(account_id) if account_id else None, region, partition)


def all_regions(partition: str) -> list[str]:
    """Where API Gateway exists in `partition`, from botocore's bundled endpoint data."""
    import botocore.session

    return sorted(botocore.session.get_session().get_available_regions("apigateway", partition_name=partition))


def caller(scope: Scope) -> Account:
    """The account of the (one) profile that lists and assumes, for an organization scope."""
    if len(scope.profiles) > 1:
        raise UsageError("one --profile with --org-role", "the organization's management account or a delegated administrator")
    return _account(scope.profiles[0] if scope.profiles else None)


def cells(scope: Scope, members: list | None = None) -> list[Cell]:
    """Every (account, region) of the scope, in the order given; exit 2 on a bad choice.
    `members`: the organization's accounts (org.py), each with its role, for --org-role."""
    if scope.all_regions and scope.regions:
        raise UsageError("give --region or --all-regions, not both")
    check_regions(scope.regions)
    out = []
    if members is not None:
        for account in members:
            out.extend(Cell(account, region) for region in _regions(scope, account))
        return out
    for profile in dict.fromkeys(scope.profiles or (None,)):
        account = _account(profile)
        out.extend(Cell(account, region) for region in _regions(scope, account))
    return out


def _regions(scope: Scope, account: Account) -> list[str]:
    if scope.all_regions:
        return all_regions(account.partition)
    if scope.regions:
        return list(dict.fromkeys(scope.regions))
    if account.region:
        return [account.region]
    raise UsageError("no AWS region set", "pass --region, --all-regions or set AWS_REGION")
