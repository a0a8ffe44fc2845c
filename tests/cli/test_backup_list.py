"""`safetymonth backup --list` lines up in a terminal: columns are measured in display width (a Chinese character
takes two columns), whatever the length of each backup's 类型 (导入前, 手动备份, 每日自动备份) or 内容."""

from __future__ import annotations

from safetymonth_desktop.services.text_columns import display_width, pad, table
from tests.db.util import cli


def test_display_width_counts_chinese_twice():
    assert display_width("abc") == 3
    assert display_width("导入前") == 6
    assert display_width("年度 2021;单位 23 个") == 20
    assert display_width("（全角）") == 8
    assert pad("导入前", 10) == "导入前    " and pad("12 KB", 8, right=True) == "   12 KB"
    assert table([("类型", "大小"), ("每日自动备份", "1 KB")]) == ["类型          大小", "每日自动备份  1 KB"]


def test_backup_list_columns_line_up(tmp_path):
    db = tmp_path / "正式.sqlite"
    assert cli("--db", db, "demo", "--year", "2021").returncode == 0
    assert cli("--db", db, "campaign", "--year", "2022").returncode == 0  # a backup listing two years
    assert cli("--db", db, "backup").returncode == 0
    result = cli("--db", db, "backup", "--list")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["时间", "类型", "大小", "内容", "文件"]
    body = lines[1:]
    assert len(body) >= 2 and len({line.split()[2] for line in body}) >= 2  # different kinds of backup
    # where the file column starts, in screen columns, is the same on every line (the header's 文件 too)
    starts = {display_width(line[:line.rindex("  ") + 2]) for line in body}  # the path is the last column
    starts.add(display_width(lines[0][:lines[0].index("文件")]))
    assert len(starts) == 1, result.stdout
    ends = {display_width(line[:line.index(" KB") + 3]) for line in body}  # sizes aligned right
    assert len(ends) == 1, result.stdout
