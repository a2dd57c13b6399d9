"""TAB completion under attack (issue 13: 1, 11, 12, 13; issue 12: 7, 8).

Names and descriptions come from whoever can create an API in the account. Real bash, zsh and
fish run interactively on a pseudo-terminal with the shipped scripts: a name is completed with
TAB, the line is then turned into `printf '<%s>\\n' stage show ...` (Ctrl-A, type, Enter) so the
shell prints the words it would have run, and marker files prove that nothing executed.
"""

import os
import pty
import re
import select
import signal
import socket
import stat
import subprocess
import sys
import threading
import time

import pytest

from apigw_stage.completion import fast as fastcomplete, live as completion
from apigw_stage.core import cache
from tests.conftest import ROOT, need_program
from tests.docs import wire_stage

SCRIPTS = os.path.join(ROOT, "completions")
API_ID = "a1b2c3d4e5"

# (what is typed before TAB, the name). Each typed prefix matches one name only; every name that
# could run something would create a file named pwned* in the shell's directory.
HOSTILE = [
    ("p1", "p1;touch${IFS}pwned1"),
    ("p2", "p2|touch pwned2"),
    ("p3", "p3&touch pwned3&"),
    ("p4", "p4$(touch pwned4)"),
    ("p5", "p5`touch pwned5`"),
    ("p6", "p6*"),
    ("p7", "p7?"),
    ("p8", "p8[ab]"),
    ("p9", "p9'touch pwned9'"),
    ("q1", 'q1"$(touch pwned10)"'),
    ("q2", "q2\\touch pwned11\\"),
    ("q3", "q3 two  spaces"),
    ("q4", "q4 ; ) ( & | < > { } ! # ~ = %"),
]
# A description runs nothing either, wherever a shell shows it.
HOSTILE_DESCRIPTION = "d$(touch pwned-d);`touch pwned-e`\n'\"*"
# A newline cannot travel one a line nor show safely: such a name is not offered (fastcomplete).
NEWLINE_NAME = "q9\ntouch pwned-newline"


@pytest.fixture
def hostile(wire, monkeypatch, tmp_path):
    """APIs named HOSTILE, and an API whose stages are named HOSTILE, on the wire fixture."""
    wire.apis = [{"id": f"h{n:09d}", "name": name, "description": HOSTILE_DESCRIPTION}
                 for n, (_, name) in enumerate([*HOSTILE, (None, NEWLINE_NAME)])]
    wire.apis.append({"id": API_ID, "name": "petstore"})
    spaced = next(api["id"] for api in wire.apis if api["name"] == "q3 two  spaces")
    for _, name in [*HOSTILE, (None, NEWLINE_NAME)]:
        for api_id in (API_ID, spaced):
            wire.stages[(api_id, name)] = wire_stage(stageName=name, description=HOSTILE_DESCRIPTION)
    monkeypatch.setenv("AWS_ENDPOINT_URL", wire.url)
    # Warm the cache the shells will read, so a loaded machine cannot push a cold TAB past its
    # 2 s deadline: these tests are about what is inserted, the deadline has its own test.
    ctx, until = completion.context(), time.monotonic() + 30
    for api_id in (API_ID, spaced):
        assert completion.stages(ctx, api_id, until)
    work = tmp_path / "cwd"
    work.mkdir()
    for plain in ("a", "b", "p6-file", "p7x"):  # what a glob of a candidate would match
        (work / plain).write_text("")
    return work


def _env(stage_exe) -> dict:
    env = dict(os.environ)
    env["PATH"] = os.path.dirname(stage_exe) + os.pathsep + env["PATH"]
    env.update(TERM="dumb", HOME=env.get("XDG_CACHE_HOME", "/nonexistent"), EDITOR="", VISUAL="")
    env.pop("PROMPT_COMMAND", None)
    return env


_CSI = re.compile(r"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[()][0-9A-Za-z]|[=>])")


