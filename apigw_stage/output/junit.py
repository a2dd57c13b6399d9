"""`check -o junit`: JUnit XML as Jenkins (junit-10.xsd), GitLab and dorny/test-reporter read it.

One <testsuite> per stage (name: the stage, file: its snapshot or --file path, relative to the
report root), one <testcase> per control, and per finding when a failing control found several
places (a method entry, a route, a variable). The exit rule (README, "Exit status of check"):
fail is <failure> (message one line, body the evidence and the fix commands); ignored, not
applicable and not evaluated are <skipped> with the reason as text, unless --strict makes not
evaluated a failure; a scope that could not be read is a testcase with <error> in a suite of its
own. `time` on every suite and case (SUREFIRE_TIME: at most three decimals, no exponent).
<testsuites> carries no `skipped`: junit-10.xsd does not allow it there. XML 1.0 cannot hold
control characters, surrogates or U+FFFE/U+FFFF: service text goes through core/text.xml_text
first (json keeps the exact values)."""

import shlex
import xml.etree.ElementTree as ET

from apigw_stage.core.text import xml_text
from apigw_stage.model.report import FAIL, SKIPPED, fails, fix_commands, locations
from apigw_stage.output import stream

_COUNTS = ("tests", "failures", "errors", "skipped")


def _text(value) -> str:
    return xml_text("" if value is None else value)


def _seconds(value: float) -> str:
    return f"{max(0.0, value):.3f}"


def _body(entry: dict, index: int | None = None) -> str | None:
    # One line per finding and per fix command, each escaped on its own: escaping the joined text
    # would show the joining newlines as a literal backslash-n, and a newline in service text
    # stays escaped (it cannot forge a line of its own).
    findings = entry.get("findings") or []
    findings = findings if index is None else findings[index:index + 1]
    body = [f"{f['where']}: {f['reason']}" for f in findings]
    if entry["status"] != FAIL:
        body.append(f"not evaluated (fails with --strict): {entry.get('note') or ''}".rstrip(": "))
    fixes = [shlex.join(words) for words in fix_commands(entry, index)]
    body += [("Fix: " if i == 0 else "     ") + command for i, command in enumerate(fixes)]
    return "\n".join(_text(line) for line in body) if body else None


def _cases(suite, target, entry: dict, strict: bool, counts: dict) -> None:
    name = f"{entry['id']} {entry['title']}"
    seconds = _seconds(target.timings.get(entry["id"], 0.0))
    if fails(entry, strict):
        places = locations(target, entry)
        several = len(places) > 1
        for index, place in enumerate(places):
            counts["tests"] += 1
            counts["failures"] += 1
            case = ET.SubElement(suite, "testcase", classname=_text(target.name),
                                 name=_text(f"{name}: {place.where}" if several else name), time=seconds)
            where = f" ({place.where})" if several else ""
            failure = ET.SubElement(case, "failure", type=_text(entry["id"]),
                                    message=_text(f"{entry['severity']}: {entry['title']}{where}"))
            failure.text = _body(entry, index if several else None)
        return
    counts["tests"] += 1
    case = ET.SubElement(suite, "testcase", classname=_text(target.name), name=_text(name), time=seconds)
    if entry["status"] in SKIPPED:
        counts["skipped"] += 1
        reason = f"{entry['status'].replace('_', ' ')}: {entry.get('note') or ''}".rstrip(": ")
        skipped = ET.SubElement(case, "skipped", message=_text(reason))
        skipped.text = _text(reason)


def _suite(parent, name: str, file: str | None) -> tuple:
    attrs = {"name": _text(name)}
    if file:
        attrs["file"] = _text(file)
    return ET.SubElement(parent, "testsuite", attrs), dict.fromkeys(_COUNTS, 0)


def _parameters(suite, outcome: dict) -> None:
    """The --param rule parameters the stage was judged by, before its test cases (JUnit's order)."""
    parameters = outcome.get("parameters") or {}
    if parameters:
        properties = ET.SubElement(suite, "properties")
        for name, values in parameters.items():
            ET.SubElement(properties, "property", name=_text(f"param.{name}"), value=_text(",".join(values)))


def _close(suite, counts: dict, seconds: float, total: dict) -> None:
    for key in _COUNTS:
        suite.set(key, str(counts[key]))
        total[key] += counts[key]
    suite.set("time", _seconds(seconds))


def document(report) -> ET.Element:
    """<testsuites> for a model/report.Checked: its stages [(StageRef, checks.run result)] and
    the scopes not read [(scope, reason)]."""
    suites = ET.Element("testsuites", name="stage check")
    total = dict.fromkeys(_COUNTS, 0)
    elapsed = 0.0
    for target, outcome in report.stages:
        suite, counts = _suite(suites, target.name, target.path)
        _parameters(suite, outcome)
        for entry in outcome["checks"]:
            _cases(suite, target, entry, report.strict, counts)
        seconds = sum(target.timings.values())
        elapsed += seconds
        _close(suite, counts, seconds, total)
    if report.not_read:
        # An incomplete scan says so in the report (issue 19): each scope not read is an error.
        suite, counts = _suite(suites, "not read", None)
        for scope, reason in report.not_read:
            counts["tests"] += 1
            counts["errors"] += 1
            case = ET.SubElement(suite, "testcase", classname=_text(scope), name="read", time=_seconds(0))
            error = ET.SubElement(case, "error", message=_text(reason), type="not read")
            error.text = _text(f"{scope}: {reason}")
        _close(suite, counts, 0.0, total)
    for key in ("tests", "failures", "errors"):  # junit-10.xsd: no `skipped` on <testsuites>
        suites.set(key, str(total[key]))
    suites.set("time", _seconds(elapsed))
    return suites


def dumps(report) -> str:
    tree = document(report)
    ET.indent(tree)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(tree, encoding="unicode") + "\n"


def write(report, env) -> None:
    stream.write(env, dumps(report.checked))
