"""The Windows installer script (issue #16, point 4), read on Linux: no Inno Setup needed.

What must hold: a per-user install (no administrator), a Start-menu shortcut and an
optional desktop one, the program taken from the folder the PyInstaller spec writes, the
version passed on the command line, and an uninstaller that deletes nothing of the
warehouse's data — the folders ``fulfilstation/paths.py`` gets from platformdirs on Windows.
"""

from __future__ import annotations

import ntpath
import re
from pathlib import Path

import platformdirs.windows
import pytest

from fulfilstation import paths
from tests.support.inno_script import InnoScript, spec_output

ROOT = Path(__file__).resolve().parents[2]
ISS = ROOT / "installer" / "windows" / "fulfilstation.iss"
SPEC = ROOT / "installer" / "fulfilstation.spec"

# Inno Setup's names for the Windows folders platformdirs asks for (per user).
INNO_FOLDERS = {"CSIDL_LOCAL_APPDATA": "{localappdata}", "CSIDL_APPDATA": "{userappdata}",
                "CSIDL_PERSONAL": "{userdocs}", "CSIDL_COMMON_APPDATA": "{commonappdata}"}
# In a per-user (non-administrative) install, {autopf} is {userpf}: %LOCALAPPDATA%\Programs.
PER_USER = {"{autopf}": r"{localappdata}\Programs", "{userpf}": r"{localappdata}\Programs",
            "{autoprograms}": "{userprograms}", "{autodesktop}": "{userdesktop}"}


@pytest.fixture(scope="module")
def script() -> InnoScript:
    return InnoScript.parse(ISS.read_text(encoding="utf-8"), {"AppVersion": "1.2.3"})


def per_user(path: str) -> str:
    for constant, meaning in PER_USER.items():
        path = path.replace(constant, meaning)
    return ntpath.normpath(path).lower()


