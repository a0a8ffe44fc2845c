#!/usr/bin/env bash
# Build a Debian package (统信UOS, 银河麒麟, Debian, Ubuntu, deepin …) from the PyInstaller bundle:
#   dist/safetymonth_<version>_<arch>.deb
#
# Usage (from anywhere; only dpkg-deb and coreutils are needed besides what packaging/build.sh needs):
#   bash packaging/build_deb.sh                     # builds the bundle first (packaging/build.sh, with its smoke test)
#   bash packaging/build_deb.sh --python PY         # ... with an interpreter that has the app's dependencies
#   bash packaging/build_deb.sh --bundle DIR        # package an already built bundle (e.g. dist/safetymonth)
#   bash packaging/build_deb.sh --out DIR           # write the .deb into DIR instead of dist/
#
# The architecture is the build machine's (`dpkg --print-architecture`): PyInstaller cannot cross-build, so run
# the same command on an arm64 (鲲鹏/飞腾) or loong64 machine to get safetymonth_<version>_arm64.deb; the bundle's
# executables are checked to be of that architecture. The bundle also carries the build machine's C library
# requirement: the package Depends on the newest glibc version any bundled file needs, so build on the oldest
# system you want to install on (see packaging/README.md, “信创 Linux 安装包”).
#
# What the package does (nothing else; there are no maintainer scripts at all, so installing, upgrading and
# `apt remove`/`dpkg -r`/`--purge` never touch anybody's data in ~/.local/share/safetymonth):
#   /opt/safetymonth/                      the bundle (safetymonth, safetymonth-cli, _internal/)
#   /usr/bin/safetymonth                   launcher: the program runs as the logged-in user, with its data in
#                                          ~/.local/share/safetymonth (platformdirs' user_data_dir; XDG_DATA_HOME
#                                          is honoured) — exactly as when run from the folder
#   /usr/share/applications/safetymonth.desktop   application-menu entry (Chinese name and comment, Office)
#   /usr/share/icons/hicolor/256x256/apps/safetymonth.png   its icon
# The desktop database and icon cache are refreshed by the dpkg triggers of desktop-file-utils and
# hicolor-icon-theme, as Debian policy asks (no postinst needed).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"

BUNDLE=""
PY=""
OUT="$ROOT/dist"
while [ $# -gt 0 ]; do
  case "$1" in
    --bundle) BUNDLE="$2"; shift 2 ;;
    --python) PY="$2"; shift 2 ;;
    --out) OUT="$2"; shift 2 ;;
    -h|--help) sed -n '2,30p' "$0"; exit 0 ;;
    *) echo "build_deb.sh: unknown option $1" >&2; exit 2 ;;
  esac
done

die() { echo "build_deb.sh: $*" >&2; exit 1; }
command -v dpkg-deb >/dev/null || die "dpkg-deb not found (this script runs on Debian-family systems)"

PACKAGE=safetymonth
ARCH="$(dpkg --print-architecture)"
VERSION="$(sed -n 's/^__version__ = "\(.*\)"$/\1/p' "$ROOT/safetymonth_desktop/__init__.py")"
[ -n "$VERSION" ] || die "no __version__ in safetymonth_desktop/__init__.py"
APP_NAME="$(sed -n 's/^APP_NAME = "\(.*\)"$/\1/p' "$ROOT/safetymonth_desktop/__init__.py")"

# --- the bundle
if [ -z "$BUNDLE" ]; then
  args=()
  [ -n "$PY" ] && args=(--python "$PY")
  bash "$ROOT/packaging/build.sh" "${args[@]}"
  BUNDLE="$ROOT/dist/safetymonth"
fi
BUNDLE="$(cd "$BUNDLE" && pwd)"
[ -x "$BUNDLE/safetymonth" ] && [ -x "$BUNDLE/safetymonth-cli" ] && [ -d "$BUNDLE/_internal" ] \
  || die "$BUNDLE is not a bundle built by packaging/build.sh"
