"""Where a command's calls go. Kept apart from sources/aws.py so that naming a target costs no boto3,
and a namedtuple rather than a dataclass because a warm TAB imports it (dataclasses pulls in
inspect, about 10 ms)."""

import os
from collections import namedtuple


class Target(namedtuple("Target", "profile region endpoint_url timeout debug role",
                        defaults=(None, None, None, None, False, None))):
    """The same profile/region/endpoint as botocore would pick, plus our timeout and --debug.
    `role`: None, or a Role to assume with the profile's credentials (fleet --org-role)."""

    __slots__ = ()

    def profile_name(self) -> str:
        return self.profile or os.environ.get("AWS_PROFILE") or os.environ.get("AWS_DEFAULT_PROFILE") or "default"


class Role(namedtuple("Role", "arn session_name external_id", defaults=(None,))):
    """An IAM role to assume in a member account (STS AssumeRole's RoleArn, RoleSessionName, ExternalId)."""

    __slots__ = ()
