"""The offline .deb: its control fields and files, its units, and the kiosk it holds started
from the unpacked tree to its first frame, with nothing but the package's own environment."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest
from packaging_rig import ROOT, first_frame, require, serves_its_platform

# The build takes about a minute (longer the first time, when the wheel cache is filled).
pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]

OPT = "opt/onecard-kiosk/venv"
SITE = f"{OPT}/lib/python3.11/site-packages"
# A database as an earlier version of the package left it: at the counter's consent, before the
# platform's shared state and the back office came.
DOWNGRADE = (
    "import sys\n"
    "from alembic import command\n"
    "from kiosk.server.db import alembic_config\n"
    "command.downgrade(alembic_config(sys.argv[1]), '0004')\n"
)


def _version() -> str:
    with open(ROOT / "pyproject.toml", "rb") as fp:
        return str(tomllib.load(fp)["project"]["version"])


def _field(deb: Path, name: str) -> str:
    return subprocess.run(
        ["dpkg-deb", "-f", str(deb), name], check=True, capture_output=True, text=True
    ).stdout.strip()


def _unit(path: Path) -> dict[str, list[str]]:
    """A unit file's settings, "Section.Key" -> every value given (keys may repeat)."""
    settings: dict[str, list[str]] = {}
    section = ""
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("["):
            section = line.strip("[]")
            continue
        key, _, value = line.partition("=")
        settings.setdefault(f"{section}.{key}", []).append(value)
    return settings


def test_control_fields_name_the_package_and_what_it_needs_from_debian(deb_package: Path):
    assert deb_package.name == f"onecard-kiosk_{_version()}_amd64.deb"
    assert _field(deb_package, "Package") == "onecard-kiosk"
    assert _field(deb_package, "Version") == _version()
    assert _field(deb_package, "Architecture") == "amd64"
    depends = {d.strip().split(" ")[0] for d in _field(deb_package, "Depends").split(",")}
    # The PC/SC service, speech, the compositor, Qt's xcb and Wayland libraries, the Python
    # the environment was made with, and libusb for USB receipt printers.
    for needed in (
        "pcscd",
        "libpcsclite1",
        "espeak-ng",
        "cage",
        # Debian's cage will not start without Xwayland, though it does not depend on it.
        "xwayland",
        "python3.11",
        "libxcb-cursor0",
        "libxkbcommon-x11-0",
        "libegl1",
        "libwayland-client0",
        "libusb-1.0-0",
        "adduser",
    ):
        assert needed in depends, needed
    # Every dependency is a real Debian package name, not a leftover of the script's quoting.
    assert all(re.fullmatch(r"[a-z0-9][a-z0-9.+-]+", d) for d in depends), depends
    installed_kb = int(_field(deb_package, "Installed-Size"))
    # Qt's unused add-ons are pruned: the whole kiosk stays well under half a gigabyte.
    assert 100_000 < installed_kb < 500_000, installed_kb
    info = subprocess.run(
        ["dpkg-deb", "-I", str(deb_package)], check=True, capture_output=True, text=True
    ).stdout
    for script in ("postinst", "prerm", "postrm", "conffiles", "md5sums"):
        assert script in info, script


def test_conffiles_and_maintainer_scripts(deb_package: Path, tmp_path: Path):
    subprocess.run(["dpkg-deb", "-e", str(deb_package), str(tmp_path)], check=True)
    conffiles = (tmp_path / "conffiles").read_text().split()
    assert "/etc/onecard-kiosk/kiosk.toml" in conffiles
    for script in ("postinst", "prerm", "postrm"):
        path = tmp_path / script
        assert path.stat().st_mode & 0o111, f"{script} is not executable"
        subprocess.run(["sh", "-n", str(path)], check=True)
    postinst = (tmp_path / "postinst").read_text()
    assert "adduser --system" in postinst and " kiosk" in postinst
    # md5sums covers every file the package installs.
    listed = {line.split("  ", 1)[1] for line in (tmp_path / "md5sums").read_text().splitlines()}
    assert f"{SITE}/kiosk/assembly/first_frame.py" in listed
    assert "etc/onecard-kiosk/kiosk.toml" in listed


