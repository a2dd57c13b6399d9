"""The table of `stage domains`: per custom domain its endpoint, TLS policy, certificate and mutual
TLS, then each public URL with the API and stage it reaches; then the findings of the domain
checks and the commands that fix them (outside any table, so a copied block has no borders).

URLs and ARNs wrap after `/` and `:` (cells.SafeText) rather than being cut; stage names and
ids never wrap."""

from rich.console import Group
from rich.segment import Segment
from rich.text import Text

from apigw_stage.render.cells import SafeText, field_grid, joined, lines, none, plural, stack, table, text, title
from apigw_stage.render.findings import command_lines

_STATUS = {"fail": ("FAIL", "bold red"), "warn": ("WARN", "bold yellow")}


def _certificate(entry: dict) -> SafeText:
    if not entry.get("certificateArn"):
        return none()
    days = entry.get("certificateDaysLeft")
    if days is None:
        detail = SafeText("expiry unknown", style="dim")
        if entry.get("certificateNote"):
            detail.append(": ")
            detail.append(text(entry["certificateNote"], "dim"))
    elif days < 0:
        detail = SafeText(f"expired {-days} days ago", style="bold red")
    else:
        detail = SafeText(f"expires {entry['certificateNotAfter'][:10]} (in {plural(days, 'day')})",
                          style="yellow" if days <= 30 else "")
    return joined(text(entry["certificateArn"]), detail)


def _mtls(entry: dict) -> SafeText:
    mtls = entry.get("mutualTls")
    if not mtls:
        return SafeText("off", style="dim")
    out = text(mtls.get("truststoreUri"))
    if mtls.get("truststoreVersion"):
        out.append(" (version ")
        out.append(text(mtls["truststoreVersion"]))
        out.append(")")
    warnings = mtls.get("truststoreWarnings") or []
    if warnings:
        out.append(f" · {plural(len(warnings), 'truststore warning')}", style="yellow")
    return out


def _api(m: dict) -> SafeText:
    if m.get("apiName") is None and m.get("protocol") is None:
        return text(m.get("apiId"))
    out = text(m.get("apiName"), "bold")
    out.append(" (")
    out.append(text(m.get("apiId")))
    out.append(", ")
    out.append(text(m.get("protocol")))
    out.append(")")
    return out


def _mappings(entry: dict):
    if not entry["mappings"]:
        return SafeText("No API mappings: the domain reaches no stage.", style="dim")
    out = table(show_edge=False, header_style="bold")
    out.add_column("URL", overflow="fold", style="cyan")
    out.add_column("API", overflow="fold")
    out.add_column("Stage", no_wrap=True)
    for m in entry["mappings"]:
        stage = text(m.get("stage"), "magenta")
        if m.get("problem"):
            stage.append(f" {m['problem']}", style="bold red")
        out.add_row(text(m["url"], "cyan"), _api(m), stage)
    return out


def _domain(entry: dict):
    head = text(entry["domainName"], "bold magenta")
    head.append("  ")
    head.append(joined(entry.get("endpointType"), entry.get("securityPolicy"), entry.get("status")))
    grid = field_grid()
    grid.add_row("Certificate", _certificate(entry))
    grid.add_row("Mutual TLS", _mtls(entry))
    return stack(head, grid, _mappings(entry), "")


class _Fixes:
    def __init__(self, findings: list):
        self.findings = findings

    def __rich_console__(self, console, options):
        yield Text("To fix (words in CAPITALS are placeholders):", style="bold")
        for f in self.findings:
            yield Text(f"# {f['id']} {f['domainName']}", style="dim")
            for line in command_lines(f["fixCommand"], options.max_width):
                yield from text(line, "cyan").render(console)
                yield Segment.line()


def _findings(findings: list):
    out = table(show_edge=False, header_style="bold")
    out.add_column("Check", no_wrap=True)
    out.add_column("Result", no_wrap=True)
    out.add_column("Where", no_wrap=True)  # a domain or a URL: identifiers, never split
    out.add_column("Why", overflow="fold")
    for f in findings:
        label, style = _STATUS[f["status"]]
        where = text(f["domainName"], "bold")
        if f["where"] not in ("domain", "certificate"):
            where = text(f["where"])
        out.add_row(Text(f["id"], style="bold"), Text(label, style=style), where, text(f["reason"]))
    return out


def domains_report(data: dict, on_terminal: bool):
    del on_terminal
    entries = data["domains"]
    regions = sorted({e["region"] for e in entries if e.get("region")})
    heading = title("Custom domains", ", ".join(regions) or None, plural(len(entries), "domain"))
    body = [heading]
    if not entries:
        body.append(SafeText("No custom domain names here.", style="dim"))
    body += [_domain(e) for e in entries]
    if data["findings"]:
        body += [_findings(data["findings"]), _Fixes(data["findings"])]
    elif entries:
        body.append(SafeText("Checks DOMAIN.1-3: no finding.", style="green"))
    for item in data.get("notRead") or []:
        line = SafeText("Not read: ", style="bold yellow")
        line.append(text(item["what"]))
        line.append(": ")
        line.append(text(item["reason"]))
        body.append(line)
    return Group(*body)


def reached_at(invoke: str | None, urls: list, note: str | None):
    """show's lines under the stage: the invoke URL, then each custom-domain URL that reaches it."""
    grid = field_grid()
    grid.add_row("Invoke URL", text(invoke))
    if urls:
        grid.add_row("Custom domains", lines([text(u, "cyan") for u in urls]))
    elif note:
        grid.add_row("Custom domains", text(f"not read: {note}", "yellow"))
    else:
        grid.add_row("Custom domains", SafeText("none map to this stage", style="dim"))
    return grid