printed="$("$BUNDLE/safetymonth-cli" --version)"
[ "$printed" = "safetymonth $VERSION" ] \
  || die "the bundle says '$printed' but the checkout is $VERSION: rebuild it (bash packaging/build.sh)"

# The executables must be of the package's architecture (ELF e_machine at byte 18, little-endian).
machine="$(od -An -tu2 -j18 -N2 "$BUNDLE/safetymonth" | tr -d ' ')"
case "$ARCH:$machine" in
  amd64:62|arm64:183|loong64:258|riscv64:243|mips64el:8) ;;
  amd64:*|arm64:*|loong64:*|riscv64:*|mips64el:*) die "the bundle's executables (ELF machine $machine) are not $ARCH" ;;
  *) echo "build_deb.sh: warning: cannot check the bundle's architecture against $ARCH" >&2 ;;
esac

# The newest glibc symbol version any bundled ELF file asks for: the package's libc6 dependency.
glibc_needed() {
  find "$BUNDLE" -type f \( -name '*.so*' -o -perm -u+x \) -print0 | while IFS= read -r -d '' f; do
    [ "$(head -c4 "$f" | od -An -c | tr -d ' ')" = '177ELF' ] || continue
    # `ldd -v` lists, under each file's own heading, the symbol versions it needs; keep the bundled files'.
    LD_LIBRARY_PATH="$BUNDLE/_internal" ldd -v "$f" 2>/dev/null | awk -v bundle="$BUNDLE/" '
      /^\t[^\t ].*:$/ { own = index($1, bundle) == 1; next }
      own && /\(GLIBC_[0-9.]+\)/ { match($0, /GLIBC_[0-9.]+/); print substr($0, RSTART + 6, RLENGTH - 6) }'
  done | sort -uV | tail -1
}
GLIBC="$(glibc_needed)"
[ -n "$GLIBC" ] || die "could not read the bundle's glibc requirement (ldd -v)"

# Libraries Qt's xcb platform plugin and Qt GUI load from the system, and a CJK font (without one every Chinese
# character is a box). t64 names first for Debian 13 / Ubuntu 24.04, the old names for UOS 20 / 麒麟 V10.
DEPENDS=(
  "libc6 (>= $GLIBC)"
  "libgl1" "libegl1" "libfontconfig1" "libfreetype6" "libdbus-1-3" "libglib2.0-0t64 | libglib2.0-0"
  "libx11-6" "libx11-xcb1" "libxcb1" "libxkbcommon0" "libxkbcommon-x11-0"
  "libxcb-cursor0" "libxcb-icccm4" "libxcb-image0" "libxcb-keysyms1" "libxcb-randr0" "libxcb-render0"
  "libxcb-render-util0" "libxcb-shape0" "libxcb-shm0" "libxcb-sync1" "libxcb-xfixes0" "libxcb-xkb1"
  "fonts-wqy-microhei | fonts-wqy-zenhei | fonts-noto-cjk | fonts-droid-fallback"
)
# Wayland sessions (麒麟 V10 SP1 can run one): Qt uses its wayland plugin when these are there, else XWayland.
RECOMMENDS=("libwayland-client0" "libwayland-cursor0" "libwayland-egl1")
join() { local IFS=","; echo "$*" | sed 's/,/, /g'; }

# --- the package tree
STAGE="$ROOT/build/deb/${PACKAGE}_${VERSION}_${ARCH}"
rm -rf "$STAGE"
mkdir -p "$STAGE/DEBIAN" "$STAGE/opt" "$STAGE/usr/bin" "$STAGE/usr/share/applications" \
         "$STAGE/usr/share/icons/hicolor/256x256/apps" "$STAGE/usr/share/doc/$PACKAGE"
cp -a "$BUNDLE" "$STAGE/opt/$PACKAGE"