def test_contents_are_the_kiosk_its_environment_units_and_rules(deb_package: Path):
    listing = subprocess.run(
        ["dpkg-deb", "-c", str(deb_package)], check=True, capture_output=True, text=True
    ).stdout
    paths = {line.split()[5].removeprefix("./") for line in listing.splitlines()}
    for expected in (
        f"{OPT}/bin/kiosk",
        f"{OPT}/pyvenv.cfg",
        f"{SITE}/kiosk/assembly/first_frame.py",
        f"{SITE}/kiosk/assets/fonts/NotoSansCJKsc-Regular-GBK.otf",
        f"{SITE}/kiosk/translations/en/LC_MESSAGES/kiosk.po",
        f"{SITE}/kiosk/server/migrations/env.py",
        f"{SITE}/PySide6/QtWidgets.abi3.so",
        f"{SITE}/PySide6/QtTextToSpeech.abi3.so",
        f"{SITE}/PySide6/QtMultimedia.abi3.so",
        f"{SITE}/PySide6/Qt/plugins/platforms/libqwayland.so",
        f"{SITE}/PySide6/Qt/plugins/platforms/libqxcb.so",
        f"{SITE}/smartcard/System.py",
        f"{SITE}/escpos/printer/__init__.py",
        f"{SITE}/usb/core.py",
        "etc/onecard-kiosk/kiosk.toml",
        "etc/pam.d/onecard-kiosk",
        "lib/systemd/system/onecard-kiosk.service",
        "lib/systemd/system/onecard-platform.service",
        "lib/udev/rules.d/70-onecard-kiosk.rules",
        "usr/share/doc/onecard-kiosk/copyright",
        "usr/share/doc/onecard-kiosk/installation.md",
    ):
        assert expected in paths, expected
    assert "usr/bin/onecard-kiosk -> /opt/onecard-kiosk/venv/bin/kiosk" in listing
    # Owned by root, whoever built it.
    assert all(" root/root " in line for line in listing.splitlines())
    # No bytecode of the build machine's (postinst compiles), no WebEngine, no Qt tools, and
    # none of the machine's own development files.
    assert not [p for p in paths if "__pycache__" in p or p.endswith(".pyc")]
    assert not [p for p in paths if "WebEngine" in p or p.endswith(("/designer", "/linguist"))]
    assert not [p for p in paths if "/tests/" in p and "/kiosk/" in p]


def test_environment_runs_from_opt_with_no_build_path_left(deb_tree: Path):
    venv = deb_tree / OPT
    shebang = (venv / "bin" / "kiosk").read_text().splitlines()[0]
    assert shebang == "#!/opt/onecard-kiosk/venv/bin/python"
    config = (venv / "pyvenv.cfg").read_text()
    assert "home = /usr/bin" in config
    assert str(deb_tree) not in config and "/tmp/" not in config
    # The interpreter is the system's, which the package depends on.
    assert (venv / "bin" / "python").resolve() == Path("/usr/bin/python3.11").resolve()
    # Every module the kiosk and its platform load comes from the package's environment.
    probe = (
        "import importlib, json, sys\n"
        "mods = ['kiosk.assembly.after_frame', 'kiosk.server.app', 'PySide6.QtWidgets',"
        " 'PySide6.QtMultimedia', 'PySide6.QtTextToSpeech', 'PySide6.QtSvg', 'smartcard.System',"
        " 'serial', 'escpos', 'usb.core', 'uvicorn', 'uvloop', 'httptools', 'fastapi',"
        " 'sqlalchemy', 'alembic', 'pypinyin', 'PIL.Image', 'qrcode', 'requests', 'babel',"
        " 'platformdirs']\n"
        "print(json.dumps({m: importlib.import_module(m).__file__ for m in mods}))\n"
    )
    result = subprocess.run(
        [str(venv / "bin" / "python"), "-I", "-c", probe],
        capture_output=True,
        text=True,
        timeout=120,
        env={"PATH": "/usr/bin:/bin", "QT_QPA_PLATFORM": "offscreen"},
    )
    assert result.returncode == 0, result.stderr[-2000:]
    files = json.loads(result.stdout)
    outside = {m: f for m, f in files.items() if not f.startswith(str(venv))}
    assert not outside, outside


