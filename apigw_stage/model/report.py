"""What a command hands to the output writers (output/formats.py): the data for json/yaml, the
table for people, and for `check` the stages checked with the rules that ran (for the report formats). A writer reads the
report only: check rules and statuses reach it here, never by importing checks/."""

from typing import Callable, NamedTuple

from apigw_stage.core import families

PASS, FAIL, NOT_APPLICABLE, NOT_EVALUATED, INFO, IGNORED = (
    "pass", "fail", "not_applicable", "not_evaluated", "info", "ignored")
SKIPPED = (IGNORED, NOT_APPLICABLE, NOT_EVALUATED)


class StageRef:
    """Where a checked stage lives (family, account, region, API id, stage; or the file it was
    read from), for locations and names."""

    def __init__(self, stage: str, api_id: str | None = None, region: str | None = None,
                 account: str | None = None, file: str | None = None, partition: str = "aws",
                 family=families.REST, account_name: str | None = None, api_name: str | None = None):
        self.stage, self.api_id, self.region, self.account, self.file = stage, api_id, region, account, file
        self.partition, self.family = partition, family
        self.account_name = account_name  # the organization's name for the account (--org-role), else None
        self.api_name = api_name  # the API's name where the scan read it (for people: the html report)

    @property
    def _path(self) -> str:
        return f"{self.family.arn_collection}/{self.api_id or 'API'}/stages/{self.stage}"

    @property
    def arn(self) -> str | None:
        if not self.api_id or not self.region:
            return None
        return f"arn:{self.partition}:apigateway:{self.region}::/{self._path}"

    @property
    def uri(self) -> str:
        return self.file or self.arn or self._path

    @property
    def name(self) -> str:
        parts = [p for p in (self.account, self.region, self.api_id, self.stage) if p]
        return "/".join(parts) if self.api_id else self.file or self.stage


class Checked(NamedTuple):
    """The stages a check judged: [(StageRef, checks.run result)], the scopes it could not read
    [(scope text, reason)], and every family's rules {family key: its checks}, whose metadata
    (id, source, title, why, severity, Config rule, resource types) the writers describe."""

    stages: list
    not_read: list
    rules: dict


class Report(NamedTuple):
    data: object  # json/yaml: the documented data
    table: Callable  # table(on_terminal) -> a renderable for people
    checked: Checked | None = None  # check only: what the report formats write
