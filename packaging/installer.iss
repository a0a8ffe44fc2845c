; Inno Setup 6.3+ / 7 script: the installer for the PyInstaller bundle dist\safetymonth\.
;
; - By default installs for the current user only, without administrator rights, into
;   %LOCALAPPDATA%\Programs\safetymonth ({autopf} is {userpf} in non-administrative install mode).
; - IT can install for all users instead, into C:\Program Files\safetymonth, with administrator rights:
;   `safetymonth-setup-<version>.exe /ALLUSERS` (PrivilegesRequiredOverridesAllowed=commandline; add /VERYSILENT
;   for a silent push). That is the route where AppLocker's default rules block programs under %LOCALAPPDATA%.
;   The clerk's double-click keeps asking nothing: no "install mode" dialog (that would be `dialog`).
;   https://jrsoftware.org/ishelp/topic_setup_privilegesrequiredoverridesallowed.htm
; - Start-menu shortcuts (program, 使用说明, uninstall) and an optional desktop shortcut (ticked by default).
; - The uninstaller removes only the program folder. Each clerk's database and backups live in their own
;   %LOCALAPPDATA%\safetymonth (safetymonth_desktop/base/paths.py: platformdirs user_data_dir("safetymonth",
;   appauthor=False, roaming=False)) in either install mode - a folder this script never touches.
; - Refuses Windows older than 10 1809 and 32-bit Windows (Qt 6.11's supported platforms: Windows 10 1809 or
;   later and Windows 11, x86-64), with Chinese messages saying so.
; - AppMutex: the program creates these mutexes at start-up (safetymonth_desktop/base/app_mutex.py, a test keeps the
;   names equal), so setup and the uninstaller see a running program and ask the clerk to close it first
;   instead of failing on locked files. https://jrsoftware.org/ishelp/topic_setup_appmutex.htm
;
; Built by packaging\build_windows.ps1, which passes the version (and, when signing, the sign tool):
;   ISCC.exe /DAppVersion=0.1.0 /DAppVersionNumeric=0.1.0.0 packaging\installer.iss
;   ISCC.exe ... "/Ssafetymonthsign=$qC:\...\signtool.exe$q sign /fd sha256 ... $f" /DSignToolName=safetymonthsign
; Relative paths below are relative to this file's folder (packaging\).
;
; Chinese wizard: Inno Setup 7 (from 7.0.2) ships an official ChineseSimplified.isl in its Languages folder; for 6
; it is a community translation. If one is found - next to this script as packaging\ChineseSimplified.isl, or in
; the compiler's Languages folder - it is used. Otherwise the English Default.isl is used with every one of its
; messages overridden in Chinese below (the #ifndef ChineseMessages block), so the clerk still sees only Chinese.
; The messages a clerk meets when something is wrong (old or 32-bit Windows, program still running, a file that
; cannot be replaced) are always ours, whichever messages file is used: the [Messages] block before that.
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
#define AppMutexName "safetymonth-desktop-9B6F41F2-running"

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
PrivilegesRequiredOverridesAllowed=commandline
DefaultDirName={autopf}\safetymonth
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
DisableWelcomePage=no
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
; Qt 6.11 supports Windows 10 1809 (build 17763) and later, and Windows 11; x86-64 only.
MinVersion=10.0.17763
AppMutex={#AppMutexName},Global\{#AppMutexName}
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
#ifdef SignToolName
; Signs Setup, its temporary self-copies and the uninstaller (sign the bundle's exes before compiling:
; build_windows.ps1 -SignArguments does both). https://jrsoftware.org/ishelp/topic_setup_signtool.htm
SignTool={#SignToolName}
SignedUninstaller=yes
#endif

[Languages]
#ifdef ChineseMessages
Name: "chs"; MessagesFile: "{#ChineseMessages}"
#else
Name: "chs"; MessagesFile: "compiler:Default.isl"
#endif

[Messages]
; --- always ours: what went wrong and what to do (%1, %2 as in Default.isl)
WinVersionTooLowError=这台电脑的 Windows 版本太旧,无法安装本软件。%n%n本软件需要 Windows 10(1809 版或更高版本)或 Windows 11 的 64 位系统(%1 %2 或更高)。请联系信息科升级系统,或换一台电脑安装。
WindowsVersionNotSupported=本软件不支持这台电脑的 Windows 版本。%n%n需要 Windows 10(1809 版或更高版本)或 Windows 11 的 64 位系统。请联系信息科。
OnlyOnTheseArchitectures=本软件只能安装在 64 位 Windows 上(Windows 10 1809 版以上或 Windows 11),这台电脑是 32 位系统,无法安装。%n%n支持的处理器架构:%n%n%1
SetupAppRunningError=“%1”正在运行。%n%n请先保存并关闭它(包括所有窗口),然后点击“确定”继续安装;点击“取消”退出安装。
UninstallAppRunningError=“%1”正在运行。%n%n请先保存并关闭它(包括所有窗口),然后点击“确定”继续卸载;点击“取消”退出卸载。
ErrorReplacingExistingFile=无法替换已有的文件(可能是本软件还开着,或杀毒软件正在检查这个文件)。请关闭本软件,稍等片刻后点击“重试”:
ConfirmUninstall=确定要卸载“%1”吗?%n%n只删除程序本身;您的数据库和备份会保留。

#ifndef ChineseMessages
; --- every other message of Default.isl, for when no ChineseSimplified.isl is found
SetupAppTitle=安装
SetupWindowTitle=安装 - %1
UninstallAppTitle=卸载
UninstallAppFullTitle=卸载 %1
InformationTitle=提示
ConfirmTitle=确认
ErrorTitle=错误
SetupLdrStartupMessage=将要安装 %1。是否继续?
LdrCannotCreateTemp=无法创建临时文件,安装已中止
LdrCannotExecTemp=无法运行临时文件夹中的文件,安装已中止
LastErrorMessage=%1。%n%n错误 %2:%3
SetupFileMissing=安装文件夹中缺少文件 %1。请重新拷贝一份完整的安装程序。
SetupFileCorrupt=安装文件已损坏。请重新拷贝一份安装程序。
SetupFileCorruptOrWrongVer=安装文件已损坏,或与这个版本的安装程序不配套。请重新拷贝一份安装程序。
InvalidParameter=命令行参数无效:%n%n%1
SetupAlreadyRunning=安装程序已经在运行。
WindowsServicePackRequired=本软件需要 %1 Service Pack %2 或更高版本。
NotOnThisPlatform=本软件不能在 %1 上运行。
OnlyOnThisPlatform=本软件只能在 %1 上运行。
WinVersionTooHighError=本软件不能安装在 %1 %2 或更高版本上。
AdminPrivilegesRequired=为所有用户安装需要以管理员身份登录。
PowerUserPrivilegesRequired=安装本软件需要以管理员或 Power Users 组成员的身份登录。
PrivilegesRequiredOverrideTitle=选择安装方式
PrivilegesRequiredOverrideInstruction=选择安装方式
PrivilegesRequiredOverrideText1=%1 可以为这台电脑的所有用户安装(需要管理员权限),也可以只为您安装。
PrivilegesRequiredOverrideText2=%1 可以只为您安装,也可以为这台电脑的所有用户安装(需要管理员权限)。
PrivilegesRequiredOverrideAllUsers=为所有用户安装(&A)
PrivilegesRequiredOverrideAllUsersRecommended=为所有用户安装(&A)(推荐)
PrivilegesRequiredOverrideCurrentUser=只为我安装(&M)
PrivilegesRequiredOverrideCurrentUserRecommended=只为我安装(&M)(推荐)
ErrorCreatingDir=无法创建文件夹“%1”
ErrorTooManyFilesInDir=文件夹“%1”中的文件太多,无法再创建文件
ExitSetupTitle=退出安装
ExitSetupMessage=安装尚未完成。现在退出,软件将不会被安装。%n%n以后可以再次运行安装程序完成安装。%n%n确定退出吗?
AboutSetupMenuItem=关于安装程序(&A)...
AboutSetupTitle=关于安装程序
AboutSetupMessage=%1 版本 %2%n%3%n%n%1 主页:%n%4
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
SelectLanguageTitle=选择安装语言
SelectLanguageLabel=请选择安装时使用的语言。
ClickNext=点击“下一步”继续,或点击“取消”退出安装。
BrowseDialogTitle=浏览文件夹
BrowseDialogLabel=请在下面的列表中选择一个文件夹,然后点击“确定”。
NewFolderName=新建文件夹
WelcomeLabel1=欢迎安装“[name]”
WelcomeLabel2=本向导将在这台电脑上安装 [name/ver]。%n%n安装不需要管理员权限,也不需要联网。建议先关闭其他正在运行的程序。
WizardPassword=密码
PasswordLabel1=这个安装程序有密码保护。
PasswordLabel3=请输入密码,然后点击“下一步”继续。密码区分大小写。
PasswordEditLabel=密码(&P):
IncorrectPassword=密码不正确,请重新输入。
WizardLicense=许可协议
LicenseLabel=继续安装前,请阅读下面的重要信息。
LicenseLabel3=请阅读下面的许可协议。必须接受协议条款才能继续安装。
LicenseAccepted=我接受协议(&A)
LicenseNotAccepted=我不接受协议(&D)
WizardInfoBefore=信息
InfoBeforeLabel=继续安装前,请阅读下面的重要信息。
InfoBeforeClickLabel=准备好继续安装后,点击“下一步”。
WizardInfoAfter=信息
InfoAfterLabel=继续之前,请阅读下面的重要信息。
InfoAfterClickLabel=准备好继续后,点击“下一步”。
WizardUserInfo=用户信息
UserInfoDesc=请输入您的信息。
UserInfoName=用户名(&U):
UserInfoOrg=单位(&O):
UserInfoSerial=序列号(&S):
UserInfoNameRequired=必须输入用户名。
WizardSelectDir=选择安装位置
SelectDirDesc=要把 [name] 安装到哪里?
SelectDirLabel3=安装程序将把 [name] 安装到下面的文件夹。
SelectDirBrowseLabel=一般直接点击“下一步”即可。如要安装到其他文件夹,请点击“浏览”。
DiskSpaceGBLabel=需要至少 [gb] GB 的可用磁盘空间。
DiskSpaceMBLabel=需要至少 [mb] MB 的可用磁盘空间。
CannotInstallToNetworkDrive=不能安装到网络驱动器上。
CannotInstallToUNCPath=不能安装到网络路径(UNC 路径)上。
InvalidPath=请输入带盘符的完整路径,例如:%n%nC:\APP%n%n或如下形式的网络路径:%n%n\\server\share
InvalidDrive=所选的驱动器或网络共享不存在或无法访问,请另选一个。
DiskSpaceWarningTitle=磁盘空间不足
DiskSpaceWarning=安装至少需要 %1 KB 的可用空间,但所选驱动器只有 %2 KB。%n%n仍要继续吗?
DirNameTooLong=文件夹名称或路径太长。
InvalidDirName=文件夹名称无效。
BadDirName32=文件夹名称不能包含下列字符:%n%n%1
DirExistsTitle=文件夹已存在
DirExists=文件夹%n%n%1%n%n已经存在。仍要安装到这个文件夹吗?
DirDoesntExistTitle=文件夹不存在
DirDoesntExist=文件夹%n%n%1%n%n不存在。要创建它吗?
WizardSelectComponents=选择组件
SelectComponentsDesc=要安装哪些组件?
SelectComponentsLabel2=勾选要安装的组件,取消勾选不需要的组件,然后点击“下一步”。
FullInstallation=完全安装
CompactInstallation=精简安装
CustomInstallation=自定义安装
NoUninstallWarningTitle=组件已存在
NoUninstallWarning=这台电脑上已经安装了下列组件:%n%n%1%n%n取消勾选不会卸载它们。%n%n仍要继续吗?
ComponentSize1=%1 KB
ComponentSize2=%1 MB
ComponentsDiskSpaceGBLabel=当前选择需要至少 [gb] GB 的磁盘空间。
ComponentsDiskSpaceMBLabel=当前选择需要至少 [mb] MB 的磁盘空间。
WizardSelectTasks=选择附加任务
SelectTasksDesc=还需要做哪些事情?
SelectTasksLabel2=请选择安装 [name] 时要执行的附加任务,然后点击“下一步”。
WizardSelectProgramGroup=选择“开始”菜单文件夹
SelectStartMenuFolderDesc=把程序的快捷方式放在哪里?
SelectStartMenuFolderLabel3=安装程序将在下面的“开始”菜单文件夹中创建快捷方式。
SelectStartMenuFolderBrowseLabel=一般直接点击“下一步”即可。如要选择其他文件夹,请点击“浏览”。
MustEnterGroupName=必须输入文件夹名称。
GroupNameTooLong=文件夹名称或路径太长。
InvalidGroupName=文件夹名称无效。
BadGroupName=文件夹名称不能包含下列字符:%n%n%1
NoProgramGroupCheck2=不创建“开始”菜单文件夹(&D)
WizardReady=准备安装
ReadyLabel1=已准备好在这台电脑上安装 [name]。
ReadyLabel2a=点击“安装”开始安装;如要查看或修改设置,请点击“上一步”。
ReadyLabel2b=点击“安装”开始安装。
ReadyMemoUserInfo=用户信息:
ReadyMemoDir=安装位置:
ReadyMemoType=安装类型:
ReadyMemoComponents=所选组件:
ReadyMemoGroup=“开始”菜单文件夹:
ReadyMemoTasks=附加任务:
ButtonStopDownload=停止下载(&S)
StopDownload=确定要停止下载吗?
ErrorDownloadAborted=下载已中止
ErrorDownloadFailed=下载失败:%1 %2
ErrorDownloadSizeFailed=无法获取文件大小:%1 %2
ErrorProgress=进度无效:%1 / %2
ErrorFileSize=文件大小不对:应为 %1,实为 %2
WizardPreparing=正在准备安装
PreparingDesc=正在准备在这台电脑上安装 [name]。
PreviousInstallNotCompleted=上一个程序的安装或卸载还没有完成,需要先重新启动电脑。%n%n重新启动后,请再次运行安装程序来安装 [name]。
CannotContinue=安装无法继续。请点击“取消”退出。
ApplicationsFound=下列程序正在使用需要更新的文件。建议让安装程序自动关闭这些程序(请先保存工作)。
ApplicationsFound2=下列程序正在使用需要更新的文件。建议让安装程序自动关闭这些程序(请先保存工作)。安装完成后,安装程序会尝试重新打开它们。
CloseApplications=自动关闭这些程序(&A)
DontCloseApplications=不关闭这些程序(&D)
ErrorCloseApplications=安装程序没能自动关闭所有程序。建议先手动关闭正在使用需要更新的文件的程序,再继续安装。
PrepareToInstallNeedsRestart=需要重新启动电脑。重新启动后,请再次运行安装程序来安装 [name]。%n%n现在重新启动吗?
WizardInstalling=正在安装
InstallingLabel=正在安装 [name],请稍候……
FinishedHeadingLabel=[name] 安装完成
FinishedLabelNoIcons=[name] 已安装到这台电脑上。
FinishedLabel=[name] 已安装到这台电脑上。可以从桌面或“开始”菜单的快捷方式启动。
ClickFinish=点击“完成”退出安装程序。
FinishedRestartLabel=要完成 [name] 的安装,需要重新启动电脑。现在重新启动吗?
FinishedRestartMessage=要完成 [name] 的安装,需要重新启动电脑。%n%n现在重新启动吗?
ShowReadmeCheck=是,我要查看说明文件
YesRadio=是,现在重新启动电脑(&Y)
NoRadio=否,稍后再重新启动(&N)
RunEntryExec=运行 %1
RunEntryShellExec=查看 %1
ChangeDiskTitle=需要下一张磁盘
SelectDiskLabel2=请插入第 %1 张磁盘,然后点击“确定”。%n%n如果这张磁盘上的文件在下面显示的文件夹以外的地方,请输入正确的路径或点击“浏览”。
PathLabel=路径(&P):
FileNotInDir2=在“%2”中找不到文件“%1”。请插入正确的磁盘或选择其他文件夹。
SelectDirectoryLabel=请指定下一张磁盘的位置。
SetupAborted=安装没有完成。%n%n请排除问题后重新运行安装程序。
AbortRetryIgnoreSelectAction=请选择操作
AbortRetryIgnoreRetry=重试(&T)
AbortRetryIgnoreIgnore=忽略错误并继续(&I)
AbortRetryIgnoreCancel=取消安装
StatusClosingApplications=正在关闭程序……
StatusCreateDirs=正在创建文件夹……
StatusExtractFiles=正在复制文件……
StatusCreateIcons=正在创建快捷方式……
StatusCreateIniEntries=正在写入 INI 设置……
StatusCreateRegistryEntries=正在写入注册表……
StatusRegisterFiles=正在注册文件……
StatusSavingUninstall=正在保存卸载信息……
StatusRunProgram=正在完成安装……
StatusRestartingApplications=正在重新打开程序……
StatusRollback=正在撤销更改……
ErrorInternal2=内部错误:%1
ErrorFunctionFailedNoCode=%1 失败
ErrorFunctionFailed=%1 失败;错误代码 %2
ErrorFunctionFailedWithMessage=%1 失败;错误代码 %2。%n%3
ErrorExecutingProgram=无法运行文件:%n%1
ErrorRegOpenKey=打开注册表项时出错:%n%1\%2
ErrorRegCreateKey=创建注册表项时出错:%n%1\%2
ErrorRegWriteKey=写入注册表项时出错:%n%1\%2
ErrorIniEntry=在文件“%1”中写入 INI 设置时出错。
FileAbortRetryIgnoreSkipNotRecommended=跳过这个文件(&S)(不推荐)
FileAbortRetryIgnoreIgnoreNotRecommended=忽略错误并继续(&I)(不推荐)
SourceIsCorrupted=源文件已损坏
SourceDoesntExist=源文件“%1”不存在
ExistingFileReadOnly2=已有的文件是只读的,无法替换。
ExistingFileReadOnlyRetry=去掉只读属性后重试(&R)
ExistingFileReadOnlyKeepExisting=保留已有的文件(&K)
ErrorReadingExistingDest=读取已有的文件时出错:
FileExistsSelectAction=请选择操作
FileExists2=文件已经存在。
FileExistsOverwriteExisting=覆盖已有的文件(&O)
FileExistsKeepExisting=保留已有的文件(&K)
FileExistsOverwriteOrKeepAll=以后遇到同样情况都这样做(&D)
ExistingFileNewerSelectAction=请选择操作
ExistingFileNewer2=已有的文件比安装程序要装的文件更新。
ExistingFileNewerOverwriteExisting=覆盖已有的文件(&O)
ExistingFileNewerKeepExisting=保留已有的文件(&K)(推荐)
ExistingFileNewerOverwriteOrKeepAll=以后遇到同样情况都这样做(&D)
ErrorChangingAttr=更改已有文件的属性时出错:
ErrorCreatingTemp=在安装文件夹中创建文件时出错:
ErrorReadingSource=读取源文件时出错:
ErrorCopying=复制文件时出错:
ErrorRestartReplace=重新启动后替换文件失败:
ErrorRenamingTemp=在安装文件夹中重命名文件时出错:
ErrorRegisterServer=无法注册 DLL/OCX:%1
ErrorRegSvr32Failed=RegSvr32 失败,退出代码 %1
ErrorRegisterTypeLib=无法注册类型库:%1
UninstallDisplayNameMark=%1(%2)
UninstallDisplayNameMarks=%1(%2,%3)
UninstallDisplayNameMark32Bit=32 位
UninstallDisplayNameMark64Bit=64 位
UninstallDisplayNameMarkAllUsers=所有用户
UninstallDisplayNameMarkCurrentUser=当前用户
ErrorOpeningReadme=打开说明文件时出错。
ErrorRestartingComputer=安装程序无法重新启动电脑,请手动重新启动。
UninstallNotFound=文件“%1”不存在,无法卸载。
UninstallOpenError=无法打开文件“%1”,无法卸载
UninstallUnsupportedVer=卸载记录文件“%1”的格式与这个版本的卸载程序不符,无法卸载
UninstallUnknownEntry=卸载记录中有无法识别的条目(%1)
UninstallOnlyOnWin64=只能在 64 位 Windows 上卸载。
OnlyAdminCanUninstall=只有具有管理员权限的用户才能卸载(它是为所有用户安装的)。
UninstallStatusLabel=正在从这台电脑上卸载 %1,请稍候……
UninstalledAll=%1 已从这台电脑上卸载。
UninstalledMost=%1 已卸载。%n%n有些文件无法删除,可以手动删除。
UninstalledAndNeedsRestart=要完成 %1 的卸载,需要重新启动电脑。%n%n现在重新启动吗?
UninstallDataCorrupted=文件“%1”已损坏,无法卸载
ConfirmDeleteSharedFileTitle=删除共享文件?
ConfirmDeleteSharedFile2=系统显示下面的共享文件已不再被任何程序使用。要删除它吗?%n%n如果仍有程序在用它,删除后这些程序可能无法正常工作。拿不准时请选“否”,保留它没有任何害处。
SharedFileNameLabel=文件名:
SharedFileLocationLabel=位置:
WizardUninstalling=卸载进度
StatusUninstalling=正在卸载 %1……
ShutdownBlockReasonInstallingApp=正在安装 %1。
ShutdownBlockReasonUninstallingApp=正在卸载 %1。
#if PREPROCVER >= EncodeVer(6,5,0)
; messages Inno Setup 6.5 added (and the download-page ones it renamed)
DownloadingLabel2=正在下载文件……
ExtractingLabel=正在解压文件……
ButtonStopExtraction=停止解压(&S)
StopExtraction=确定要停止解压吗?
ErrorExtractionAborted=解压已中止
ErrorExtractionFailed=解压失败:%1
ArchiveIncorrectPassword=密码不正确
ArchiveIsCorrupted=压缩包已损坏
ArchiveUnsupportedFormat=不支持这种压缩包格式
RetryCancelSelectAction=请选择操作
RetryCancelRetry=重试(&T)
RetryCancelCancel=取消
StatusDownloadFiles=正在下载文件……
SourceVerificationFailed=源文件校验失败:%1
VerificationSignatureDoesntExist=签名文件“%1”不存在
VerificationSignatureInvalid=签名文件“%1”无效
VerificationKeyNotFound=签名文件“%1”使用了未知的密钥
VerificationFileNameIncorrect=文件名不正确
VerificationFileTagIncorrect=文件标记不正确
VerificationFileSizeIncorrect=文件大小不正确
VerificationFileHashIncorrect=文件哈希值不正确
ErrorDownloading=下载文件时出错:
ErrorExtracting=解压压缩包时出错:
#else
DownloadingLabel=正在下载其他文件……
ErrorFileHash1=文件校验失败:%1
ErrorFileHash2=文件哈希值不对:应为 %1,实为 %2
#endif
#endif

[CustomMessages]
AdditionalIcons=快捷方式:
CreateDesktopIcon=在桌面创建快捷方式(&D)
LaunchProgram=立即运行 %1
UninstallProgram=卸载 %1
UserGuide=使用说明
DataKept=您的数据库和备份仍保留在:%n%n%1%n%n以后重新安装本软件即可继续使用这些数据。如确定不再需要,可以手动删除这个文件夹。
DataKeptAllUsers=程序已卸载。每位用户的数据库和备份仍保留在他们各自的%n%n%1%n%n文件夹中(%%LOCALAPPDATA%% 即 C:\Users\用户名\AppData\Local),以后重新安装本软件即可继续使用。

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
// After uninstalling, tell the clerk where the data stayed. In the all-users mode (/ALLUSERS) the uninstaller runs
// elevated, possibly as another account, so it names the per-user folder instead of one user's path.
procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
var
  DataDir: String;
begin
  if (CurUninstallStep = usPostUninstall) and not UninstallSilent then
  begin
    if IsAdminInstallMode then
      MsgBox(FmtMessage(CustomMessage('DataKeptAllUsers'), ['%LOCALAPPDATA%\{#DataDirName}']), mbInformation, MB_OK)
    else
    begin
      DataDir := ExpandConstant('{localappdata}\{#DataDirName}');
      if DirExists(DataDir) then
        MsgBox(FmtMessage(CustomMessage('DataKept'), [DataDir]), mbInformation, MB_OK);
    end;
  end;
end;
