"""The kiosk must start on Windows: no POSIX-only module is imported on its way to the screen.

Two checks that do not need Windows. One reads the source: no module of the kiosk imports a
POSIX-only module, or touches a POSIX-only name (socket.AF_UNIX, os.fork, signal.SIGHUP...),
at its top level, where every import of the module would run it. The other runs the kiosk with
those modules made unimportable, as they are on Windows: to its first frame, and then importing
every module of the kiosk. The standard library and the dependencies already cope with their
absence (they guard such imports with try/except ImportError), so what fails is a hard import.
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

from packaging_rig import FIRST_FRAME, ROOT

KIOSK = ROOT / "kiosk"

# Modules Windows' Python does not have. `posix` itself cannot be blocked on Linux (os needs
# it): only the source check looks for it.
POSIX_ONLY = (
    "fcntl",
    "termios",
    "pwd",
    "grp",
    "resource",
    "pty",
    "tty",
    "syslog",
    "crypt",
    "spwd",
    "nis",
    "posix",
    "readline",
    "curses",
    # uvloop is not installed on Windows (pyproject's marker); uvicorn falls back to asyncio.
    "uvloop",
)
# Names that exist only on POSIX, looked up at a module's top level.
POSIX_NAMES = {
    "socket": {"AF_UNIX", "SO_PEERCRED", "AF_PACKET"},
    "os": {"fork", "getuid", "geteuid", "getgid", "setsid", "killpg", "getpgid", "WNOHANG"},
    "signal": {"SIGHUP", "SIGKILL", "SIGUSR1", "SIGUSR2", "SIGALRM", "SIGCHLD", "SIGQUIT"},
    "select": {"poll", "epoll"},
}


def _top_level(tree: ast.Module) -> list[ast.stmt]:
    """The statements that run when the module is imported: the module's body, with its
    if/try/with blocks entered, but not functions, classes' methods, or `if TYPE_CHECKING:`
    and platform-guarded blocks (`if sys.platform != "win32":`)."""
    found: list[ast.stmt] = []
    pending = list(tree.body)
    while pending:
        node = pending.pop()
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        if isinstance(node, ast.If):
            guard = ast.unparse(node.test)
            if "TYPE_CHECKING" in guard or "sys.platform" in guard or "os.name" in guard:
                continue
            pending.extend(node.body + node.orelse)
            found.append(node)
            continue
        if isinstance(node, ast.Try):
            # An import in `try: ... except ImportError:` is allowed: that is the guard.
            handled = any(
                h.type is not None and "ImportError" in ast.unparse(h.type) for h in node.handlers
            )
            body = [] if handled else node.body
            pending.extend(body + node.orelse + node.finalbody)
            for handler in node.handlers:
                pending.extend(handler.body)
            continue
        if isinstance(node, ast.ClassDef):
            pending.extend(n for n in node.body if not isinstance(n, ast.FunctionDef))
            continue
        if isinstance(node, ast.With | ast.For | ast.While):
            pending.extend(node.body)
        found.append(node)
    return found


def _problems(path: Path, root: Path = ROOT) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    problems: list[str] = []
    for statement in _top_level(tree):
        for node in ast.walk(statement):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
                continue
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            for name in names:
                if name.split(".")[0] in POSIX_ONLY:
                    problems.append(f"{path.relative_to(root)}:{node.lineno} imports {name}")
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.attr in POSIX_NAMES.get(node.value.id, ())
            ):
                problems.append(
                    f"{path.relative_to(root)}:{node.lineno} uses {node.value.id}.{node.attr}"
                )
    return problems


def test_the_scan_finds_what_it_looks_for(tmp_path: Path):
    """The check can fail: a hard top-level import and a POSIX-only name are found, guarded
    ones are not."""
    (tmp_path / "kiosk").mkdir()
    source = tmp_path / "kiosk" / "sample.py"
    source.write_text(
        "import os\n"
        "import fcntl\n"
        "from termios import TCSANOW\n"
        "try:\n    import pwd\nexcept ImportError:\n    pwd = None\n"
        "if sys.platform != 'win32':\n    import grp\n"
        "FAMILY = socket.AF_UNIX\n"
        "def later():\n    import resource\n    return os.fork()\n",
        encoding="utf-8",
    )
    found = [p.split(" ", 1)[1] for p in _problems(source, tmp_path)]
    assert sorted(found) == ["imports fcntl", "imports termios", "uses socket.AF_UNIX"]


def test_no_kiosk_module_imports_a_posix_only_module_at_its_top_level():
    problems = [p for path in sorted(KIOSK.rglob("*.py")) for p in _problems(path)]
    assert not problems, "\n".join(problems)


# Runs in a fresh interpreter: POSIX-only modules become unimportable, as on Windows.
BLOCKER = f"""
import importlib.abc, sys
BLOCKED = {tuple(m for m in POSIX_ONLY if m != "posix")!r}
class WindowsHasNone(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in BLOCKED:
            raise ModuleNotFoundError(f"No module named {{name!r}} (as on Windows)", name=name)
        return None
for loaded in [m for m in sys.modules if m.split(".")[0] in BLOCKED]:
    del sys.modules[loaded]
sys.meta_path.insert(0, WindowsHasNone())
"""


def _run(code: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", BLOCKER + code, *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={
            **os.environ,
            "QT_QPA_PLATFORM": "offscreen",
            "KIOSK_REPORT_FIRST_FRAME": "1",
        },
    )


def test_kiosk_reaches_its_first_frame_without_posix_only_modules():
    result = _run(
        "import runpy; sys.argv = ['kiosk']; runpy.run_module('kiosk', run_name='__main__')"
    )
    assert FIRST_FRAME in result.stdout, result.stderr[-3000:]


def test_every_kiosk_module_imports_without_posix_only_modules():
    code = """
import importlib, pkgutil, kiosk
try:
    import fcntl
except ModuleNotFoundError:
    pass
else:
    raise SystemExit("the blocker let fcntl through")
failed = []
for info in pkgutil.walk_packages(kiosk.__path__, "kiosk."):
    if ".migrations.versions." in info.name or info.name.endswith(".__main__"):
        continue
    try:
        importlib.import_module(info.name)
    except ImportError as error:
        failed.append(f"{info.name}: {error}")
print("\\n".join(failed) or "all imported")
"""
    result = _run(code)
    assert result.stdout.strip() == "all imported", result.stdout + result.stderr[-3000:]
