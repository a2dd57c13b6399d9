"""The command line: `app` and one module per command family, each adding its commands to it.
Thin: arguments and options in, one call to the source, one view, one render."""

from apigw_stage.cli.app import app
from apigw_stage.cli import inspect, listing, diff, check, snapshot  # noqa: I001  (registers the commands, in help order)

__all__ = ["app", "check", "diff", "inspect", "listing", "snapshot"]
