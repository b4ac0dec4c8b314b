; Inno Setup script for Caseworker on Windows (Inno Setup 6.3 or newer).
;
; Build the one-folder application first (python packaging\build.py, which also runs this script
; when iscc is on the PATH), or run it by hand from the repository root:
;   iscc /DAppVersion=0.1.0 /DDistDir=%CD%\dist packaging\windows\caseworker.iss
;
; The installer works without administrator rights (per-user, in %LOCALAPPDATA%\Programs) and
; offers a machine-wide installation to administrators. Uninstalling removes the program only:
; the store with the centre's statistics lives in %LOCALAPPDATA%\Caseworker and is never
; deleted by the uninstaller.

#ifndef AppVersion
  #error Give the version: iscc /DAppVersion=X.Y.Z /DDistDir=...\dist caseworker.iss
#endif
#ifndef DistDir
  #define DistDir "..\..\dist"
#endif

[Setup]
AppId={{9D7E66CF-C992-4F07-A2A4-C153248A4D4D}
AppName=Caseworker
AppVersion={#AppVersion}
AppVerName=Caseworker {#AppVersion}
DefaultDirName={autopf}\Caseworker
DefaultGroupName=Caseworker
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
OutputDir={#DistDir}
OutputBaseFilename=caseworker-{#AppVersion}-windows-setup
SetupIconFile=..\icons\caseworker.ico
UninstallDisplayIcon={app}\caseworkerw.exe
UninstallDisplayName=Caseworker
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
CloseApplications=yes
ShowLanguageDialog=auto

[Languages]
Name: "tr"; MessagesFile: "compiler:Languages\Turkish.isl"
Name: "en"; MessagesFile: "compiler:Default.isl"

[CustomMessages]
tr.StoreKept=Caseworker kaldırıldı. Merkezin istatistiklerini tutan veri deposu (%LOCALAPPDATA%\Caseworker) silinmedi.
en.StoreKept=Caseworker was removed. The store with the centre's statistics (%LOCALAPPDATA%\Caseworker) was not deleted.
tr.SelfTestFailed=Kurulum denetimi başarısız oldu. Bir komut isteminde "%1" --self-test komutunu çalıştırın ve çıktısını koordinatörünüze gönderin.
en.SelfTestFailed=The installation check failed. Run "%1" --self-test in a command prompt and send what it prints to your coordinator.

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "{#DistDir}\caseworker\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[InstallDelete]
; A new version replaces the bundled libraries of the old one completely.
Type: filesandordirs; Name: "{app}\_internal"

[Icons]
Name: "{autoprograms}\Caseworker"; Filename: "{app}\caseworkerw.exe"
Name: "{autodesktop}\Caseworker"; Filename: "{app}\caseworkerw.exe"; Tasks: desktopicon

[Run]
Filename: "{app}\caseworkerw.exe"; Description: "{cm:LaunchProgram,Caseworker}"; Flags: nowait postinstall skipifsilent

[Code]
// After copying, the installed program checks itself (caseworker.exe --self-test: database
// codec, encryption, PDF, translations, the window) and the installer says so if it fails.
procedure CurStepChanged(CurStep: TSetupStep);
var
  ResultCode: Integer;
  ExePath: String;
begin
  if CurStep = ssPostInstall then
  begin
    ExePath := ExpandConstant('{app}\caseworker.exe');
    if not Exec(ExePath, '--self-test', '', SW_HIDE, ewWaitUntilTerminated, ResultCode) or (ResultCode <> 0) then
      if not WizardSilent then
        MsgBox(FmtMessage(ExpandConstant('{cm:SelfTestFailed}'), [ExePath]), mbError, MB_OK);
  end;
end;

procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
begin
  if (CurUninstallStep = usPostUninstall) and not UninstallSilent then
    MsgBox(ExpandConstant('{cm:StoreKept}'), mbInformation, MB_OK);
end;
