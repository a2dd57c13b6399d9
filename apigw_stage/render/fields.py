"""Rows of the `show` field grid that REST and v2 stages share: a key = value mapping cell, the
access-log rows, and the fields newer than this release."""

from apigw_stage.render.cells import SafeText, assemble, lines, none, text


def mapping(values, limit: int = 12) -> SafeText:
    """`key = value` lines sorted by key, at most `limit` of them; a non-object as written."""
    if not isinstance(values, dict) or not values:
        return none() if not values else text(values)
    entries = sorted(values.items(), key=lambda kv: str(kv[0]))
    out = [assemble(text(key, "bold"), (" = ", "dim"), text(value)) for key, value in entries[:limit]]
    if len(entries) > limit:
        out.append(SafeText(f"… and {len(values) - limit} more", style="dim"))
    return lines(out)


def unknown(values, known) -> dict:
    """Fields of a nested object that the service model of this release does not have."""
    return {k: v for k, v in values.items() if k not in known} if isinstance(values, dict) else {}


def access_log_rows(grid, logs: dict) -> None:
    if logs.get("destinationArn") or logs.get("format"):
        grid.add_row("Access logs", text(logs.get("destinationArn")))
        grid.add_row("  format", text(logs.get("format"), "dim"))
    else:
        grid.add_row("Access logs", SafeText("off", style="dim"))


def other_rows(grid, other: dict) -> None:
    """Fields newer than this release: shown as the service wrote them, under their own heading."""
    if not other:
        return
    grid.add_row(SafeText("Other fields", style="bold"), SafeText("not known to this version of stage", style="dim"))
    for key, value in sorted(other.items(), key=lambda kv: str(kv[0])):
        grid.add_row(assemble("  ", text(key, "cyan")), text(value))
