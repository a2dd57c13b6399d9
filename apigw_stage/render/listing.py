"""The table of `stage list`: every stage of an API, one row each.

Column priorities, most important first (identifiers are never left out or broken): Stage and
Deployment, then what changes behaviour (Canary share, Logging level, method-entry Overrides),
then Last updated, then the switches (X-Ray, WAF, Cache). At 80 columns a piped list drops the
switches first; below the width of Stage and Deployment each stage becomes a block of lines.
"""

from apigw_stage.model import methods
from apigw_stage.model import rest as views
from apigw_stage.render.cells import SafeText, assemble, none, on_off, plural, stack, text, title
from apigw_stage.render.columns import Column, PriorityTable
from apigw_stage.render.console import when


def _canary(doc: dict) -> SafeText:
    settings = views.canary(doc)
    if settings is None:
        return none()
    percent = views.canary_percent(settings)
    return SafeText(f"{percent:g}%", style="yellow" if percent else "dim")


def _cache(doc: dict) -> SafeText:
    if not doc.get("cacheClusterEnabled"):
        return SafeText("off", style="dim")
    size = doc.get("cacheClusterSize")
    return text(f"{size} GB" if size else "on", "green")


def _overrides(doc: dict) -> SafeText:
    _, count, overriding = methods.summary(doc.get("methodSettings") or {})
    if not count:
        return none()
    return SafeText(f"{overriding} of {count}", style="yellow" if overriding else "dim")


def _logging(doc: dict) -> SafeText:
    level, _ = methods.baseline(doc.get("methodSettings") or {}, "loggingLevel")
    return text(level, "dim" if level == "OFF" else None)


def columns(on_terminal: bool) -> list[Column]:
    """The list's columns in the order shown, each with its priority (lower is kept longer)."""
    return [
        Column("Stage", lambda doc: text(doc.get("stageName"), "bold magenta"), 0),
        Column("Deployment", lambda doc: text(doc.get("deploymentId")), 0),
        Column("Last updated", lambda doc: text(when(doc.get("lastUpdatedDate"), on_terminal)), 4),
        Column("Canary", _canary, 1, justify="right"),
        Column("Cache", _cache, 7),
        Column("X-Ray", lambda doc: on_off(doc.get("tracingEnabled")), 5),
        Column("WAF", lambda doc: on_off(doc.get("webAclArn"), on="yes", off="no"), 6),
        Column("Logging", _logging, 2),
        Column("Overrides", _overrides, 3, justify="right"),
    ]


def stage_list(docs: list[dict], where: str, on_terminal: bool, wide: bool = False):
    return stage_table(docs, where, columns(on_terminal), wide)


def stage_table(docs: list[dict], where: str, of_family: list, wide: bool = False):
    """The stages of one API (or file) under a heading, in `of_family`'s columns (REST or v2)."""
    if not docs:
        return assemble("No stages in ", text(where), ".")
    # "Stages of petstore (a1b2c3d4e5)" for an API, "Stages from prod.json" for a file.
    label = "Stages" if where.startswith("from ") else "Stages of"
    heading = title(label, where.removeprefix("API "), plural(len(docs), "stage"))
    return stack(heading, PriorityTable(of_family, docs, wide=wide))
