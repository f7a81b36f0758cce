"""Removes from an installed PySide6 the Qt modules, tools and data the kiosk never loads.

PySide6-Addons brings all of Qt's add-ons, WebEngine's 200 MB library among them; the kiosk
uses a handful of modules. What stays is the binding modules named in KEEP, the plugin
folders in KEEP_PLUGINS, and every Qt library those need, followed through the ELF files'
DT_NEEDED entries; everything else under PySide6/Qt/lib goes. The closure is then checked:
a library that a kept file needs and that is no longer there stops the build, so pruning can
make the package smaller but never break a module the kiosk imports.

    python prune_qt.py SITE_PACKAGES
"""

from __future__ import annotations

import shutil
import struct
import sys
from pathlib import Path

# The Qt modules the kiosk (and its `audit` command) import, and those they load in turn.
KEEP = {
    "QtCore",
    "QtGui",
    "QtWidgets",
    "QtSvg",
    "QtSvgWidgets",
    "QtMultimedia",
    "QtTextToSpeech",
    "QtNetwork",
    "QtDBus",
    "QtTest",
    "QtPrintSupport",
    "QtOpenGL",
    "QtConcurrent",
    "QtXml",
}
KEEP_PLUGINS = {
    "platforms",
    "platforminputcontexts",
    "platformthemes",
    "xcbglintegrations",
    "wayland-decoration-client",
    "wayland-graphics-integration-client",
    "wayland-shell-integration",
    "iconengines",
    "imageformats",
    "multimedia",
    "texttospeech",
    "tls",
    "networkinformation",
    "generic",
    "printsupport",
}
# Single plugins in kept folders that would pull QML and Quick back in for nothing: the kiosk
# has its own on-screen keyboard, and the eglfs platform is for machines without a compositor.
DROP_PLUGINS = {"libqtvirtualkeyboardplugin.so", "libqeglfs.so"}
# Tools and build-time files: designers, language tools, headers, type data.
DROP_TOP = {
    "assistant",
    "balsam",
    "balsamui",
    "designer",
    "linguist",
    "lrelease",
    "lupdate",
    "qmlformat",
    "qmllint",
    "qmlls",
    "qsb",
    "svgtoqml",
    "include",
    "typesystems",
    "glue",
    "doc",
    "scripts",
}
DROP_QT = {"qml", "metatypes", "libexec", "resources"}


def needed(path: Path) -> list[str]:
    """The DT_NEEDED names of an ELF64 little-endian shared object (what `readelf -d` lists)."""
    data = path.read_bytes()
    if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
        return []
    shoff, shentsize, shnum = (
        struct.unpack_from("<Q", data, 0x28)[0],
        *struct.unpack_from("<HH", data, 0x3A),
    )
    sections = [
        struct.unpack_from("<IIQQQQIIQQ", data, shoff + i * shentsize) for i in range(shnum)
    ]
    names: list[str] = []
    for _name, kind, _flags, _addr, offset, size, link, _info, _align, entsize in sections:
        if kind != 6:  # SHT_DYNAMIC
            continue
        strtab_offset = sections[link][4]
        for i in range(size // (entsize or 16)):
            tag, value = struct.unpack_from("<qQ", data, offset + i * (entsize or 16))
            if tag == 0:
                break
            if tag == 1:  # DT_NEEDED
                end = data.index(b"\0", strtab_offset + value)
                names.append(data[strtab_offset + value : end].decode())
    return names


def main(site_packages: Path) -> int:
    pyside = site_packages / "PySide6"
    qt = pyside / "Qt"
    lib = qt / "lib"
    before = sum(f.stat().st_size for f in pyside.rglob("*") if f.is_file())

    for module in pyside.glob("Qt*.abi3.so"):
        if module.name.split(".")[0] not in KEEP:
            module.unlink()
    for stub in pyside.glob("*.pyi"):
        stub.unlink()
    for name in DROP_TOP:
        target = pyside / name
        if target.is_dir():
            shutil.rmtree(target)
        elif target.exists():
            target.unlink()
    for name in DROP_QT:
        shutil.rmtree(qt / name, ignore_errors=True)
    for folder in (qt / "plugins").iterdir():
        if folder.name not in KEEP_PLUGINS:
            shutil.rmtree(folder)
    for plugin in (qt / "plugins").rglob("*.so"):
        if plugin.name in DROP_PLUGINS:
            plugin.unlink()
    # Qt's own translations: the kiosk has its own catalogs; Qt's base strings are kept.
    for catalog in (qt / "translations").glob("*.qm"):
        if not catalog.name.startswith("qtbase_"):
            catalog.unlink()

    # Follow DT_NEEDED from every kept file to the Qt libraries it loads.
    libraries = {f.name: f for f in lib.iterdir() if ".so" in f.name}
    roots = [
        *pyside.glob("*.so*"),
        *(qt / "plugins").rglob("*.so"),
        *(site_packages / "shiboken6").glob("*.so*"),
    ]
    wanted: set[str] = set()
    queue = list(roots)
    while queue:
        for name in needed(queue.pop()):
            if name in libraries and name not in wanted:
                wanted.add(name)
                queue.append(libraries[name])
    # A library's other names (libavcodec.so, .so.61, .so.61.19.101) are copies in the wheel.
    for name, path in libraries.items():
        if name not in wanted:
            path.unlink()

    missing = sorted(
        f"{path.relative_to(site_packages)} needs {name}"
        for path in [*roots, *(lib / n for n in wanted)]
        for name in needed(path)
        if name.startswith(("libQt6", "libicu", "libav", "libsw", "libpyside6", "libshiboken6"))
        and not (lib / name).exists()
        and not (pyside / name).exists()
        and not (site_packages / "shiboken6" / name).exists()
    )
    if missing:
        print("prune_qt: a kept file lost a library:\n  " + "\n  ".join(missing), file=sys.stderr)
        return 1
    after = sum(f.stat().st_size for f in pyside.rglob("*") if f.is_file())
    print(f"prune_qt: PySide6 {before / 1e6:.0f} MB -> {after / 1e6:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
