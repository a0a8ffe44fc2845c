"""What a unit does to the file: a stamped, filled template saved again by LibreOffice Calc as .xls (and back to
.xlsx) or as .ods still carries its year, region and unit, and imports; another year's template is still refused
after the same conversions. Needs soffice (libreoffice-calc-nogui, installed by .ci/run)."""

import datetime as dt
import shutil
import subprocess

import pytest

from safetymonth_desktop.db import models as m
from safetymonth_desktop.exchange import sheet_reading, stamp as stamps, xlsx_import, xlsx_template
from safetymonth_desktop.services import campaigns, units
from tests.exchange.test_stamp import fill
from tests.exchange.test_xlsx_import import counts

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice Calc (soffice) not installed")]


def convert(source, fmt: str, outdir, profile):
    """`soffice --convert-to fmt`, as a unit's "save as" in Calc; returns the new file."""
    outdir.mkdir(exist_ok=True)
    subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", fmt,
                    "--outdir", str(outdir), str(source)], check=True, capture_output=True, timeout=240)
    out = outdir / f"{source.stem}.{fmt}"
    assert out.exists(), f"LibreOffice wrote no {out.name}"
    return out


@pytest.fixture
def filled(campaign, tmp_path):
    units.create_unit("城关街道", kind="街道/乡镇")
    units.create_unit("东湖街道", kind="街道/乡镇")
    path = xlsx_template.write_template(campaign, tmp_path / "城关街道.xlsx", unit_name="城关街道")
    fill(path, [{"培训类别": "以会代训", "参训人次": 30, "开始日期": dt.date(2021, 6, 10)},
                {"培训类别": "特种作业人员培训", "参训人次": "1,200余", "开始日期": "2021年6月12日"}])
    fill(path, [{"被查单位": "某厂", "行业领域": "燃气", "发现日期": dt.date(2021, 6, 3), "隐患描述": "阀门锈蚀"}],
         sheet="隐患台账")
    return path


@pytest.mark.parametrize("route", [("xls", "xlsx"), ("ods",), ("xls",), ("ods", "xlsx")])
def test_a_converted_template_keeps_its_stamp_and_imports(filled, tmp_path, route):
    profile = tmp_path / "lo-profile"
    path = filled
    for step, fmt in enumerate(route):
        path = convert(path, fmt, tmp_path / f"step{step}-{fmt}", profile)
    stamp = stamps.read_stamp(sheet_reading.open_book(path), path)
    assert (stamp.year, stamp.region, stamp.unit, stamp.source) == (2021, "测试区", "城关街道", "cells")
    if path.suffix != ".xls":  # the second copy, the custom properties, comes through as well (read from zips)
        values = stamps._from_properties(path)
        assert (values["year"], values["region"], values["unit"]) == ("2021", "测试区", "城关街道")
    [result] = xlsx_import.import_files([path], 2021)
    assert result.status == xlsx_import.IMPORTED, [str(e) for e in result.errors]
    assert result.counts == {"培训": 2, "隐患台账": 1} and result.notes == []
    assert sorted(t.participants for t in m.Training.select()) == [30, 1200]
    assert m.ImportBatch.get().unit.name == "城关街道"


def test_another_years_template_is_still_refused_after_conversion(filled, campaign, tmp_path):
    campaigns.save(2024, region="测试区")
    later = xlsx_template.write_template(campaigns.get(2024), tmp_path / "去年的模板.xlsx", unit_name="城关街道")
    fill(later, [{"培训类别": "以会代训", "参训人次": 30}])
    profile = tmp_path / "lo-profile"
    before = counts()
    for route in (("ods",), ("xls", "xlsx")):
        path = later
        for step, fmt in enumerate(route):
            path = convert(path, fmt, tmp_path / f"{'-'.join(route)}{step}", profile)
        [result] = xlsx_import.import_files([path], 2021)
        assert result.status == xlsx_import.REFUSED, route
        assert "该文件是 2024 年度(测试区)的填报模板,当前导入的是 2021 年度(测试区)" in result.message
    assert counts() == before
