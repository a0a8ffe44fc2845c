; Inno Setup 6 script: a per-user installer for the PyInstaller bundle dist\safetymonth\.
;
; - Installs without administrator rights into %LOCALAPPDATA%\Programs\safetymonth (PrivilegesRequired=lowest).
; - Start-menu shortcuts (program, 使用说明, uninstall) and an optional desktop shortcut (ticked by default).
; - The uninstaller removes only the program folder. The clerk's database and backups live in
;   %LOCALAPPDATA%\safetymonth (safetymonth_desktop/base/paths.py: platformdirs user_data_dir("safetymonth",
;   appauthor=False, roaming=False)), a different folder that this script never touches.
;
; Built by packaging\build_windows.ps1, which passes the version:
;   ISCC.exe /DAppVersion=0.1.0 /DAppVersionNumeric=0.1.0.0 packaging\installer.iss
; Relative paths below are relative to this file's folder (packaging\).
;
; Chinese wizard: Inno Setup ships no Simplified Chinese messages file (ChineseSimplified.isl is an unofficial,
; community-maintained translation). If a copy is found - next to this script as packaging\ChineseSimplified.isl,
; or in the compiler's Languages folder - it is used. Otherwise the English Default.isl is used with the
; messages of every page this installer shows overridden in Chinese below, so the clerk still sees Chinese.
; This file must stay UTF-8 with a byte-order mark: Inno Setup reads a script without one in the ANSI code page.

#ifndef AppVersion
  #define AppVersion "0.0.0"
#endif
#ifndef AppVersionNumeric
  #define AppVersionNumeric "0.0.0.0"
#endif
#ifndef BundleDir
  #define BundleDir "..\dist\safetymonth"
#endif
#ifndef OutputDir
  #define OutputDir "..\dist\installer"
#endif
#define AppName "安全生产月数据填报与总结"
#define AppExe "safetymonth.exe"
#define DataDirName "safetymonth"

#if FileExists(AddBackslash(SourcePath) + "ChineseSimplified.isl")
  #define ChineseMessages AddBackslash(SourcePath) + "ChineseSimplified.isl"
#elif FileExists(AddBackslash(CompilerPath) + "Languages\ChineseSimplified.isl")
  #define ChineseMessages "compiler:Languages\ChineseSimplified.isl"
#endif

