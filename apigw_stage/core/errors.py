"""Typed errors: each carries the exit code documented in README and the man page."""

OK = 0
DIFFERENT = 1
USAGE = 2
NOT_FOUND = 3
AUTH = 4
SERVICE = 5
NETWORK = 6
INTERNAL = 70
OUTPUT = 74  # sysexits' EX_IOERR: standard output could not be written (a full disk)
INTERRUPTED = 130
INCOMPLETE = 8  # a fleet scan could not read part of its scope (results printed, then what was not read)
BROKEN_PIPE = 141  # 128 + SIGPIPE, what a shell reports for a reader that went away (`| head`)


class StageError(Exception):
    """An error the user can act on: one line on stderr, then exit with `code`."""

    code = INTERNAL

    def __init__(self, message: str, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.hint = hint

    def line(self) -> str:
        text = f"stage: error: {self.message}"
        if self.hint:
            text += f" ({self.hint})"
        # One line, whatever the message holds (service text can contain newlines).
        return " ".join(text.splitlines())


class UsageError(StageError):
    code = USAGE


class NotFound(StageError):
    code = NOT_FOUND


class StageNotFound(NotFound):
    """The API was found; its stage was not (so the API's family is known)."""


class AuthError(StageError):
    code = AUTH


class ServiceError(StageError):
    code = SERVICE


class NetworkError(StageError):
    code = NETWORK


class OutputError(StageError):
    code = OUTPUT


CANNOT_CREATE = 73  # sysexits' EX_CANTCREAT: a snapshot file or folder cannot be created (read-only, a symlink)
IO_ERROR = 74  # sysexits' EX_IOERR: reading or writing a snapshot failed (a full disk, a device error)
BUSY = 75  # sysexits' EX_TEMPFAIL: another `stage snapshot` is writing the directory; try again
TERMINATED = 143  # 128 + SIGTERM: stopped cleanly, as after Ctrl-C


class CannotCreate(StageError):
    code = CANNOT_CREATE


class DiskError(StageError):
    code = IO_ERROR


class Busy(StageError):
    code = BUSY
