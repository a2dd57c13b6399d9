"""`check -o junit`: JUnit XML, one testcase per stage and check (classname: the stage, name: the
check), so a CI system shows each failing control: fail is <failure>, ignored, not applicable
and not evaluated are <skipped> with the reason, a scope that could not be read is a testcase
with <error>. XML 1.0 cannot hold control characters: service text is escaped with
core/text.visible first (json keeps the exact values)."""

import shlex
import xml.etree.ElementTree as ET

from apigw_stage.core.text import visible
from apigw_stage.model.report import FAIL, SKIPPED
from apigw_stage.output import stream


def _text(value) -> str:
    return visible("" if value is None else str(value))


def document(report) -> ET.Element:
    """<testsuites> for a model/report.Checked: its stages [(StageRef, checks.run result)] and
    the scopes not read [(scope, reason)]."""
    checked, not_read = report.stages, report.not_read
    suites = ET.Element("testsuites", name="stage check")
    suite = ET.SubElement(suites, "testsuite", name="stage check")
    counts = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    parameters = next((o.get("parameters") for _, o in checked if o.get("parameters")), None) or {}
    if parameters:  # the --param rule parameters the run judged by, before the test cases (JUnit's order)
        properties = ET.SubElement(suite, "properties")
        for name, values in parameters.items():
            ET.SubElement(properties, "property", name=_text(f"param.{name}"), value=_text(",".join(values)))
    for target, outcome in checked:
        for entry in outcome["checks"]:
            counts["tests"] += 1
            case = ET.SubElement(suite, "testcase", classname=_text(target.name),
                                 name=_text(f"{entry['id']} {entry['title']}"))
            status = entry["status"]
            if status == FAIL:
                counts["failures"] += 1
                # One line per finding and per fix command, each escaped on its own: escaping the
                # joined text would show the joining newlines as a literal backslash-n, and a newline in
                # service text stays escaped (it cannot forge a line of its own).
                body = [f"{f['where']}: {f['reason']}" for f in entry.get("findings") or []]
                fixes = [shlex.join(words) for words in entry.get("fixCommands") or []]
                body += [("Fix: " if i == 0 else "     ") + command for i, command in enumerate(fixes)]
                failure = ET.SubElement(case, "failure", message=_text(f"{entry['severity']}: {entry['title']}"),
                                        type=_text(entry["id"]))
                failure.text = "\n".join(_text(line) for line in body) if body else None
            elif status in SKIPPED:
                counts["skipped"] += 1
                ET.SubElement(case, "skipped", message=_text(f"{status.replace('_', ' ')}: {entry.get('note') or ''}".rstrip(": ")))
    for scope, reason in not_read:
        counts["tests"] += 1
        counts["errors"] += 1
        case = ET.SubElement(suite, "testcase", classname=_text(scope), name="read")
        ET.SubElement(case, "error", message=_text(reason), type="not read")
    for key, value in counts.items():
        suite.set(key, str(value))
        suites.set(key, str(value))
    return suites


def dumps(report) -> str:
    tree = document(report)
    ET.indent(tree)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(tree, encoding="unicode") + "\n"


def write(report, env) -> None:
    stream.write(env, dumps(report.checked))
