"""The tables of `stage limits`: methods (or routes) as rows, layers as columns, the binding cell
marked; a line per finding under the table. Reads only the documented data (views/limits.py).

Cells are RATE/BURST (requests per second / bucket size); `*` marks the layer whose rate binds,
`^` the one whose burst binds (both when it is the same layer). Columns are PriorityTable's, so
at 80 columns the account and stage columns go before a method or the effective limit is split;
the Effective cell names the binding layer, so the answer stands without them.
"""

from apigw_stage.render.cells import SafeText, assemble, joined, lines, stack, text, title
from apigw_stage.render.columns import Column, PriorityTable


def _num(value) -> str:
    return "—" if value is None else f"{value:g}"


def _pair(rate, burst) -> str:
    if rate is None and burst is None:
        return "none"
    return f"{_num(rate)}/{_num(burst)}"


def _quota(quota) -> str | None:
    if not isinstance(quota, dict) or "limit" not in quota:
        return None
    return f"{_num(quota.get('limit'))}/{str(quota.get('period') or '?').lower()}"


def _marks(layer: dict, effective: dict) -> str:
    def binds(field):
        if effective.get(field) != layer["layer"]:
            return False
        return layer["layer"] != "usagePlan" or (layer.get("plan") or {}).get("id") == effective.get("plan")

    return ("*" if binds("binding") else "") + ("^" if binds("burstBinding") else "")


def _layer_cell(layer: dict, effective: dict) -> SafeText:
    if layer["layer"] == "usagePlan" and layer.get("applies") is False:
        return SafeText("no key", style="dim")
    if layer["layer"] == "account" and layer["source"] == "not read":
        return SafeText("not read", style="dim")
    marks = _marks(layer, effective) if not effective.get("blocked") else ""
    cell = text(_pair(layer["rate"], layer["burst"]) + marks, "bold yellow" if marks else None)
    quota = _quota(layer.get("quota"))
    return joined(cell, quota) if quota else cell


_LAYER_WORDS = {"usagePlan": "plan", "stage": "stage", "account": "account"}


def _effective(row: dict) -> SafeText:
    """RATE/BURST and the binding layer, so that the answer stands when a narrow terminal drops
    the layer columns."""
    effective = row["effective"]
    if effective.get("blocked"):
        return SafeText("403", style="bold red")
    rate, burst = effective.get("binding"), effective.get("burstBinding")
    by = _LAYER_WORDS.get(rate, rate) if rate == burst else f"{_LAYER_WORDS.get(rate, rate)}/{_LAYER_WORDS.get(burst, burst)}"
    return joined(text(_pair(effective["rate"], effective["burst"]), "bold"), SafeText(f"({by})", style="dim") if by else None, sep=" ")


def _plan_column(index: int, plan: dict) -> Column:
    def cell(row):
        layer = [layer for layer in row["layers"] if layer["layer"] == "usagePlan"][index]
        return _layer_cell(layer, row["effective"])

    return Column(f"Plan {plan.get('name') or plan.get('id')}", cell, 1)


def _fixed(kind: str) -> callable:
    def cell(row):
        layer = next(layer for layer in row["layers"] if layer["layer"] == kind)
        return _layer_cell(layer, row["effective"])

    return cell


def limits_table(data: dict, label: str):
    columns = [Column("Method" if data["family"] == "rest" else "Route", lambda r: text(r["method"], "bold"), 0)]
    columns += [_plan_column(i, p) for i, p in enumerate(data.get("plans") or [])]
    columns += [Column("Stage", _fixed("stage"), 2), Column("Account", _fixed("account"), 3),
                Column("Effective", _effective, 0)]
    heading = title("Limits of stage", data.get("stageName"), label)
    parts = [heading]
    if data.get("methods"):
        parts.append(PriorityTable(columns, data["methods"]))
    else:
        parts.append(SafeText("no methods", style="dim"))
    parts.append(SafeText("cells: rate/burst (rps/requests); * binds the rate, ^ the burst; plan quota as limit/period",
                          style="dim"))
    if data.get("plans") is None and data["family"] == "rest":
        parts.append(SafeText("usage plans and the account limit not read (a file outside a snapshot)", style="dim"))
    key = data.get("key")
    if key is not None:
        plans = ", ".join(key.get("plans") or []) or "no plan that covers this stage"
        parts.append(assemble("key ", text(key.get("name") or key.get("id") or key.get("asked")), ": ", text(plans)))
    if data.get("note"):
        parts.append(SafeText(data["note"], style="dim"))
    parts.append(_findings(data.get("findings") or []))
    return stack(*parts)


def _findings(found: list) -> SafeText:
    if not found:
        return SafeText("no findings", style="green")
    return lines([assemble((f"{f['id']} " if f.get("id") else "") , text(f["where"], "bold"), ": ", text(f["reason"]))
                  for f in found])


def fleet_table(data: dict):
    """`stage limits` with no API: each stage's effective default rate, burst and binding layer."""
    rows = data["stages"]
    columns = [
        Column("Region", lambda r: text(r["region"]), 0),
        Column("API", lambda r: text(f"{r.get('apiName') or ''} ({r['apiId']})".strip()), 0),
        Column("Stage", lambda r: text(r["stage"], "bold magenta"), 0),
        Column("Rate", lambda r: text(_num(r["rate"])), 0, justify="right"),
        Column("Burst", lambda r: text(_num(r["burst"])), 1, justify="right"),
        Column("Binding", lambda r: text(r["binding"] or "—"), 0),
        Column("Plans", lambda r: text(str(r["plans"]) if r["plans"] is not None else "—"), 2, justify="right"),
        Column("Account", lambda r: text(r["account"]), 3),
    ]
    parts = [PriorityTable(columns, rows) if rows else SafeText("No stages in scope.", style="dim")]
    for error in data.get("errors") or []:
        parts.append(assemble(("not read: ", "bold red"), text(error.get("where")), ": ", text(error.get("reason"))))
    return stack(*parts)