cat >"$STAGE/usr/bin/$PACKAGE" <<'EOF'
#!/bin/sh
# 安全生产月数据填报与总结: starts the program installed in /opt/safetymonth (package safetymonth).
# Runs as the user who starts it; the data are in ~/.local/share/safetymonth ($XDG_DATA_HOME/safetymonth).
exec /opt/safetymonth/safetymonth "$@"
EOF

cat >"$STAGE/usr/share/applications/$PACKAGE.desktop" <<EOF
[Desktop Entry]
Type=Application
Version=1.0
Name=$APP_NAME
Name[zh_CN]=$APP_NAME
GenericName=安全生产月数据管理
GenericName[zh_CN]=安全生产月数据管理
Comment=安全生产月各单位报送数据的录入、汇总,生成活动总结和统计表
Comment[zh_CN]=安全生产月各单位报送数据的录入、汇总,生成活动总结和统计表
Exec=$PACKAGE
Icon=$PACKAGE
Terminal=false
Categories=Office;
Keywords=安全生产月;应急管理;统计表;活动总结;
StartupNotify=true
StartupWMClass=$PACKAGE
EOF

cp "$ROOT/resources/icons/safetymonth.png" "$STAGE/usr/share/icons/hicolor/256x256/apps/$PACKAGE.png"

cat >"$STAGE/usr/share/doc/$PACKAGE/README.Debian" <<EOF
$APP_NAME $VERSION

程序装在 /opt/$PACKAGE,从“应用程序”菜单(办公)或命令 $PACKAGE 启动;命令行用法:$PACKAGE --help。
数据库和备份在每个用户自己的 ~/.local/share/$PACKAGE/ 中。升级、卸载(apt remove 或 apt purge)都不会
删除或改动这些数据;确实不再需要时请手动删除该文件夹。
EOF

# Ownership root:root comes from dpkg-deb --root-owner-group; modes: nothing writable by group or others.
find "$STAGE" -type d -exec chmod 0755 {} +
find "$STAGE" -type f -exec chmod u+rw,go+r,go-w {} +
chmod 0755 "$STAGE/usr/bin/$PACKAGE" "$STAGE/opt/$PACKAGE/safetymonth" "$STAGE/opt/$PACKAGE/safetymonth-cli"
chmod 0644 "$STAGE/usr/share/applications/$PACKAGE.desktop"

INSTALLED_KB="$(du -sk --exclude=DEBIAN "$STAGE" | cut -f1)"
cat >"$STAGE/DEBIAN/control" <<EOF
Package: $PACKAGE
Version: $VERSION
Architecture: $ARCH
Maintainer: safetymonth_desktop <safetymonth@localhost>
Installed-Size: $INSTALLED_KB
Depends: $(join "${DEPENDS[@]}")
Recommends: $(join "${RECOMMENDS[@]}")
Section: misc
Priority: optional
Description: 安全生产月数据填报与总结
 区县安委办、应急管理局办事员用的桌面软件:把每年“安全生产月”各单位报来的
 组织领导、培训、宣传、隐患整治和督查情况录入一个本地数据库,一次录入,
 自动生成 Word《活动总结》、统计表和台账。不需要联网。
 .
 数据保存在每个用户的 ~/.local/share/safetymonth 中,升级和卸载都保留。
EOF

mkdir -p "$OUT"
DEB="$OUT/${PACKAGE}_${VERSION}_${ARCH}.deb"
start=$(date +%s%N)
# gzip: read by every dpkg of the target systems and ~8x faster to build than xz (measured 34-42 s against
# 310 s for this 200 MB tree on a busy 2-core machine) for ~25 % more bytes; zstd needs dpkg 1.21.18+.
dpkg-deb --root-owner-group -Zgzip -z6 --build "$STAGE" "$DEB" >/dev/null
end=$(date +%s%N)
awk -v ns=$((end - start)) 'BEGIN { printf "== dpkg-deb: %.1f s\n", ns / 1e9 }'
echo "== package: $DEB, $(du -h "$DEB" | cut -f1), installs $((INSTALLED_KB / 1024)) MB; Depends libc6 (>= $GLIBC)"
rm -rf "$STAGE"
