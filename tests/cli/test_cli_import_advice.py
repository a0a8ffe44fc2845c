"""Each refused file's message ends with the advice that fits it: "correct the positions listed above" only
where positions were listed; a file that is missing, has no data rows or needs --replace says what to do
about that instead."""

import re

from tests.cli.test_cli import run
from tests.exchange.test_xlsx_import import write_book

TRAINING = ["填报单位", "培训类别", "参训人次"]
POSITIONS_ADVICE = "请按上面列出的位置改正后重新导入"


def blocks(stderr: str) -> dict[str, list[str]]:
    """stderr split into each refused file's lines: {file name: [its message, indented lines …]}."""
    out, current = {}, None
    for line in stderr.splitlines():
        match = re.match(r"未导入 (\S+?):", line)
        if match:
            current = out.setdefault(match.group(1), [line])
        elif line.startswith("  ") and current is not None:
            current.append(line)
        else:
            current = None
    return out


def test_every_refusal_ends_with_its_own_advice(tmp_path):
    db = tmp_path / "x.sqlite"
    assert run("--db", db, "campaign", "--year", 2021).returncode == 0
    first = write_book(tmp_path / "城关.xlsx", {"培训": [TRAINING, ["城关街道", "以会代训", 10]]})
    assert run("--db", db, "import", "--year", 2021, "--create-units", first).returncode == 0
    changed = write_book(tmp_path / "城关-改.xlsx", {"培训": [TRAINING, ["城关街道", "以会代训", 12]]})
    bad = write_book(tmp_path / "东湖.xlsx", {"培训": [TRAINING, ["城关街道", "以会代训", "很多"]]})
    empty = write_book(tmp_path / "空表.xlsx", {"培训": [TRAINING]})
    not_excel = tmp_path / "说明.xlsx"
    not_excel.write_text("这不是 Excel 文件", encoding="utf-8")
    missing = tmp_path / "没有这个文件.xlsx"

    result = run("--db", db, "import", "--year", 2021, changed, bad, empty, not_excel, missing)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    found = blocks(result.stderr)
    by_name = {name.rsplit("/", 1)[-1]: lines for name, lines in found.items()}
    assert set(by_name) == {"城关-改.xlsx", "东湖.xlsx", "空表.xlsx", "说明.xlsx", missing.name}, result.stderr

    # positions were listed: the advice to correct them, last
    assert "第2行" in "\n".join(by_name["东湖.xlsx"]) and POSITIONS_ADVICE in by_name["东湖.xlsx"][-1]
    # no positions anywhere else, so never that advice; each ends with what to do (“请……”)
    for name in ("城关-改.xlsx", "空表.xlsx", "说明.xlsx", missing.name):
        text = "\n".join(by_name[name])
        assert POSITIONS_ADVICE not in text, text
        assert "请" in by_name[name][-1], text
    assert "--replace" in "\n".join(by_name["城关-改.xlsx"])
    assert "第2行起填写数据" in by_name["空表.xlsx"][-1]
    assert "不存在" in "\n".join(by_name[missing.name])
    # the summary counts the refusals and gives no advice of its own
    summary = result.stderr.strip().splitlines()[-1]
    assert summary == "错误:5 个文件未导入(未导入的文件没有写入任何数据)。"


def test_a_file_without_any_sheet_to_import_names_the_problem(tmp_path):
    db = tmp_path / "x.sqlite"
    assert run("--db", db, "campaign", "--year", 2021).returncode == 0
    other = write_book(tmp_path / "别的表.xlsx", {"Sheet1": [["甲", "乙"], [1, 2]]})
    result = run("--db", db, "import", "--year", 2021, other)
    assert result.returncode == 1
    text = "\n".join(blocks(result.stderr)["别的表.xlsx"])
    assert "没有可导入的工作表" in text and POSITIONS_ADVICE not in text, result.stderr
    assert blocks(result.stderr)["别的表.xlsx"][-1].strip() == "请按上面的说明改正后重新导入。"
