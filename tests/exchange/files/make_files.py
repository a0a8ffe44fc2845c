"""Build the small workbooks that tests/exchange/test_formats.py imports as .xls and .ods, without LibreOffice at test
time. Each is made here with openpyxl as .xlsx, then converted by LibreOffice Calc (which writes .xls and .ods the way
Excel/WPS users' files come). Run from the checkout after changing them (needs soffice):

    python tests/exchange/files/make_files.py
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[2]))

HAND_MADE = "手工表格"  # unstamped: a title above the table, the unit and the industry merged over their rows
STAMPED_2024 = "2024年模板"  # stamped for 2024 / 测试区 / 城关街道, with one filled row


def hand_made(path: Path) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "培训"
    ws["A1"] = "城关街道安全生产月培训情况统计表"
    ws.merge_cells("A1:E1")
    ws["A2"] = "填报日期:2021年6月30日"
    ws.append(["填报单位", "培训类别", "培训名称", "期(场)数", "参训人次"])
    ws.append(["城关街道", "以会代训", "安全例会", 1, 30])
    ws.append([None, "特种作业人员培训", "电工复训", 2, 45])
    ws.append([None, "公开课/讲座", "消防讲座", 1, 120])
    ws.merge_cells("A4:A6")
    ws.append(["东湖街道", "以会代训", "部署会", 1, 25])
    hz = wb.create_sheet("隐患台账")
    hz["A1"] = "隐患排查整改台账"
    hz.merge_cells("A1:F1")
    hz.append(["填报单位", "被查单位", "行业领域", "发现日期", "隐患描述", "状态"])
    rows = [("某燃气站", "燃气", dt.date(2021, 6, 3), "阀门锈蚀"), ("某饭店", None, dt.date(2021, 6, 4), "软管老化"),
            ("某小区", None, dt.date(2021, 6, 5), "管道占压"), ("某工地", "建筑施工", dt.date(2021, 6, 6), "临边无防护")]
    for i, (target, industry, found, what) in enumerate(rows):
        hz.append(["城关街道" if i == 0 else None, target, industry, found, what, "整改中"])
        hz.cell(row=3 + i, column=4).number_format = "yyyy-mm-dd"
    hz.merge_cells("A3:A6")
    hz.merge_cells("C3:C5")
    wb.save(path)
    return path


def stamped_2024(path: Path) -> Path:
    from openpyxl import Workbook

    from safetymonth_desktop.exchange import stamp as stamps

    wb = Workbook()
    ws = wb.active
    ws.title = "培训"
    ws.append(["填报单位", "培训类别", "参训人次", "开始日期"])
    ws.append(["城关街道", "以会代训", 30, dt.date(2024, 6, 5)])
    lists = wb.create_sheet("选项")
    lists.sheet_state = "hidden"
    lists["A1"] = "单位"
    lists["A2"] = "城关街道"
    stamp = stamps.Stamp(year=2024, region="测试区", unit="城关街道", issued_at="2024-05-20T09:00:00",
                         token="0123456789abcdef0123456789abcdef")
    stamps.write_stamp(wb, lists, stamp, column=3)
    lists.protection.sheet = True
    wb.save(path)
    return path


def convert(source: Path, fmt: str, outdir: Path) -> Path:
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", fmt,
                        "--outdir", str(outdir), str(source)], check=True, capture_output=True, timeout=180)
    return outdir / f"{source.stem}.{fmt}"


def main() -> None:
    if shutil.which("soffice") is None:
        sys.exit("soffice (LibreOffice Calc) is needed")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        for stem, make in ((HAND_MADE, hand_made), (STAMPED_2024, stamped_2024)):
            source = make(tmp / f"{stem}.xlsx")
            for fmt in ("xls", "ods"):
                shutil.copyfile(convert(source, fmt, tmp), HERE / f"{stem}.{fmt}")
                print("wrote", HERE / f"{stem}.{fmt}")


if __name__ == "__main__":
    main()
