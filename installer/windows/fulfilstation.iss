; FulfilStation for Windows: a per-user installer of the one-folder PyInstaller bundle.
;
; Build (Inno Setup 6.3 or later; see installer/README.md for the whole recipe), from the
; repository's top folder, after `pyinstaller installer/fulfilstation.spec` made
; dist\fulfilstation\fulfilstation.exe:
;
;     iscc /DAppVersion=0.1.0 installer\windows\fulfilstation.iss
;
; The installer is written to dist\FulfilStation-<version>-setup.exe. /DBundleDir=PATH
; takes the bundle from another folder (relative paths are from this script's folder).
;
; What it does: installs for the signed-in user only (no administrator password) into
; %LOCALAPPDATA%\Programs\FulfilStation, adds a Start-menu shortcut and, if ticked, a
; desktop shortcut. Uninstalling removes the program and the shortcuts only: the database,
; the station settings and the saved documents stay (see [UninstallDelete] below).

#ifndef AppVersion
  #error No version given: build with  iscc /DAppVersion=1.2.3 installer\windows\fulfilstation.iss
#endif

#ifndef BundleDir
  ; The spec's COLLECT(name="fulfilstation") output: dist\fulfilstation (tests/installer checks the two agree).
  #define BundleDir "..\..\dist\fulfilstation"
#endif

#define AppName "FulfilStation"
#define AppExeName "fulfilstation.exe"
#define AppPublisher "FulfilStation"

[Setup]
; AppId names this program to Windows: upgrades and the uninstaller find it by this GUID.
; Never change it (a new GUID would install a second copy beside the first).
AppId={{D9C073C2-E6D4-4C2E-B2A8-283EFEBA0CE3}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher={#AppPublisher}
; Per-user install: no UAC prompt, and {autopf} is then %LOCALAPPDATA%\Programs.
PrivilegesRequired=lowest
DefaultDirName={autopf}\{#AppName}
DisableProgramGroupPage=yes
UsePreviousAppDir=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
; Qt 6 needs Windows 10 or later.
MinVersion=10.0
SetupIconFile=fulfilstation.ico
UninstallDisplayIcon={app}\fulfilstation.ico
UninstallDisplayName={#AppName}
; A running FulfilStation is asked to close before its files are replaced or removed.
CloseApplications=yes
RestartApplications=no
WizardStyle=modern
Compression=lzma2/max
SolidCompression=yes
OutputDir=..\..\dist
OutputBaseFilename={#AppName}-{#AppVersion}-setup

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[InstallDelete]
; An upgrade replaces the whole bundle: files the previous version had and this one has
; not (an old Qt plug-in, a renamed library) must not be loaded by the new program.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#BundleDir}\{#AppExeName}"; DestDir: "{app}"; Flags: ignoreversion
Source: "{#BundleDir}\*"; DestDir: "{app}"; Excludes: "{#AppExeName}"; Flags: ignoreversion recursesubdirs createallsubdirs
Source: "fulfilstation.ico"; DestDir: "{app}"; Flags: ignoreversion

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExeName}"; WorkingDir: "{app}"; IconFilename: "{app}\fulfilstation.ico"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExeName}"; WorkingDir: "{app}"; IconFilename: "{app}\fulfilstation.ico"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExeName}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

[UninstallDelete]
; Only the program folder. The uninstaller already removes every file it installed; this
; also takes what the program may have left inside its own folder.
;
; KEEP THE DATA: never add the user's data or settings here. fulfilstation/paths.py puts
; them in platformdirs' user folders, outside {app}:
;   %LOCALAPPDATA%\FulfilStation\   the SQLite database, backups, journal, station.toml
;   Documents\FulfilStation\        saved packing slips and manifests
;   Windows Credential Manager      database and carrier passwords (keyring)
; A warehouse reinstalling or upgrading must find its stock, orders and settings intact.
Type: filesandordirs; Name: "{app}\_internal"
Type: dirifempty; Name: "{app}"
