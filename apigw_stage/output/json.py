"""-o json: the report's data in the service's own shape (output/data.py), --query applied."""

from apigw_stage.output import stream
from apigw_stage.output.data import dump


def write(report, env) -> None:
    stream.write(env, dump(report.data, "json", env.query, ascii_only=not stream.unicode_stdout(env)))
