"""A fleet scan as a command runs it: the progress display on a terminal, and the exit status of
a scan that could not read everything."""

from apigw_stage.errors import INCOMPLETE, StageError


class Incomplete(StageError):
    code = INCOMPLETE


class _Failed(StageError):
    """One cell's error, re-raised with the code it had on its own."""

    def __init__(self, failure):
        super().__init__(failure.reason)
        self.code = failure.code


def scan(common, scope):
    """Scan `scope` with a progress display on stderr when that is a terminal and the output a
    table. A scope of one account and region that failed as a whole raises that error (exit
    4, 5, 6 as for one API); otherwise failures are results (so are the cell's unread
    HTTP/WebSocket APIs when its REST APIs were read)."""
    from apigw_stage.fleet import scan as scanner
    from apigw_stage.options import Output
    from apigw_stage.render import progress

    if progress.wanted(common.output == Output.table and not common.query):
        with progress.Display(common.no_color) as display:
            result = scanner.scan(scope, display)
    else:
        result = scanner.scan(scope)
    only = result.failures[0] if result.cells == 1 and len(result.failures) == 1 else None
    if only is not None and only.api_id is None and only.family is None:
        raise _Failed(only)
    return result


def finish(result) -> None:
    """After the output: exit INCOMPLETE with one stderr line when something was not read."""
    if result.failures:
        count = len(result.failures)
        raise Incomplete(f"incomplete: {count} part{'s' if count != 1 else ''} of the scope not read",
                         "see Not read in the table or errors in json")