def test_packaged_kiosk_reaches_its_first_frame_from_the_unpacked_tree(deb_tree: Path, tmp_path):
    python = str(deb_tree / OPT / "bin" / "python")
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "XDG_CACHE_HOME": str(tmp_path / "c")}
    # The demo, and the deployed kiosk with the package's own configuration file.
    assert first_frame([python, "-m", "kiosk"], cwd=tmp_path, env=env)
    config = deb_tree / "etc" / "onecard-kiosk" / "kiosk.toml"
    assert first_frame([python, "-m", "kiosk", "run", "--config", str(config)], tmp_path, env)


def test_packaged_platform_serves_from_the_unpacked_tree(deb_tree: Path, tmp_path: Path):
    """The platform unit's command, on a free port with a throwaway database."""
    python = str(deb_tree / OPT / "bin" / "python")
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path)}
    serves_its_platform([python, "-m", "kiosk", "server"], tmp_path, env)


def _here(line: str, python: str, db: Path) -> list[str]:
    """A unit's `kiosk` command line, run by the unpacked tree's Python on this test's database
    (and on a free port where it names one)."""
    words = line.split()
    assert words[0] == "/opt/onecard-kiosk/venv/bin/kiosk", line
    command = [python, "-m", "kiosk", *words[1:]]
    command[command.index("--db") + 1] = f"sqlite:///{db}"
    if "--port" in command:
        command[command.index("--port") + 1] = "0"
    return command


def test_platform_unit_serves_on_a_first_install_and_after_an_upgrade(
    deb_tree: Path, tmp_path: Path
):
    """The platform unit's own command lines in systemd's order (ExecStartPre, then ExecStart):
    on a first install its database does not exist yet; after an upgrade it was left by an
    older version. The server serves neither by itself, so the unit must migrate first."""
    import requests

    platform = _unit(deb_tree / "lib" / "systemd" / "system" / "onecard-platform.service")
    (start,) = platform["Service.ExecStart"]
    database = start.split()[start.split().index("--db") + 1]
    assert database.startswith("sqlite:////var/lib/onecard-platform/")  # its StateDirectory
    before = platform.get("Service.ExecStartPre", [])
    assert any(line.split()[1:3] == ["server", "migrate"] for line in before), before
    assert all(line.split()[line.split().index("--db") + 1] == database for line in before)

    python = str(deb_tree / OPT / "bin" / "python")
    db = tmp_path / "platform.sqlite3"
    kiosk = {"ONECARD_KIOSK_ID": "onecard-kiosk-01", "ONECARD_KIOSK_KEY": "5a" * 32}
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path)} | kiosk

    def the_kiosk_reads_its_catalog(url: str) -> None:
        headers = {
            "X-Kiosk-Id": kiosk["ONECARD_KIOSK_ID"],
            "X-Kiosk-Key": kiosk["ONECARD_KIOSK_KEY"],
        }
        answer = requests.get(f"{url}/v1/catalog", headers=headers, timeout=10)
        assert answer.status_code == 200, answer.text
        assert any(category["items"] for category in answer.json()["categories"])

    for occasion in ("first install", "after an upgrade"):
        for line in before:
            done = subprocess.run(
                _here(line, python, db), env=env, capture_output=True, text=True, timeout=120
            )
            assert done.returncode == 0, f"{occasion}: {line}\n{done.stderr[-2000:]}"
        command = _here(start, python, db)
        serves_its_platform(
            command[:3], tmp_path, env, tuple(command[3:]), the_kiosk_reads_its_catalog
        )
        if occasion == "first install":
            # The same database as the previous version would leave it for the upgrade.
            older = subprocess.run(
                [python, "-c", DOWNGRADE, f"sqlite:///{db}"],
                env=env,
                capture_output=True,
                text=True,
                timeout=120,
            )
            assert older.returncode == 0, older.stderr[-2000:]