[Setup]
; The AppId identifies the program for upgrades and uninstall: never change it.
AppId={{9B6F41F2-F77B-4B93-B1CE-CED0E8ED445D}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
VersionInfoVersion={#AppVersionNumeric}
VersionInfoProductName={#AppName}
VersionInfoDescription={#AppName} 安装程序
PrivilegesRequired=lowest
DefaultDirName={localappdata}\Programs\safetymonth
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
DisableWelcomePage=no
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
; Qt 6 runs on Windows 10 (1809) and later.
MinVersion=10.0.17763
OutputDir={#OutputDir}
OutputBaseFilename=safetymonth-setup-{#AppVersion}
SetupIconFile=..\resources\icons\safetymonth.ico
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName}
WizardStyle=modern
Compression=lzma2/max
SolidCompression=yes
; An upgrade while the program is open: offer to close it (Restart Manager), then replace the files.
CloseApplications=yes
RestartApplications=no

[Languages]
#ifdef ChineseMessages
Name: "chs"; MessagesFile: "{#ChineseMessages}"
#else
Name: "chs"; MessagesFile: "compiler:Default.isl"
#endif

#ifndef ChineseMessages
[Messages]
SetupAppTitle=安装
SetupWindowTitle=安装 - %1
UninstallAppTitle=卸载
UninstallAppFullTitle=卸载 %1
ConfirmTitle=确认
ErrorTitle=错误
InformationTitle=提示
ExitSetupTitle=退出安装
ExitSetupMessage=安装尚未完成。现在退出,软件将不会被安装。%n%n以后可以再次运行安装程序完成安装。%n%n确定退出吗?
ButtonBack=< 上一步(&B)
ButtonNext=下一步(&N) >
ButtonInstall=安装(&I)
ButtonOK=确定
ButtonCancel=取消
ButtonYes=是(&Y)
ButtonYesToAll=全部是(&A)
ButtonNo=否(&N)
ButtonNoToAll=全部否(&O)
ButtonFinish=完成(&F)
ButtonBrowse=浏览(&B)...
ButtonWizardBrowse=浏览(&R)...
ButtonNewFolder=新建文件夹(&M)
ClickNext=点击“下一步”继续,或点击“取消”退出安装。
BrowseDialogTitle=浏览文件夹
BrowseDialogLabel=请在下面的列表中选择一个文件夹,然后点击“确定”。
NewFolderName=新建文件夹
WelcomeLabel1=欢迎安装“[name]”
WelcomeLabel2=本向导将在这台电脑上安装 [name/ver]。%n%n安装不需要管理员权限,也不需要联网。建议先关闭其他正在运行的程序。
WizardSelectDir=选择安装位置
SelectDirDesc=要把 [name] 安装到哪里?
SelectDirLabel3=安装程序将把 [name] 安装到下面的文件夹。
SelectDirBrowseLabel=一般直接点击“下一步”即可。如要安装到其他文件夹,请点击“浏览”。
DiskSpaceGBLabel=需要至少 [gb] GB 的可用磁盘空间。
DiskSpaceMBLabel=需要至少 [mb] MB 的可用磁盘空间。
DirExistsTitle=文件夹已存在
DirExists=文件夹%n%n%1%n%n已经存在。仍要安装到这个文件夹吗?
DirDoesntExistTitle=文件夹不存在
DirDoesntExist=文件夹%n%n%1%n%n不存在。要创建它吗?
WizardSelectTasks=选择附加任务
SelectTasksDesc=还需要做哪些事情?
SelectTasksLabel2=请选择安装 [name] 时要执行的附加任务,然后点击“下一步”。
WizardReady=准备安装
ReadyLabel1=已准备好在这台电脑上安装 [name]。
ReadyLabel2a=点击“安装”开始安装;如要查看或修改设置,请点击“上一步”。
ReadyLabel2b=点击“安装”开始安装。
ReadyMemoDir=安装位置:
ReadyMemoTasks=附加任务:
WizardPreparing=正在准备安装
PreparingDesc=正在准备在这台电脑上安装 [name]。
ApplicationsFound=下列程序正在使用需要更新的文件。建议让安装程序自动关闭这些程序(请先保存工作)。
ApplicationsFound2=下列程序正在使用需要更新的文件。建议让安装程序自动关闭这些程序(请先保存工作)。
CloseApplications=自动关闭这些程序(&A)
DontCloseApplications=不关闭这些程序(&D)
WizardInstalling=正在安装
InstallingLabel=正在安装 [name],请稍候……
StatusExtractFiles=正在复制文件……
StatusCreateIcons=正在创建快捷方式……
StatusSavingUninstall=正在保存卸载信息……
StatusRunProgram=正在完成安装……
StatusRollback=正在撤销更改……
FinishedHeadingLabel=[name] 安装完成
FinishedLabelNoIcons=[name] 已安装到这台电脑上。
FinishedLabel=[name] 已安装到这台电脑上。可以从桌面或“开始”菜单的快捷方式启动。
ClickFinish=点击“完成”退出安装程序。
RunEntryExec=运行 %1
SetupAborted=安装没有完成。%n%n请排除问题后重新运行安装程序。
ConfirmUninstall=确定要卸载 %1 吗?%n%n只删除程序本身;您的数据库和备份会保留。
UninstallStatusLabel=正在从这台电脑上卸载 %1,请稍候……
UninstalledAll=%1 已从这台电脑上卸载。
UninstalledMost=%1 已卸载。%n%n有些文件无法删除,可以手动删除。
WizardUninstalling=卸载进度
StatusUninstalling=正在卸载 %1……
SetupAppRunningError=安装程序检测到 %1 正在运行。%n%n请先关闭它,然后点击“确定”继续,或点击“取消”退出。
UninstallAppRunningError=卸载程序检测到 %1 正在运行。%n%n请先关闭它,然后点击“确定”继续,或点击“取消”退出。
#endif

[CustomMessages]
AdditionalIcons=快捷方式:
CreateDesktopIcon=在桌面创建快捷方式(&D)
LaunchProgram=立即运行 %1
UninstallProgram=卸载 %1
UserGuide=使用说明
DataKept=您的数据库和备份仍保留在:%n%n%1%n%n以后重新安装本软件即可继续使用这些数据。如确定不再需要,可以手动删除这个文件夹。

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"

[InstallDelete]
; An upgrade replaces the bundled libraries as a whole, so no file of an older version lingers.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#BundleDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"; IconFilename: "{app}\{#AppExe}"
Name: "{group}\{cm:UserGuide}"; Filename: "{app}\_internal\docs\使用说明.html"
Name: "{group}\{cm:UninstallProgram,{#AppName}}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

[UninstallDelete]
; Only the (then empty) program folder. The data folder {localappdata}\{#DataDirName} is deliberately absent.
Type: dirifempty; Name: "{app}"

[Code]
procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
var
  DataDir: String;
begin
  if (CurUninstallStep = usPostUninstall) and not UninstallSilent then
  begin
    DataDir := ExpandConstant('{localappdata}\{#DataDirName}');
    if DirExists(DataDir) then
      MsgBox(FmtMessage(CustomMessage('DataKept'), [DataDir]), mbInformation, MB_OK);
  end;
end;
