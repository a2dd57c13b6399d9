"""The `stage` console script. Kept tiny: a TAB answered from the completion cache must not
import typer, rich or boto3, so the fast completion path is chosen before anything heavy loads."""

import os
import sys


def main() -> None:
    if os.environ.get("_STAGE_COMPLETE") == "fast":
        from apigw_stage.fastcomplete import main as complete

        sys.exit(complete())
    try:
        from apigw_stage import lean_help

        if lean_help.wants_help(sys.argv[1:]):
            lean_help.import_rich_utils()
        from apigw_stage.cli import app

        app(prog_name="stage")
    except KeyboardInterrupt:
        sys.stderr.write("\n")
        sys.exit(130)
    except BrokenPipeError:
        # The reader went away (`stage ... | head`): stop quietly, and keep Python's own
        # shutdown flush from raising again on the closed pipe.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(141)


if __name__ == "__main__":
    main()
