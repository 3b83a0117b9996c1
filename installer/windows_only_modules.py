"""The modules that exist only on Windows, written once for the bundle and the tests.

Plain data, no imports: the PyInstaller spec reads it with ``runpy.run_path`` (the spec is
not run as a package), ``tests/unit/test_windows_guards.py`` with the same call.

* ``WINDOWS_ONLY_MODULES``: on Linux, none of these may be imported by FulfilStation's own
  code, not even tried (the test records every attempt); the Linux spec lists them in
  ``excludes``. A name here covers its submodules (``win32com`` covers ``win32com.client``).
* ``WINDOWS_RUNTIME_IMPORTS``: what ``drivers/printer/windows_spooler.py`` loads by name
  (``importlib``) when a ``win://`` job is sent. PyInstaller cannot see such imports, so
  the Windows spec lists them in ``hiddenimports``; each is also in ``WINDOWS_ONLY_MODULES``.
* ``WINDOWS_ONLY_ATTRIBUTES``: attributes of cross-platform modules that exist only on
  Windows; code may touch them only inside a function or behind a platform check.

Not listed, on purpose: ``hid`` (hidapi: one module on every system, HID scales and HID POS
scanners need it on Linux too) and ``serial.tools.list_ports`` (pyserial picks its Windows
or POSIX half itself, behind ``os.name``).
"""

WINDOWS_ONLY_MODULES: tuple[str, ...] = (
    # pywin32: RAW spooler printing (win32print), ShellExecute "printto" (win32api)
    "win32print",
    "win32api",
    "win32con",
    "win32file",
    "win32event",
    "win32cred",
    "win32ui",
    "win32gui",
    "win32com",
    "win32timezone",
    "pywintypes",
    "pythoncom",
    # the standard library's Windows-only modules
    "winreg",
    "_winreg",
    "msvcrt",
    "winsound",
    "_winapi",
    "_overlapped",
    "nt",
    # pyserial's Windows half (COM ports): pyserial chooses it itself behind os.name == "nt"
    "serial.serialwin32",
    "serial.win32",
    "serial.tools.list_ports_windows",
)

WINDOWS_RUNTIME_IMPORTS: tuple[str, ...] = ("win32print", "win32api")

WINDOWS_ONLY_ATTRIBUTES: tuple[str, ...] = (
    "ctypes.windll",
    "ctypes.oledll",
    "ctypes.WinDLL",
    "ctypes.OleDLL",
    "ctypes.WinError",
    "os.startfile",
)
