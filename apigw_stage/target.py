"""Where a command's calls go. Kept apart from aws.py so that naming a target costs no boto3."""

import os
from dataclasses import dataclass


@dataclass(frozen=True)
class Target:
    """The same profile/region/endpoint as botocore would pick, plus our timeout."""

    profile: str | None = None
    region: str | None = None
    endpoint_url: str | None = None
    timeout: float | None = None

    def profile_name(self) -> str:
        return self.profile or os.environ.get("AWS_PROFILE") or os.environ.get("AWS_DEFAULT_PROFILE") or "default"
