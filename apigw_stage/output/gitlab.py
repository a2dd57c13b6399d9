"""`check -o gitlab`: a GitLab Code Quality report ("Code Quality report format",
docs.gitlab.com/ci/testing/code_quality/): a JSON array, one finding per finding of a failing
check, with description, check_name, fingerprint (unique in the report: GitLab keys findings by
it), severity, and location.path/lines.begin at the file and line model/report.py gives.
Severities: critical → critical, high → major, medium → minor, low and informational → info.
Scopes not read are not findings here (no file holds them): stderr and the exit status (8) say
so, and the code scanning and JUnit reports list them."""

import json

from apigw_stage.core.plain import plain
from apigw_stage.model.report import FAIL, fails, fix_text, locations
from apigw_stage.output import stream

_SEVERITY = {"critical": "critical", "high": "major", "medium": "minor", "low": "info", "informational": "info"}


def findings(report) -> list[dict]:
    out, seen = [], set()
    for target, outcome in report.stages:
        for entry in outcome["checks"]:
            if not fails(entry, report.strict):
                continue
            for place in locations(target, entry):
                fingerprint = target.fingerprint(entry["id"], place.at)
                count = 1
                while fingerprint in seen:  # two findings at one place: each keeps its own
                    count += 1
                    fingerprint = target.fingerprint(entry["id"], (*place.at, count))
                seen.add(fingerprint)
                what = f"{place.where}: {place.reason}" if place.reason else (
                    "not evaluated (fails with --strict): " + str(entry.get("note") or "")
                    if entry["status"] != FAIL else "failing")
                finding = {
                    "type": "issue",
                    "check_name": entry["id"],
                    "description": f"{entry['id']} {entry['title']}: {target.name}: {what}",
                    "categories": ["Security"],
                    "fingerprint": fingerprint,
                    "severity": _SEVERITY.get(entry.get("severity"), "minor"),
                    "location": {"path": target.path, "lines": {"begin": place.line}},
                }
                fix = fix_text(entry, place.index)
                if fix:
                    finding["content"] = {"body": "Fix:\n" + fix}
                out.append(finding)
    return out


def dumps(report) -> str:
    return json.dumps(plain(findings(report)), indent=2, ensure_ascii=False) + "\n"


def write(report, env) -> None:
    stream.write(env, dumps(report.checked))
