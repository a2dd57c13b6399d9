"""The command line: `app` (cli/app.py), which registers every command of commands/."""

from apigw_stage.cli.app import app

__all__ = ["app"]