class Terminal:
    """An interactive shell on a pseudo-terminal."""

    def __init__(self, argv, cwd, env):
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # the child: become the shell
            try:
                os.chdir(cwd)
                os.execvpe(argv[0], argv, env)
            finally:
                os._exit(127)
        self.output = ""
        self.count = 0

    def read_until(self, text, timeout=20.0):
        end = time.monotonic() + timeout
        while text not in self.output:
            left = end - time.monotonic()
            if left <= 0:
                raise AssertionError(f"{text!r} never came; the terminal showed:\n{self.output[-3000:]}")
            ready, _, _ = select.select([self.fd], [], [], left)
            if ready:
                try:
                    chunk = os.read(self.fd, 65536)
                except OSError:
                    chunk = b""
                if not chunk:
                    raise AssertionError(f"the shell ended; it showed:\n{self.output[-3000:]}")
                self.output += chunk.decode("utf-8", "replace")
        found = self.output.index(text) + len(text)
        before, self.output = self.output[:found], self.output[found:]
        return before

    def send(self, keys: str):
        os.write(self.fd, keys.encode())

    def sync(self) -> str:
        """Everything shown up to now (a marker is echoed and waited for)."""
        self.count += 1
        self.send(f"echo SYNC''{self.count}\r")
        return self.read_until(f"SYNC{self.count}\r\n")

    def words_after_tab(self, typed: str) -> list[str]:
        """The words the shell would run after `typed`, TAB, Enter."""
        self.send(typed + "\t")
        time.sleep(0.1)
        self.send("\x01printf '<%s>\\n' \r")
        shown = _CSI.sub("", self.sync()).replace("\r", "")
        words = re.findall(r"(?m)^<(.*)>$", shown)
        assert words and words[0] == "stage", shown
        return words

    def close(self):
        try:
            os.kill(self.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        os.waitpid(self.pid, 0)
        os.close(self.fd)


def _shell(name, stage_exe, cwd):
    need_program(name)
    if name == "bash":
        argv = ["bash", "--norc", "--noprofile", "-i"]
        setup = f"PS1='$ '; source {SCRIPTS}/stage.bash"
    elif name == "zsh":
        argv = ["zsh", "-f", "-i"]
        setup = (f"bindkey -e; PS1='$ '; fpath=({SCRIPTS} $fpath); autoload -Uz compinit; compinit -u -D; "
                 "unsetopt zle_bracketed_paste")
    else:
        argv = ["fish", "--no-config", "-i"]
        setup = f"function fish_prompt; echo '$ '; end; source {SCRIPTS}/stage.fish"
    term = Terminal(argv, str(cwd), _env(stage_exe))
    term.send(setup + "\r")
    term.sync()
    return term


@pytest.fixture(params=["bash", "zsh", "fish"])
def shell(request, stage_exe, hostile):
    term = _shell(request.param, stage_exe, hostile)
    yield term
    term.close()


def _pwned(cwd) -> list[str]:
    return sorted(name for name in os.listdir(cwd) if name.startswith("pwned"))


def test_hostile_api_names_are_inserted_as_one_literal_word(shell, hostile):
    got = [shell.words_after_tab(f"stage show {typed}") for typed, _ in HOSTILE]
    got.append(shell.words_after_tab("stage show q9"))
    expected = [["stage", "show", name] for _, name in HOSTILE] + [["stage", "show", "q9"]]  # q9: not offered
    assert (_pwned(hostile), got) == ([], expected)


def test_hostile_stage_names_are_inserted_as_one_literal_word(shell, hostile):
    got = [shell.words_after_tab(f"stage show {API_ID} {typed}") for typed, _ in HOSTILE]
    assert (_pwned(hostile), got) == ([], [["stage", "show", API_ID, name] for _, name in HOSTILE])


def test_a_quoted_api_name_then_its_stages(shell, hostile):
    """A name typed quoted (as the shell inserted it) is read literally for the next argument."""
    assert shell.words_after_tab("stage show 'q3 two  spaces' p1") == [
        "stage", "show", "q3 two  spaces", "p1;touch${IFS}pwned1"]
    assert _pwned(hostile) == []


def _fast(words: list[str], current: str, env=None, timeout=30):
    """The fast completion path as the scripts run it: (stdout, stderr, exit code, seconds)."""
    full = {**os.environ, "_STAGE_COMPLETE": "fast", "STAGE_COMP_WORDS": "\n".join(["stage", *words]),
            "STAGE_COMP_CURRENT": current, **(env or {})}
    started = time.monotonic()
    proc = subprocess.run([sys.executable, "-m", "apigw_stage"], capture_output=True, text=True, env=full,
                          timeout=timeout)
    return proc.stdout, proc.stderr, proc.returncode, time.monotonic() - started


def test_names_with_a_newline_or_control_character_are_not_offered(hostile):
    out, err, code, _ = _fast(["show", API_ID], "q")
    assert (out.split("\n")[0].split("\t")[0], err, code) == ("q1\"$(touch pwned10)\"", "", 0)
    assert "pwned-newline" not in out and "q9" not in out
    assert all("\n" not in line and "\x1b" not in line for line in out.splitlines())


def test_fast_path_reads_words_as_bash_typed_them():
    unquote = fastcomplete.unquote
    assert unquote("'a b'") == "a b"
    assert unquote("a\\ b\\;c") == "a b;c"
    assert unquote('"x\\$y\\z"') == "x$y\\z"
    assert unquote("'unclosed") == "unclosed"
    assert unquote('"it\'s"') == "it's"
    assert unquote("p1\\;touch\\$\\{IFS\\}pwned1") == "p1;touch${IFS}pwned1"


# --- fish offers file names where a file is accepted (issue 12.7) ---------------------------------

def _fish(line: str, cwd: str, env=None) -> list[str]:
    need_program("fish")
    out = subprocess.run(["fish", "--no-config", "-c", f"source {SCRIPTS}/stage.fish; complete -C {line!r}"],
                         capture_output=True, text=True, cwd=cwd, env={**os.environ, **(env or {})}, timeout=30)
    return [entry.split("\t")[0] for entry in out.stdout.splitlines()]


def test_fish_completes_file_names_for_file_and_diff_sides(stage_exe, wire):
    env = {"PATH": os.path.dirname(stage_exe) + os.pathsep + os.environ["PATH"], "AWS_ENDPOINT_URL": wire.url}
    assert _fish("stage show --file ex", ROOT, env) == ["examples/"]
    assert _fish("stage show -f examples/pr", ROOT, env) == ["examples/prod-stage.json"]
    assert _fish("stage diff examples/pr", ROOT, env) == ["examples/prod-stage.json"]
    assert _fish("stage show -o ", ROOT, env) == ["json", "table", "yaml"]  # choices (fish sorts), not files


# --- check --ignore offers the check ids with their titles (issue 12.8) ---------------------------

def test_check_ignore_offers_every_registered_check_with_its_title():
    # Every family's checks (issue 22: APIGateway.8, .9, .10 are v2's), each id once.
    from apigw_stage.checks.registry import ALL as CHECKS

    out, err, code, _ = _fast(["check", "--ignore"], "")
    assert (out, err, code) == ("".join(f"{c.id}\t{c.title}\n" for c in CHECKS), "", 0)
    out, _, _, _ = _fast(["check", "a1b2c3d4e5", "prod", "-i"], "STAGE.")
    assert [line.split("\t")[0] for line in out.splitlines()] == [c.id for c in CHECKS if c.id.startswith("STAGE.")]
    assert _fast(["diff", "--ignore"], "")[0] == ""  # diff's --ignore takes field names


def test_check_ignore_in_fish_and_zsh_shows_titles(stage_exe, wire):
    from apigw_stage.checks.registry import CHECKS

    env = {"PATH": os.path.dirname(stage_exe) + os.pathsep + os.environ["PATH"], "AWS_ENDPOINT_URL": wire.url}
    need_program("fish")
    out = subprocess.run(["fish", "--no-config", "-c", f"source {SCRIPTS}/stage.fish; complete -C 'stage check --ignore APIGateway.4'"],
                         capture_output=True, text=True, env={**os.environ, **env}, timeout=30).stdout
    assert out == f"APIGateway.4\t{CHECKS[3].title}\n" and CHECKS[3].id == "APIGateway.4"


def test_check_ids_take_no_heavy_import_on_the_fast_path():
    code = ("import sys\nfrom apigw_stage.completion import fast as fastcomplete\n"
            "print(fastcomplete.candidates(['check', '--ignore'], 'API')[0][0])\n"
            "print(sorted(m for m in sys.modules if m.startswith('apigw_stage.') or m.split('.')[0] in "
            "('boto3', 'botocore', 'rich', 'typer', 'yaml')))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=30)
    assert proc.stdout.splitlines() == ["APIGateway.1", "['apigw_stage.completion', 'apigw_stage.completion.fast', "
                                                        "'apigw_stage.completion.spec']"]


# --- the cache directory trusts nothing it did not make (issue 13.13) -----------------------------

@pytest.fixture
def api(wire, monkeypatch):
    wire.stages[(API_ID, "prod")] = wire_stage()
    wire.apis = [{"id": API_ID, "name": "petstore"}]
    monkeypatch.setenv("AWS_ENDPOINT_URL", wire.url)
    return wire


def _stage_names():
    return [s for s, _ in completion.stages(completion.context(), API_ID, time.monotonic() + 30)]


def test_a_fifo_planted_as_the_cache_file_does_not_hang_tab(api):
    key = [*completion.context(), "stages", API_ID]
    os.makedirs(cache.directory(), mode=0o700)
    os.mkfifo(cache._path(key))
    out, err, code, seconds = _fast(["show", API_ID], "pr", timeout=20)
    assert (out, err, code) == ("prod\tProduction stage of the Pet Store API\n", "", 0)
    assert seconds < 5
    assert stat.S_ISFIFO(os.lstat(cache._path(key)).st_mode) is False  # replaced by our own file


def test_a_world_writable_cache_directory_is_not_used(api):
    os.makedirs(cache.directory(), mode=0o700)
    os.chmod(cache.directory(), 0o777)
    assert _stage_names() == ["prod"] and _stage_names() == ["prod"]
    assert os.listdir(cache.directory()) == []
    assert len(api.requests) == 2


def test_a_symlinked_cache_directory_is_not_used(api, tmp_path):
    elsewhere = tmp_path / "planted"
    elsewhere.mkdir(mode=0o700)
    os.makedirs(os.path.dirname(cache.directory()))
    os.symlink(elsewhere, cache.directory())
    assert _stage_names() == ["prod"] and _stage_names() == ["prod"]
    assert os.listdir(elsewhere) == []
    assert len(api.requests) == 2


def test_a_cache_directory_of_another_user_is_not_used(api, monkeypatch):
    _stage_names()  # our own cache, written and trusted
    assert len(api.requests) == 1
    monkeypatch.setattr(os, "getuid", lambda: os.geteuid() + 1)  # the same directory, seen by someone else
    assert _stage_names() == ["prod"]
    assert len(api.requests) == 2


def test_a_symlink_planted_as_the_cache_file_is_not_followed(api, tmp_path):
    _stage_names()
    key = [*completion.context(), "stages", API_ID]
    planted = tmp_path / "planted.json"
    os.replace(cache._path(key), planted)  # a valid cache answer, ours, but reached through a link
    os.symlink(planted, cache._path(key))
    assert _stage_names() == ["prod"]
    assert len(api.requests) == 2


# --- TAB gives up after 2 seconds in total, whatever the server does (issue 13.11, 13.12) --------

class _Server:
    """A loopback HTTP server answering every request with `respond(connection)`."""

    def __init__(self, respond):
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        self.requests = 0
        self.stop = threading.Event()
        self.respond = respond
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        self.sock.settimeout(0.2)
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            threading.Thread(target=self._one, args=(conn,), daemon=True).start()

    def _one(self, conn):
        with conn:
            try:
                while not self.stop.is_set():
                    conn.settimeout(5)
                    request = b""
                    while b"\r\n\r\n" not in request:
                        chunk = conn.recv(65536)
                        if not chunk:
                            return
                        request += chunk
                    self.requests += 1
                    self.respond(conn, self.stop)
            except OSError:
                pass

    def close(self):
        self.stop.set()
        self.sock.close()


def _trickle(conn, stop):
    """A GetRestApis answer one byte at a time, 0.2 s apart: each read is quick, the whole is not."""
    body = b'{"item": [{"id": "a1b2c3d4e5", "name": "petstore"}]}'
    answer = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body)
    for byte in answer:
        if stop.wait(0.2):
            return
        conn.sendall(bytes([byte]))


def _same_position(conn, stop):
    """GetRestApis pages that always point to the same next page (issue 13.12)."""
    body = b'{"item": [{"id": "a1b2c3d4e5", "name": "petstore"}], "position": "same"}'
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s"
                 % (len(body), body))


@pytest.mark.parametrize("respond", [_trickle, _same_position], ids=["trickled", "paging-loop"])
def test_tab_gives_up_after_two_seconds(respond):
    server = _Server(respond)
    try:
        out, err, code, seconds = _fast(["show"], "", env={"AWS_ENDPOINT_URL": server.url}, timeout=60)
    finally:
        server.close()
    assert (out, err, code) == ("", "", 0)
    assert server.requests >= 1  # it did ask
    assert seconds < 3.5, seconds  # 2 s of budget plus starting Python on a loaded machine
