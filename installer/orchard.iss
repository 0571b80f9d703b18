; Inno Setup script: Orchard for Windows (x64), from the PyInstaller folder built on Windows.
;
; Build on a Windows machine with Python 3.11 x64 and Inno Setup 6 (iscc on the PATH):
;   py -3.11 -m venv .bundle-venv
;   .bundle-venv\Scripts\python -m pip install --require-hashes -r requirements\bundle-windows.txt
;   .bundle-venv\Scripts\python -m pip install --no-deps --no-build-isolation .
;   .bundle-venv\Scripts\pyside6-lrelease resources\translations\orchard_zh_CN.ts -qm resources\translations\orchard_zh_CN.qm
;   .bundle-venv\Scripts\pyinstaller --noconfirm installer\orchard.spec
;   iscc /DVersion=1.0.0 installer\orchard.iss
; (requirements\bundle.txt is locked for Linux; a Windows lock is written the same way on
; Windows: pip-compile --generate-hashes --extra bundle pyproject.toml -o requirements\bundle-windows.txt.)
; The spec wants installer\orchard.ico: make it from resources\icons\orchard.svg (16-256 px),
; e.g. `magick -background none resources/icons/orchard.svg -define icon:auto-resize installer/orchard.ico`.
;
; Fonts: reports\fonts.py looks for the CJK TrueType font in Debian's places; on Windows set
; ORCHARD_CJK_FONT (the installer below does, to SimSun, which every Chinese Windows has) or
; install WenQuanYi Zen Hei. Signing: sign dist\orchard\orchard.exe and the setup .exe with
; signtool (SignTool= below) so SmartScreen knows the publisher.

#ifndef Version
  #define Version "1.0.0"
#endif

[Setup]
AppId={{7B0C6A52-3E55-4F0B-9D3A-0C5E7C1D2A41}
AppName=Orchard
AppVersion={#Version}
AppPublisher=Orchard
DefaultDirName={autopf}\Orchard
DefaultGroupName=Orchard
DisableProgramGroupPage=yes
OutputDir=..\dist
OutputBaseFilename=orchard-{#Version}-windows-x64-setup
SetupIconFile=orchard.ico
UninstallDisplayIcon={app}\orchard.exe
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
; the store's data (database, backups, set-up draft) lives in the user's AppData and is
; never removed by an uninstall or an update
PrivilegesRequiredOverridesAllowed=dialog
;SignTool=signtool sign /fd sha256 /tr http://timestamp.digicert.com /td sha256 $f

[Languages]
Name: "en"; MessagesFile: "compiler:Default.isl"
Name: "zh_CN"; MessagesFile: "compiler:Languages\ChineseSimplified.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"

[Files]
; the whole PyInstaller folder: orchard.exe and _internal\ (Qt, Python, resources, migrations)
Source: "..\dist\orchard\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\Orchard"; Filename: "{app}\orchard.exe"
Name: "{autodesktop}\Orchard"; Filename: "{app}\orchard.exe"; Tasks: desktopicon

[Registry]
; the CJK font for PDFs (see the note at the top); only when nobody set one
Root: HKCU; Subkey: "Environment"; ValueType: string; ValueName: "ORCHARD_CJK_FONT"; \
  ValueData: "{fonts}\simsun.ttc:0"; Flags: createvalueifdoesntexist uninsdeletevalue

[InstallDelete]
; an update replaces the program folder whole, so no file of an older version stays behind
Type: filesandordirs; Name: "{app}\_internal"

[Run]
Filename: "{app}\orchard.exe"; Description: "{cm:LaunchProgram,Orchard}"; Flags: nowait postinstall skipifsilent
