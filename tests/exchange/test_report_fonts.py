"""Fonts of a generated summary (issue 14 item 9): the theme and the font table name only the fonts the
document uses — no Calibri/Cambria/ＭＳ — every run's fonts are explicit (no theme fonts), and each font a stock
Windows 10 lacks has a fallback (w:altName) in the font table."""

import re
import zipfile

import pytest

from safetymonth_desktop.exchange import docx_fonts, word_report

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
STOCK_WINDOWS_10 = {"宋体", "黑体", "仿宋", "楷体", "微软雅黑", "Times New Roman", "Symbol", "Courier New"}
FALLBACKS = {"仿宋_GB2312": "仿宋", "楷体_GB2312": "楷体", "方正小标宋简体": "宋体"}


@pytest.fixture
def parts(demo, today, tmp_path):
    target = word_report.write_report(demo, tmp_path / "总结.docx", today=today)
    with zipfile.ZipFile(target) as z:
        return {name: z.read(name).decode("utf-8") for name in z.namelist() if name.endswith(".xml")}


def test_no_generic_theme_fonts_left(parts):
    for name in ("word/theme/theme1.xml", "word/fontTable.xml", "word/styles.xml", "word/document.xml"):
        for generic in ("Calibri", "Cambria", "ＭＳ", "맑은", "新細明體", "Arial"):
            assert generic not in parts[name], (name, generic)
    theme = parts["word/theme/theme1.xml"]
    assert re.search(r'<a:majorFont>\s*<a:latin typeface="Times New Roman"/>\s*<a:ea typeface="方正小标宋简体"/>', theme)
    assert re.search(r'<a:minorFont>\s*<a:latin typeface="Times New Roman"/>\s*<a:ea typeface="仿宋_GB2312"/>', theme)


def test_every_run_names_its_fonts(parts):
    for name, xml in parts.items():
        if not re.fullmatch(r"word/(styles|stylesWithEffects|document|header\d*|footer\d*)\.xml", name):
            continue
        assert "Theme=" not in xml and "cstheme" not in xml, name
        for fonts in re.findall(r"<w:rFonts[^>]*>", xml):
            for attr in ("ascii", "hAnsi", "eastAsia"):
                assert f"w:{attr}=" in fonts, (name, fonts)


def test_font_table_lists_exactly_the_fonts_used_with_fallbacks(parts):
    from lxml import etree

    used = set()
    for name, xml in parts.items():
        if re.fullmatch(r"word/(styles|stylesWithEffects|document|header\d*|footer\d*|numbering)\.xml", name):
            for fonts in re.findall(r"<w:rFonts[^>]*>", xml):
                used |= set(re.findall(r'w:(?:ascii|hAnsi|eastAsia|cs)="([^"]+)"', fonts))
    theme = parts["word/theme/theme1.xml"]
    used |= set(re.findall(r'<a:(?:latin|ea) typeface="([^"]+)"', theme))
    table = etree.fromstring(parts["word/fontTable.xml"].encode())
    listed = {f.get(W + "name"): f for f in table.iter(W + "font")}
    assert set(listed) == used
    assert {"仿宋_GB2312", "楷体_GB2312", "方正小标宋简体", "黑体", "宋体"} <= used
    for name, font in listed.items():
        alt = font.find(W + "altName")
        if name not in STOCK_WINDOWS_10:
            assert alt is not None, name
            assert alt.get(W + "val") in STOCK_WINDOWS_10, (name, alt.get(W + "val"))
        assert font.find(W + "charset") is not None and font.find(W + "family") is not None
        assert font.find(W + "panose1") is not None
    for name, alt in FALLBACKS.items():
        assert listed[name].find(W + "altName").get(W + "val") == alt
        assert listed[name].find(W + "charset").get(W + "val") == "86"


def test_fallback_table_is_the_one_documented():
    for name, alt in FALLBACKS.items():
        assert docx_fonts.FONTS[name][0] == alt
