"""Write a command's result to stdout in the chosen format, whole or not at all: the report goes
to the writer of the format (output/formats.py)."""

from apigw_stage.model.report import Report
from apigw_stage.output.formats import writer


def emit(common, data, table, checked=None) -> None:
    """json/yaml print `data`; table prints `table(on_terminal)`, rendered in full before writing;
    a report format prints `checked` (model/report.Checked). --query with a table
    prints json."""
    env = common.env
    fmt = env.output
    if env.query and fmt == "table":
        fmt = "json"
    writer(fmt).write(Report(data, table, checked), env)
