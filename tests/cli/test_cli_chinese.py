"""The whole command line speaks Chinese: every `--help` (top level and each command, each with a description
line) and every usage error, with none of argparse's English left — checked in real subprocesses."""

import re

import pytest

from safetymonth_desktop import command_line as cli
from safetymonth_desktop.cli_parser import display_width, translate, wrap
from tests.cli.test_cli import run

# argparse's own English, as Python 3.11–3.14 print it.
ARGPARSE_ENGLISH = ("usage", "positional arguments", "options:", "optional arguments", "show this help",
                    "show program's version", "choose from", "invalid choice", "error:", "the following arguments",
                    "unrecognized arguments", "expected one argument", "expected at least", "argument ",
                    "ambiguous option", "ignored explicit", "not allowed with", "subcommands", "is required")
# ASCII words that may appear in our help: names of programs, file types and products, and backups' folder.
ALLOWED_WORDS = {"safetymonth", "sqlite", "xlsx", "xls", "xlsb", "ods", "docx", "Excel", "Word", "JSON", "WPS",
                 "backups"}


def english_words(text: str) -> set[str]:
    """ASCII words left after removing option strings (--year, -o) and command names."""
    text = re.sub(r"(?<![\w-])--?[A-Za-z][\w-]*", " ", text)
    for name in cli.COMMANDS:
        text = re.sub(rf"(?<![\w-]){name}(?![\w-])", " ", text)
    return {w for w in re.findall(r"[A-Za-z]{2,}", text)} - ALLOWED_WORDS


def assert_chinese(text: str, echoed=()):
    for word in echoed:  # what the user typed may be echoed as it is
        text = text.replace(word, "")
    lowered = text.lower()
    assert [phrase for phrase in ARGPARSE_ENGLISH if phrase in lowered] == [], text
    assert english_words(text) == set(), text
    assert "Traceback" not in text


@pytest.mark.parametrize("command", [None, *cli.COMMANDS])
def test_every_help_is_chinese_with_a_description(command):
    result = run(*([command] if command else []), "--help")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert_chinese(out)
    lines = out.splitlines()
    assert lines[0].startswith("用法:safetymonth" + (f" {command}" if command else ""))
    description = lines[lines.index("") + 1]  # the paragraph after the usage
    assert re.search(r"[\u4e00-\u9fff]", description) and not description.endswith(":"), out
    assert "显示帮助并退出" in out
    if command is None:
        assert "显示版本号并退出" in out
        assert all(name in out for name in cli.COMMANDS)


@pytest.mark.parametrize("args, needle", [
    (["nosuchcommand"], "没有“nosuchcommand”这个命令"),
    (["figures"], "缺少必需的参数:--year"),
    (["import", "--year", "2021"], "缺少必需的参数"),
    (["figures", "--year"], "需要一个参数值"),
    (["figures", "--year", "2021", "--bogus"], "无法识别的参数:--bogus"),
    (["--bogus"], "无法识别的参数"),
    (["import", "--year", "2021", "--replace=yes", "a.xlsx"], "此选项不带参数值"),
    (["campaign", "--year", "2021", "--o", "x"], "不明确"),  # --ordinal or --organizer
    (["report", "--year", "2021"], "缺少必需的参数:-o/--output"),
])
def test_usage_errors_are_chinese(tmp_path, args, needle):
    result = run("--db", tmp_path / "x.sqlite", *args)
    assert result.returncode == 2
    assert result.stdout == ""
    assert_chinese(result.stderr, echoed=[w for a in args for w in a.split("=") if not w.startswith("-")])
    assert result.stderr.startswith("用法:safetymonth")
    assert needle in result.stderr, result.stderr
    assert "--help”可查看用法" in result.stderr
    assert not (tmp_path / "x.sqlite").exists()


def test_version():
    result = run("--version")
    assert result.returncode == 0 and re.fullmatch(r"safetymonth \d+\.\d+\.\d+\S*\n", result.stdout)


@pytest.mark.parametrize("english, chinese", [
    ("the following arguments are required: --year, FILE", "缺少必需的参数:--year, FILE"),
    ("argument --year: expected one argument", "参数 --year:需要一个参数值"),
    ("argument --keep: invalid int value: 'x'", "参数 --keep:'x' 不是有效的整数"),
    ("argument -o: expected at least one argument", "参数 -o:至少需要一个参数值"),
    ("argument -o: not allowed with argument --list", "参数 -o:不能与参数 --list 同时使用"),
    ("one of the arguments -a -b is required", "以下参数必须给出一个:-a -b"),
    ("something argparse will say one day", "something argparse will say one day"),
])
def test_translation_of_argparse_messages(english, chinese):
    assert translate(english) == chinese


def test_help_is_laid_out_by_display_width():
    lines = wrap("导入各单位填好的 Excel 填报文件。每个文件逐行校验,“要么整份导入”,要么一行也不导入。", 20)
    assert all(display_width(line) <= 20 for line in lines), lines
    assert "Excel" in "".join(lines).replace(" ", "")  # an ASCII word is never split
    assert not any(line.endswith("“") for line in lines) and not any(line.startswith(("。", ",")) for line in lines)
    result = run("campaign", "--help", env={"COLUMNS": "60"})
    assert all(display_width(line) <= 60 for line in result.stdout.splitlines()), result.stdout
    helps = [line for line in result.stdout.splitlines() if line.startswith("  --")]
    columns = {display_width(line[:line.index(text)]) for line in helps
               for text in re.findall(r"\s{2,}(\S.*)$", line)}
    assert len(columns) == 1, result.stdout  # every option's help starts in the same column
