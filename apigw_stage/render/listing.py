"""The table of `stage list`: every stage of an API, one row each."""

from rich.console import Group
from rich.table import Table
from rich.text import Text

from apigw_stage import methods, views
from apigw_stage.render.cells import NONE, on_off, text, title
from apigw_stage.render.console import when


def _canary(doc: dict) -> Text:
    settings = views.canary(doc)
    if settings is None:
        return NONE.copy()
    percent = views.canary_percent(settings)
    return Text(f"{percent:g}%", style="yellow" if percent else "dim")


def _cache(doc: dict) -> Text:
    if not doc.get("cacheClusterEnabled"):
        return Text("off", style="dim")
    size = doc.get("cacheClusterSize")
    return text(f"{size} GB" if size else "on", "green")


def _overrides(settings: dict) -> Text:
    _, count, overriding = methods.summary(settings)
    if not count:
        return NONE.copy()
    return Text(f"{overriding} of {count}", style="yellow" if overriding else "dim")


def stage_list(docs: list[dict], where: str, on_terminal: bool):
    if not docs:
        return Text.assemble("No stages in ", text(where), ".")
    table = Table(show_edge=False, header_style="bold")
    table.add_column("Stage", overflow="fold")
    table.add_column("Deployment", overflow="fold")
    table.add_column("Last updated", overflow="fold")
    table.add_column("Canary", justify="right")
    table.add_column("Cache")
    table.add_column("X-Ray")
    table.add_column("WAF")
    table.add_column("Logging")
    table.add_column("Overrides", justify="right")
    for doc in docs:
        settings = doc.get("methodSettings") or {}
        level, _ = methods.baseline(settings, "loggingLevel")
        table.add_row(
            text(doc.get("stageName"), "bold magenta"),
            text(doc.get("deploymentId")),
            Text(when(doc.get("lastUpdatedDate"), on_terminal)),
            _canary(doc),
            _cache(doc),
            on_off(doc.get("tracingEnabled")),
            on_off(doc.get("webAclArn"), on="yes", off="no"),
            text(level, "dim" if level == "OFF" else None),
            _overrides(settings),
        )
    count = f"{len(docs)} stage{'s' if len(docs) != 1 else ''}"
    return Group(title("Stages of", where.removeprefix("API "), count), table)
