"""The user guide: the committed HTML is the rendering of the Markdown, and it says what a clerk needs."""

import importlib.util
import re
from pathlib import Path

DOCS = Path(__file__).resolve().parents[2] / "docs"
spec = importlib.util.spec_from_file_location("build_guide", DOCS / "build_guide.py")
build_guide = importlib.util.module_from_spec(spec)
spec.loader.exec_module(build_guide)
MARKDOWN = (DOCS / "使用说明.md").read_text(encoding="utf-8")


def test_committed_html_is_up_to_date():
    assert (DOCS / "使用说明.html").read_text(encoding="utf-8") == build_guide.render(MARKDOWN), \
        "run: python docs/build_guide.py"


def test_workflow_steps_in_order():
    positions = [MARKDOWN.index(f"### 第 {n} 步:{step}") for n, step in enumerate(
        ["新建年度", "下发填报模板", "导入", "检查概览", "导出活动总结和统计表", "备份"], start=1)]
    assert positions == sorted(positions)


def test_troubleshooting_covers_fonts_network_restore_and_lock():
    for needle in ("方正小标宋简体", "仿宋_GB2312", "楷体_GB2312", "黑体", "网络盘", "从备份恢复", "数据库正被另一个窗口使用"):
        assert needle in MARKDOWN, needle


def test_paths_in_the_guide_match_the_program():
    from safetymonth_desktop.base import paths
    from safetymonth_desktop.db.backup_folder import BACKUP_DIR_NAME

    assert f"%LOCALAPPDATA%\\{paths.APP_DIR_NAME}\\{paths.DB_FILE_NAME}" in MARKDOWN
    assert f"%LOCALAPPDATA%\\{paths.APP_DIR_NAME}\\{BACKUP_DIR_NAME}\\" in MARKDOWN


def test_every_screenshot_is_described_for_the_screenshot_script():
    listed = (DOCS / "images" / "README.md").read_text(encoding="utf-8")
    sources = build_guide.image_sources(MARKDOWN)
    assert len(sources) >= 6
    for src in sources:
        assert src.startswith("images/") and f"`{src.removeprefix('images/')}`" in listed, src


def test_renderer_keeps_structure():
    html = build_guide.render("# T\n\n## 目录\n\n1. 甲\n2. 乙\n\n## 1. 甲\n\n- **粗** `a<b`\n  续行\n   - 子项\n"
                              "\n| a | b |\n|---|---|\n| 1 | 2 |\n\n> 注意\n> 接着\n\n![图](images/x.png)\n")
    assert '<a href="#s1">甲</a>' in html and '<h2 id="s1">1. 甲</h2>' in html
    assert "<strong>粗</strong> <code>a&lt;b</code>续行<ul><li>子项</li></ul>" in html
    assert "<th>a</th><th>b</th>" in html and "<td>1</td><td>2</td>" in html
    assert "<blockquote><p>注意接着</p></blockquote>" in html
    assert re.search(r'<img src="images/x.png" alt="图">', html)


def test_guide_and_readme_state_the_supported_systems():
    """The same facts as installer.iss refuses by (MinVersion 10.0.17763, x64) and packaging/README.md explains."""
    install = MARKDOWN.split("## 2. 安装", 1)[1].split("### 2.1", 1)[0]
    for needle in ("Windows 10(1809 版或更高版本)", "Windows 11", "64 位", "winver", "32 位", ".deb"):
        assert needle in install, needle
    readme = (DOCS.parent / "README.md").read_text(encoding="utf-8")
    supported = readme.split("**支持的系统。**", 1)[1].split("\n\n", 1)[0]
    for needle in ("Windows 10(1809 版或更高)", "Windows 11", "64 位", "/ALLUSERS", "build_deb.sh", "glibc 2.34",
                   "Python 3.11"):
        assert needle in supported, needle
