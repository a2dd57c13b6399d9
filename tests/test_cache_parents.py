"""The completion cache trusts no folder it makes on the way (issue 20.14): with
`$XDG_CACHE_HOME/apigw-stage` a link to elsewhere (another user of a shared cache folder), a
folder of someone else, or one others can write, nothing is written there or read from there.
The base folder itself (XDG_CACHE_HOME, ~/.cache) is the user's choice and may be a link."""

import os
import shutil

import pytest

from apigw_stage.core import cache

KEY = ["default", "us-east-1", "", "stages", "a1b2c3d4e5"]
ITEMS = [["prod", "Production"]]


@pytest.fixture
def base(fake_aws):
    path = fake_aws / "cache"
    path.mkdir()
    return path


def _plant(folder, monkeypatch) -> None:
    """A valid cache answer of ours at `folder`/completion: written by stage elsewhere, moved."""
    staging = folder.parent / "staging-cache"
    saved = os.environ["XDG_CACHE_HOME"]
    monkeypatch.setenv("XDG_CACHE_HOME", str(staging))
    cache.write(KEY, ITEMS)
    assert cache.read(KEY) == ITEMS
    monkeypatch.setenv("XDG_CACHE_HOME", saved)
    shutil.move(staging / "apigw-stage" / "completion", folder / "completion")


def test_our_own_cache_is_written_and_read(base):
    cache.write(KEY, ITEMS)
    assert cache.read(KEY) == ITEMS
    assert oct(os.stat(base / "apigw-stage").st_mode & 0o777) == "0o700"


def test_a_linked_apigw_stage_folder_is_neither_written_nor_read(base, tmp_path, monkeypatch):
    elsewhere = tmp_path / "someone-else"
    elsewhere.mkdir(mode=0o700)
    os.symlink(elsewhere, base / "apigw-stage")
    cache.write(KEY, ITEMS)
    assert os.listdir(elsewhere) == []  # nothing made through the link
    _plant(elsewhere, monkeypatch)
    assert cache.read(KEY) is None  # a valid answer behind the link is not trusted


def test_an_apigw_stage_folder_others_can_write_is_not_used(base):
    cache.write(KEY, ITEMS)
    assert cache.read(KEY) == ITEMS
    os.chmod(base / "apigw-stage", 0o777)
    assert cache.read(KEY) is None
    os.chmod(base / "apigw-stage", 0o755)  # readable by others, writable only by us: fine
    assert cache.read(KEY) == ITEMS


def test_an_apigw_stage_folder_of_another_user_is_not_used(base, monkeypatch):
    cache.write(KEY, ITEMS)
    (base / "apigw-stage" / "completion").chmod(0o700)
    uid = os.geteuid()
    real_fstat = os.fstat

    def fstat(fd):
        info = real_fstat(fd)
        if os.path.samestat(info, os.stat(base / "apigw-stage")):  # only that folder is someone else's
            return os.stat_result((info.st_mode, info.st_ino, info.st_dev, info.st_nlink, uid + 1,
                                   *tuple(info)[5:10]))
        return info

    monkeypatch.setattr(os, "fstat", fstat)
    assert cache.read(KEY) is None
    cache.write(KEY, [["other", "x"]])
    monkeypatch.setattr(os, "fstat", real_fstat)
    assert cache.read(KEY) == ITEMS  # the refused write left our file as it was


def test_a_linked_base_folder_is_the_users_choice(fake_aws, monkeypatch, tmp_path):
    real = tmp_path / "real-cache"
    real.mkdir()
    os.symlink(real, tmp_path / "linked-cache")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "linked-cache"))
    cache.write(KEY, ITEMS)
    assert cache.read(KEY) == ITEMS
    assert (real / "apigw-stage" / "completion").is_dir()
