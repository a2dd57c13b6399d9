"""`check -o github`: GitHub Actions workflow commands, one annotation a line, which the runner
shows on the pull request and the job ("Workflow commands for GitHub Actions": `::error
file=…,line=…,col=…,title=…::message`). One annotation per finding of a failing check (error
for critical and high severity, warning below), at the file and line model/report.py gives; a
scope that could not be read is an `::error` without a file.

Escaping is @actions/core's (toolkit packages/core/src/command.ts): a property value escapes
`%`, `\\r`, `\\n`, `:` and `,` (escapeProperty), the message `%`, `\\r`, `\\n` (escapeData). Service
text is made visible first (core/text.visible), so a control character cannot reach the log raw.
"""

from apigw_stage.core.text import visible
from apigw_stage.model.report import FAIL, fails, fix_text, locations
from apigw_stage.output import stream

_COMMAND = {"critical": "error", "high": "error"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _command(kind: str, properties: list, message: str) -> str:
    props = ",".join(f"{key}={escape_property(visible(value))}" for key, value in properties)
    return f"::{kind}{' ' + props if props else ''}::{escape_data(message)}"


def lines(report) -> list[str]:
    out = []
    for target, outcome in report.stages:
        for entry in outcome["checks"]:
            if not fails(entry, report.strict):
                continue
            kind = _COMMAND.get(entry.get("severity"), "warning")
            for place in locations(target, entry):
                properties = [("file", target.path), ("line", str(place.line))]
                if target.on_disk:
                    properties.append(("col", str(place.column)))
                properties.append(("title", f"{entry['id']} {entry['title']}"))
                what = f"{place.where}: {place.reason}" if place.reason else (
                    "not evaluated (fails with --strict): " + str(entry.get("note") or "")
                    if entry["status"] != FAIL else "failing")
                message = f"{visible(target.name)}: {visible(what)}"
                fix = fix_text(entry, place.index)
                if fix:
                    message += "\nFix: " + visible(fix.replace("\n", " ; "))
                out.append(_command(kind, properties, message))
    for scope, reason in report.not_read:
        out.append(_command("error", [("title", "stage check: not read")], f"not read: {visible(scope)}: {visible(reason)}"))
    return out


def dumps(report) -> str:
    found = lines(report)
    return "".join(line + "\n" for line in found)


def write(report, env) -> None:
    stream.write(env, dumps(report.checked))
