"""Untrusted files refused before parsing, with Chinese messages: encrypted, not a workbook (text, a Word file in
.docx, .doc or .odt form), a zip bomb, too many rows; .xls, .xlsb and .ods recognised by content and let
through; macros never run; outputs written atomically."""

import zipfile

import pytest

from safetymonth_desktop.base.errors import AppError
from safetymonth_desktop.exchange import xlsx_import, xlsx_limits, xlsx_safety
from tests.exchange.test_xlsx_import import write_book

OLE = xlsx_safety.OLE_SIGNATURE


@pytest.mark.parametrize("content, needle", [
    (OLE + b"\0" * 600 + "EncryptedPackage".encode("utf-16-le") + b"\0" * 600, "设置了打开密码"),
    (OLE + b"\0" * 2000, "不是 Excel 工作簿"),
    (b"name,value\n1,2\n", "不是 Excel 工作簿"),
    (b"", "空文件"),
    (b"PK\x03\x04broken", "已损坏"),
])
def test_bad_files_are_refused(campaign, tmp_path, content, needle):
    path = tmp_path / "x.xlsx"
    path.write_bytes(content)
    with pytest.raises(AppError, match=needle.replace(".", r"\.")):
        xlsx_safety.check_workbook(path)
    [result] = xlsx_import.import_files([path], 2021)
    assert result.status == xlsx_import.REFUSED and needle in result.message
    assert result.errors[0].file == "x.xlsx"


def test_a_word_file_renamed(tmp_path):
    path = tmp_path / "report.xlsx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", "<w:document/>")
    with pytest.raises(AppError, match="Word 文档"):
        xlsx_safety.check_workbook(path)


def _ole(names: list[str]) -> bytes:
    """A minimal OLE compound file: 512-byte sectors, the directory in sector 0 holding `names`."""
    header = bytearray(512)
    header[:8] = OLE
    header[30:32] = (9).to_bytes(2, "little")  # sector shift: 512 bytes
    header[48:52] = (0).to_bytes(4, "little")  # first directory sector
    directory = bytearray(512)
    for i, name in enumerate(["Root Entry", *names]):
        raw = name.encode("utf-16-le") + b"\0\0"
        directory[i * 128:i * 128 + len(raw)] = raw
        directory[i * 128 + 64:i * 128 + 66] = len(raw).to_bytes(2, "little")
    return bytes(header + directory)


@pytest.mark.parametrize("names, expected", [
    (["WordDocument", "1Table"], "而是Word 文档"),
    (["PowerPoint Document"], "而是PowerPoint 演示文稿"),
    (["Contents"], "不是 Excel 工作簿"),
])
def test_ole_files_that_are_not_workbooks(tmp_path, names, expected):
    path = tmp_path / "old.xls"
    path.write_bytes(_ole(names))
    with pytest.raises(AppError, match=expected):
        xlsx_safety.check_workbook(path)


def test_xls_xlsb_and_ods_are_recognised_by_content(tmp_path):
    xls = tmp_path / "renamed.xlsx"
    xls.write_bytes(_ole(["Workbook", "\x05SummaryInformation"]))
    assert xlsx_safety.check_workbook(xls).format == "xls"
    xlsb = tmp_path / "b.xlsb"
    with zipfile.ZipFile(xlsb, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/workbook.bin", b"\0" * 10)
    assert xlsx_safety.check_workbook(xlsb).format == "xlsb"
    ods = tmp_path / "c.ods"
    with zipfile.ZipFile(ods, "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        zf.writestr("content.xml", "<office:document-content/>")
    assert xlsx_safety.check_workbook(ods).format == "ods"
    odt = tmp_path / "d.ods"
    with zipfile.ZipFile(odt, "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        zf.writestr("content.xml", "<office:document-content/>")
    with pytest.raises(AppError, match="Word 文档"):
        xlsx_safety.check_workbook(odt)


def test_zip_bomb_is_refused(tmp_path):
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/workbook.xml", "<workbook/>")
        zf.writestr("xl/worksheets/sheet1.xml", b"\0" * (24 * 1024 * 1024))
    assert path.stat().st_size < 1024 * 1024
    with pytest.raises(AppError, match="压缩炸弹"):
        xlsx_safety.check_workbook(path)


def test_total_uncompressed_limit(tmp_path, monkeypatch):
    path = write_book(tmp_path / "ok.xlsx", {"培训": [["填报单位"]]})
    monkeypatch.setattr(xlsx_safety, "MAX_UNCOMPRESSED_BYTES", 100)
    with pytest.raises(AppError, match="解压后过大"):
        xlsx_safety.check_workbook(path)


def test_row_limit(campaign, tmp_path, monkeypatch):
    monkeypatch.setattr(xlsx_limits, "MAX_ROWS", 5)
    rows = [["填报单位", "培训类别", "参训人次"]] + [["城关街道", "以会代训", 1]] * 8
    path = write_book(tmp_path / "many.xlsx", {"培训": rows})
    [result] = xlsx_import.import_files([path], 2021)
    assert result.status == xlsx_import.REFUSED and "超出上限 5 行" in result.message


def test_xlsm_data_is_read_and_macros_ignored(campaign, tmp_path):
    from safetymonth_desktop.services import units

    units.create_unit("城关街道")
    path = write_book(tmp_path / "macro.xlsm", {"培训": [["填报单位", "培训类别", "参训人次"], ["城关街道", "以会代训", 3]]})
    with zipfile.ZipFile(path, "a") as zf:
        zf.writestr("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0 not really vba")
    [result] = xlsx_import.import_files([path], 2021)
    assert result.status == xlsx_import.IMPORTED
    assert any("宏不会运行" in w for w in result.warnings)


def test_write_atomically_keeps_the_old_file_on_failure(tmp_path):
    target = tmp_path / "out.xlsx"
    target.write_bytes(b"old")

    def broken(tmp):
        tmp.write_bytes(b"half")
        raise OSError(28, "No space left on device")

    with pytest.raises(AppError, match="原文件未被改动"):
        xlsx_safety.write_atomically(target, broken)
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.xlsx"]
    with pytest.raises(AppError, match="不存在"):
        xlsx_safety.write_atomically(tmp_path / "no" / "out.xlsx", broken)
