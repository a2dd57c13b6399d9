"""A saved fleet listing (sources/listing.py) as the Scan it was printed from, so that
`list --file` shows the fleet again: its table, its json, its exit status."""

from apigw_stage.core.errors import UsageError
from apigw_stage.sources.fleet.scan import Failure, Scan, StageResult
from apigw_stage.sources.fleet.scope import Account
from apigw_stage.sources.listing import entry_document, family_of

_TEXT = (str, type(None))


def _entry_text(entry: dict, key: str, where: str) -> str | None:
    value = entry.get(key)
    if not isinstance(value, _TEXT):
        raise UsageError(f"{where}: {key} is not text")
    return value


def _account(entry: dict, where: str) -> Account:
    profile = _entry_text(entry, "profile", where)
    return Account(None if profile in (None, "default") else profile, _entry_text(entry, "account", where))


def scan_of(raw: dict, name: str) -> Scan:
    scan = Scan()
    for index, entry in enumerate(raw["stages"]):
        where = f"cannot use {name}: stages item {index + 1}"
        family = family_of(entry)
        kind = _entry_text(entry, "apiType", where)
        scan.stages.append(StageResult(
            _account(entry, where), str(_entry_text(entry, "region", where) or ""),
            str(_entry_text(entry, "restApiId", where) or ""), _entry_text(entry, "apiName", where),
            entry_document(entry, where), family=family, protocol=None if kind in (None, "REST") else kind))
    for key, skipped in (("errors", False), ("skipped", True)):
        items = raw.get(key) or []
        if not isinstance(items, list):
            raise UsageError(f"cannot use {name}: {key} is not a list")
        for index, entry in enumerate(items):
            where = f"cannot use {name}: {key} item {index + 1}"
            if not isinstance(entry, dict):
                raise UsageError(f"{where}: not an object")
            code = entry.get("exitCode")
            failure = Failure(_account(entry, where), str(_entry_text(entry, "region", where) or ""),
                              str(_entry_text(entry, "reason", where) or ""),
                              code if isinstance(code, int) and not isinstance(code, bool) else 8,
                              _entry_text(entry, "restApiId", where), _entry_text(entry, "apiName", where),
                              skipped=skipped)
            (scan.skipped if skipped else scan.failures).append(failure)
    everything = scan.stages + scan.failures + scan.skipped
    scan.cells = len({(f.account.label, f.region) for f in everything})
    scan.apis = len({(s.account.label, s.region, s.api_id) for s in scan.stages})
    return scan
