"""File operations inside a snapshot directory that never follow a symbolic link below it.

The directory itself is opened once (a symlink to it is written through, a mount point or the
shell's current folder work, its mode and owner are never touched) and locked with flock(2) for
the run. Everything below it is reached from that descriptor one name at a time with O_NOFOLLOW
(openat), so a symlinked account folder cannot lead a write, a removal or a read outside the
tree (issue 20 items 1 and 4). A file is replaced by a temporary file in its own folder, fsynced,
then renamed over it; the folder is fsynced after.
"""

import errno
import os
import secrets
import stat

from apigw_stage.core.errors import Busy, CannotCreate, DiskError
from apigw_stage.model.tree import TEMP_PREFIX

_DIR_FLAGS = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_NOFOLLOW", 0)
_CREATE_ERRNOS = {errno.EACCES, errno.EPERM, errno.EROFS, errno.ENAMETOOLONG, errno.ELOOP, errno.ENOTDIR, errno.ENOENT,
                  errno.EEXIST, errno.EISDIR}


def fault(exc: OSError, what: str):
    """The typed error of a file-system failure: 73 when something cannot be created or changed
    (permissions, a read-only file system, a link), 74 for an I/O error (a full disk, EIO)."""
    reason = exc.strerror or str(exc)
    if exc.errno in _CREATE_ERRNOS:
        return CannotCreate(f"cannot write {what}: {reason}", "it must be a writable folder or file, not a link")
    return DiskError(f"cannot write {what}: {reason}")