def windows_data_folders(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Where fulfilstation/paths.py keeps data, settings and documents on Windows, as Inno
    constants: platformdirs' own answer with each Windows folder named by its constant."""
    monkeypatch.setattr(platformdirs.windows, "get_win_folder", INNO_FOLDERS.__getitem__)
    dirs = platformdirs.windows.Windows(appname=paths.APP_NAME, appauthor=False)
    found = [dirs.user_data_dir, dirs.user_config_dir, ntpath.join(dirs.user_documents_dir, paths.APP_NAME)]
    return sorted({per_user(folder.replace("/", "\\")) for folder in found})


def test_the_sections_an_installer_needs_are_there(script: InnoScript) -> None:
    for section in ("Setup", "Tasks", "Files", "Icons", "Run", "UninstallDelete"):
        assert section in script.sections, f"[{section}] is missing"
    for directive in ("AppId", "AppName", "AppVersion", "DefaultDirName", "SetupIconFile", "OutputBaseFilename"):
        assert script.setup.get(directive), f"{directive} is missing from [Setup]"
    assert (ISS.parent / script.setup["SetupIconFile"]).is_file()


def test_it_installs_for_this_user_only(script: InnoScript) -> None:
    assert script.setup["PrivilegesRequired"] == "lowest"
    assert "PrivilegesRequiredOverridesAllowed" not in script.setup, "the user could pick an all-users install"
    assert per_user(script.setup["DefaultDirName"]) == r"{localappdata}\programs\fulfilstation"


def test_app_id_is_one_fixed_guid(script: InnoScript) -> None:
    """Upgrades and the uninstaller find the program by it (``{{`` escapes the brace)."""
    assert re.fullmatch(r"\{\{[0-9A-F]{8}(-[0-9A-F]{4}){3}-[0-9A-F]{12}\}", script.setup["AppId"])


def test_the_version_comes_from_the_command_line(script: InnoScript) -> None:
    assert script.setup["AppVersion"] == "1.2.3"
    assert "1.2.3" in script.setup["OutputBaseFilename"]
    assert "#ifndef AppVersion" in script.directives
    assert any(line.startswith("#error") and "/DAppVersion=" in line for line in script.directives), (
        "building without /DAppVersion must stop and say how to pass it")
    without = InnoScript.parse(ISS.read_text(encoding="utf-8"))
    assert without.setup["AppVersion"] == "{#AppVersion}", "a default version is baked into the script"


def test_start_menu_and_optional_desktop_shortcuts(script: InnoScript) -> None:
    program = r"{app}\fulfilstation.exe"
    icons = {per_user(icon["Name"]): icon for icon in script.entries("Icons")}
    start_menu = icons[r"{userprograms}\fulfilstation"]
    desktop = icons[r"{userdesktop}\fulfilstation"]
    assert start_menu["Filename"] == desktop["Filename"] == program
    assert "Tasks" not in start_menu
    assert desktop["Tasks"] == "desktopicon"
    tasks = {task["Name"]: task for task in script.entries("Tasks")}
    assert "unchecked" in tasks["desktopicon"].get("Flags", "").split()
    sources = {per_user(entry["DestDir"] + "\\" + Path(entry["Source"]).name) for entry in script.entries("Files")}
    for icon in (start_menu, desktop):
        assert per_user(icon["IconFilename"]) in sources, "the shortcut's icon is not installed"


def test_files_come_from_the_bundle_folder(script: InnoScript) -> None:
    bundle = ntpath.normpath(ntpath.join(str(ISS.parent), script.defines["BundleDir"]))
    assert bundle.replace("\\", "/") == str(ROOT / "dist" / "fulfilstation")
    entries = script.entries("Files")
    program = [e for e in entries if e["Source"] == script.defines["BundleDir"] + r"\fulfilstation.exe"]
    everything = [e for e in entries if e["Source"] == script.defines["BundleDir"] + r"\*"]
    assert program and everything
    assert {"recursesubdirs", "createallsubdirs"} <= set(everything[0]["Flags"].split())
    assert all(e["DestDir"] == "{app}" for e in program + everything)


def test_the_bundle_folder_is_the_one_the_spec_writes(script: InnoScript) -> None:
    if not SPEC.exists():
        pytest.skip("installer/fulfilstation.spec is not in this tree yet (the bundle branch adds it)")
    output = spec_output(SPEC)
    assert ntpath.basename(script.defines["BundleDir"]) == output["COLLECT"]
    assert output["EXE"] + ".exe" == "fulfilstation.exe"


def test_spec_output_reads_names_given_directly_or_by_a_variable(tmp_path: Path) -> None:
    spec = tmp_path / "app.spec"
    spec.write_text('APP = "fulfilstation"\na = Analysis(["main.py"])\n'
                    'exe = EXE(pyz, a.scripts, name=APP, console=False)\n'
                    'coll = COLLECT(exe, a.binaries, name="fulfil-bundle")\n', encoding="utf-8")
    assert spec_output(spec) == {"EXE": "fulfilstation", "COLLECT": "fulfil-bundle"}


def test_uninstall_keeps_the_data(script: InnoScript, monkeypatch: pytest.MonkeyPatch) -> None:
    data = windows_data_folders(monkeypatch)
    assert data == [r"{localappdata}\fulfilstation", r"{userdocs}\fulfilstation"]
    app = per_user(script.setup["DefaultDirName"])
    removed = [per_user(entry["Name"]) for entry in script.entries("UninstallDelete")]
    assert removed, "nothing to check"
    for folder in data:
        assert not (app == folder or app.startswith(folder + "\\") or folder.startswith(app + "\\")), (
            f"the program folder {app} and the data folder {folder} overlap")
        for name in removed:
            assert not (name == folder or name.startswith(folder + "\\") or folder.startswith(name + "\\")), (
                f"[UninstallDelete] {name} would delete {folder}")
    assert all(name == "{app}" or name.startswith("{app}\\") for name in removed)
    assert "KEEP THE DATA" in ISS.read_text(encoding="utf-8"), "the comment that keeps [UninstallDelete] honest"


def test_the_parser_reads_entries_and_defines() -> None:
    text = ('#define Where "..\\out"\n[Setup]\n; a comment\nAppName=X\n[Icons]\n'
            'Name: "{autodesktop}\\X; Y"; Filename: "{#Where}\\x.exe"; Tasks: desktopicon\n')
    parsed = InnoScript.parse(text, {"Where": "C:\\given"})
    assert parsed.setup == {"AppName": "X"}
    assert parsed.entries("Icons") == [
        {"Name": "{autodesktop}\\X; Y", "Filename": "C:\\given\\x.exe", "Tasks": "desktopicon"}]