def test_units_start_the_kiosk_in_cage_under_a_watchdog(deb_tree: Path):
    units = deb_tree / "lib" / "systemd" / "system"
    kiosk = _unit(units / "onecard-kiosk.service")
    assert kiosk["Service.Type"] == ["notify"]
    # The kiosk is cage's child, not the main process.
    assert kiosk["Service.NotifyAccess"] == ["all"]
    assert int(kiosk["Service.WatchdogSec"][0]) > 0
    assert kiosk["Service.Restart"] == ["always"]
    assert kiosk["Service.User"] == ["kiosk"]
    exec_start = kiosk["Service.ExecStart"][0].split()
    assert exec_start[0] == "/usr/bin/cage"
    command = exec_start[exec_start.index("--") + 1 :]
    # The kiosk is not the main process: the watchdog's WATCHDOG_PID (cage's) is dropped for it.
    assert command[:3] == ["/usr/bin/env", "-u", "WATCHDOG_PID"]
    command = command[3:]
    assert command[0] == "/opt/onecard-kiosk/venv/bin/kiosk"
    assert command[1:4] == ["run", "--config", "/etc/onecard-kiosk/kiosk.toml"]
    assert (deb_tree / command[0].lstrip("/")).exists()
    platform = _unit(units / "onecard-platform.service")
    assert platform["Service.ExecStart"][0].startswith("/opt/onecard-kiosk/venv/bin/kiosk server")
    assert "127.0.0.1" in platform["Service.ExecStart"][0]
    # The kiosk's configuration points at the port the platform unit listens on.
    with open(deb_tree / "etc" / "onecard-kiosk" / "kiosk.toml", "rb") as fp:
        config = tomllib.load(fp)
    assert config["platform"]["url"] == "http://127.0.0.1:8765"
    assert "--port 8765" in platform["Service.ExecStart"][0]


def test_units_pass_systemd_analyze_verify(deb_tree: Path):
    """systemd's own check of the units, less what only an installed system has: the binaries
    the package and its dependencies install, and the targets of a booted machine."""
    analyze = shutil.which("systemd-analyze")
    require(analyze is not None, "systemd-analyze is not installed (apt-get install systemd)")
    assert analyze is not None
    units = deb_tree / "lib" / "systemd" / "system"
    for name in ("onecard-kiosk.service", "onecard-platform.service"):
        result = subprocess.run(
            [analyze, "verify", str(units / name)], capture_output=True, text=True, timeout=60
        )
        expected = re.compile(
            r".*(Command (/usr/bin/cage|/usr/bin/chvt|/opt/onecard-kiosk/\S+) is not executable"
            r"|Unit \S+\.target not found|Failed to create \S+/start"
            r"|System has not been booted with systemd|Failed to connect to bus).*"
        )
        surprises = [
            line
            for line in (result.stdout + result.stderr).splitlines()
            if line.strip() and not expected.fullmatch(line)
        ]
        assert not surprises, f"{name}: {surprises}"


def test_udev_rules_give_printers_and_serial_scanners_to_the_kiosks_groups(deb_tree: Path):
    rules = (deb_tree / "lib" / "udev" / "rules.d" / "70-onecard-kiosk.rules").read_text()
    active = [line for line in rules.splitlines() if line.strip() and not line.startswith("#")]
    # The USB printer class (07/01) and USB serial adapters.
    assert any('ID_USB_INTERFACES}=="*:0701*"' in r and 'GROUP="lp"' in r for r in active)
    assert any("ttyUSB" in r and 'GROUP="dialout"' in r for r in active)
    for rule in active:
        # Every clause is KEY=="v", KEY="v" or KEY+="v", comma-separated: what udev parses.
        clauses = [c.strip() for c in rule.split(",")]
        assert all(
            re.fullmatch(r'[A-Z_]+(\{[A-Za-z_]+\})?(==|!=|=|\+=)"[^"]*"', c) for c in clauses
        )