class Root:
    """The snapshot directory, opened and locked (a context manager)."""

    def __init__(self, path: str, create: bool = True, lock: bool = True):
        self.path = path
        try:
            if create and not os.path.lexists(path):
                os.makedirs(path)
            self.fd = os.open(path, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        except OSError as exc:
            raise fault(exc, path) from None
        if lock:
            self._lock()

    def _lock(self) -> None:
        try:
            import fcntl
        except ImportError:  # no flock (Windows): one run at a time is then the user's to keep
            return
        try:
            fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self.close()
            raise Busy(f"{self.path} is busy: another `stage snapshot` is writing it",
                       "wait for it to finish, then run again") from None
        except OSError:
            pass  # a file system without locks (some network mounts): carry on unlocked

    def close(self) -> None:
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def where(self, parts) -> str:
        return os.path.join(self.path, *parts)

    # --- reading -----------------------------------------------------------------------------
    def lstat(self, parts):
        """os.lstat of DIR/parts, walking no link; None when absent. A link on the way is refused."""
        if not parts:
            return os.fstat(self.fd)
        fd = self.open_dir(parts[:-1], create=False)
        if fd is None:
            return None
        try:
            return os.stat(parts[-1], dir_fd=fd, follow_symlinks=False)
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise fault(exc, self.where(parts)) from None
        finally:
            self._close(fd)

    def open_dir(self, parts, create: bool = False):
        """A descriptor of the folder DIR/parts (the caller closes it; DIR's own is shared and kept),
        None when absent and not `create`d. A link or a file on the way is exit 73, named."""
        fd = self.fd
        for i, part in enumerate(parts):
            try:
                try:
                    child = os.open(part, _DIR_FLAGS, dir_fd=fd)
                except FileNotFoundError:
                    if not create:
                        self._close(fd)
                        return None
                    os.mkdir(part, 0o777, dir_fd=fd)
                    child = os.open(part, _DIR_FLAGS, dir_fd=fd)
            except OSError as exc:
                self._close(fd)
                if exc.errno in (errno.ELOOP, errno.ENOTDIR):
                    raise CannotCreate(f"{self.where(parts[:i + 1])} is a symbolic link or not a folder",
                                       "a snapshot never follows a link inside its directory") from None
                raise fault(exc, self.where(parts[:i + 1])) from None
            self._close(fd)
            fd = child
        return os.dup(fd) if fd == self.fd else fd

    def _close(self, fd) -> None:
        if fd is not None and fd != self.fd:
            os.close(fd)

    def entries(self, parts) -> list[tuple[str, int]]:
        """[(name, st_mode)] of the folder DIR/parts, links and all, not followed; [] when absent."""
        fd = self.open_dir(parts)
        if fd is None:
            return []
        try:
            out = []
            for name in sorted(os.listdir(fd)):
                try:
                    out.append((name, os.stat(name, dir_fd=fd, follow_symlinks=False).st_mode))
                except FileNotFoundError:
                    continue
            return out
        finally:
            os.close(fd)

    def read_bytes(self, parts, limit: int) -> bytes | None:
        """The bytes of the regular file DIR/parts (a link, a FIFO or a device is None: never
        opened), at most `limit` + 1 of them."""
        fd = self.open_dir(parts[:-1])
        if fd is None:
            return None
        try:
            try:
                handle = os.open(parts[-1], os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0),
                                 dir_fd=fd)
            except FileNotFoundError:
                return None
            except OSError as exc:
                if exc.errno == errno.ELOOP:
                    return None
                raise
            try:
                if not stat.S_ISREG(os.fstat(handle).st_mode):
                    return None
                chunks, size = [], 0
                while size <= limit and (chunk := os.read(handle, min(1 << 20, limit + 1 - size))):
                    chunks.append(chunk)
                    size += len(chunk)
                return b"".join(chunks)
            finally:
                os.close(handle)
        finally:
            os.close(fd)

    # --- writing -----------------------------------------------------------------------------
    def write_file(self, parts, data: bytes) -> None:
        """DIR/parts holds `data` afterwards, whole or not at all: a temporary file in the same
        folder, fsynced, renamed over the old one."""
        fd = self.open_dir(parts[:-1], create=True)
        temp = f"{TEMP_PREFIX}{os.getpid()}-{secrets.token_hex(4)}"
        try:
            try:
                old = os.stat(parts[-1], dir_fd=fd, follow_symlinks=False)
            except FileNotFoundError:
                old = None
            if old is not None and not stat.S_ISREG(old.st_mode):
                raise CannotCreate(f"{self.where(parts)} is not a regular file",
                                   "a snapshot never writes through a link or into a special file")
            handle = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0),
                             0o666, dir_fd=fd)
            try:
                view = memoryview(data)
                while view:
                    view = view[os.write(handle, view):]
                os.fsync(handle)
            finally:
                os.close(handle)
            os.rename(temp, parts[-1], src_dir_fd=fd, dst_dir_fd=fd)
            temp = None
            os.fsync(fd)
        except OSError as exc:
            raise fault(exc, self.where(parts)) from None
        finally:
            if temp is not None:
                try:
                    os.unlink(temp, dir_fd=fd)
                except OSError:
                    pass
            os.close(fd)

    def remove_file(self, parts) -> bool:
        """Remove the regular file DIR/parts (never a link's target); then its folders while empty,
        up to, not including, DIR's account level. False when it was not there."""
        fd = self.open_dir(parts[:-1])
        if fd is None:
            return False
        try:
            try:
                old = os.stat(parts[-1], dir_fd=fd, follow_symlinks=False)
            except FileNotFoundError:
                return False
            if not stat.S_ISREG(old.st_mode):
                return False
            os.unlink(parts[-1], dir_fd=fd)
            os.fsync(fd)
        except OSError as exc:
            raise fault(exc, self.where(parts)) from None
        finally:
            os.close(fd)
        for depth in range(len(parts) - 1, 0, -1):  # empty api, region, account folders
            parent = self.open_dir(parts[:depth - 1])
            try:
                os.rmdir(parts[depth - 1], dir_fd=parent)
            except OSError:
                break  # not empty (a user's notes), or gone
            finally:
                os.close(parent)
        return True

    def sweep(self, parts) -> None:
        """Remove our temporary files left in the folder DIR/parts by a killed run."""
        fd = self.open_dir(parts)
        if fd is None:
            return
        try:
            for name in os.listdir(fd):
                if name.startswith(TEMP_PREFIX):
                    try:
                        if stat.S_ISREG(os.stat(name, dir_fd=fd, follow_symlinks=False).st_mode):
                            os.unlink(name, dir_fd=fd)
                    except OSError:
                        pass
        finally:
            os.close(fd)

    def check_writable(self, parts, is_file: bool) -> None:
        """Exit 73, naming it, when what DIR/parts needs is read-only: the file itself if it is
        there, else the deepest folder on its way. A read-only mode counts even for root, who
        could write anyway: the owner marked it so."""
        for depth in range(len(parts), -1, -1):
            found = self.lstat(parts[:depth])
            if found is None:
                continue
            if stat.S_ISLNK(found.st_mode) or (depth < len(parts) and not stat.S_ISDIR(found.st_mode)):
                raise CannotCreate(f"{self.where(parts[:depth])} is a symbolic link or not a folder",
                                   "a snapshot never follows a link inside its directory")
            path = self.where(parts[:depth])
            if depth == len(parts) and is_file:
                if not stat.S_ISREG(found.st_mode):
                    raise CannotCreate(f"{path} is not a regular file", "a snapshot writes only regular files")
                if not (found.st_mode & stat.S_IWUSR):
                    raise CannotCreate(f"{path} is read-only", "make it writable (chmod u+w) or remove it")
                continue  # and its folder must be writable too
            writable = found.st_mode & stat.S_IWUSR and (
                os.access(self.path, os.W_OK) if depth == 0 else os.access(path, os.W_OK, follow_symlinks=False))
            if not writable:
                raise CannotCreate(f"{path} is read-only", "the snapshot's folders must be writable")
            return
