"""A clerk's Word template is looked at before python-docx or docxtpl opens it: zip bombs, too many parts,
oversized or tag-stuffed document.xml, renamed .doc/.xlsx files and encrypted files are refused in Chinese
without starting the render worker, and the report target keeps its previous content."""

import resource
import zipfile

import pytest
from docx import Document

from safetymonth_desktop.base.errors import AppError
from safetymonth_desktop.exchange import docx_safety, word_report

OLE = docx_safety.OLE_SIGNATURE


def docx_with_body(path, body_xml: str, *, extra: dict | None = None, compression=zipfile.ZIP_DEFLATED):
    """A real .docx (made by python-docx) whose body is replaced by `body_xml`; `extra`: more zip entries."""
    base = path.with_name(path.stem + "-base.docx")
    Document().save(str(base))
    with zipfile.ZipFile(base) as zin, zipfile.ZipFile(path, "w", compression) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "word/document.xml":
                text = data.decode("utf-8")
                start = text.index("<w:body>") + len("<w:body>")
                data = (text[:start] + body_xml + text[text.index("<w:sectPr"):]).encode("utf-8")
            zout.writestr(item.filename, data)
        for name, data in (extra or {}).items():
            zout.writestr(name, data)
    base.unlink()
    return path


def para(text: str) -> str:
    return f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>"


def test_the_builtin_template_passes():
    assert docx_safety.check_docx(word_report.default_template()) == word_report.default_template()


def test_a_50_mb_document_xml_in_a_small_file_is_refused_at_once(demo, tmp_path):
    bomb = docx_with_body(tmp_path / "bomb.docx", para("x" * 100) * (50 * 1024 * 1024 // 130))
    assert bomb.stat().st_size < 1024 * 1024
    target = tmp_path / "总结.docx"
    target.write_bytes(b"previous report")
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with pytest.raises(AppError, match="压缩炸弹") as err:
        word_report.write_report(demo, target, template=bomb)
    assert "bomb.docx" in str(err.value) and "word/document.xml" in str(err.value)
    assert target.read_bytes() == b"previous report"
    assert (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) < 100 * 1024  # KB: nothing was unpacked


def test_an_oversized_body_that_compresses_normally_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(docx_safety, "MAX_RENDERED_PART_BYTES", 20_000)
    path = docx_with_body(tmp_path / "long.docx", "".join(para(f"第{i}段正文内容") for i in range(1000)))
    with pytest.raises(AppError, match=r"正文、页眉页脚部件 word/document\.xml 过大"):
        docx_safety.check_docx(path)


def test_too_many_tags_are_refused(tmp_path):
    path = docx_with_body(tmp_path / "tags.docx", "".join(para(f"{{{{ region }}}}第{i}段") for i in range(6000)))
    with pytest.raises(AppError, match=r"标记.*过多.*约 6,000 个.*上限 5,000 个"):
        docx_safety.check_docx(path)
    ok = docx_with_body(tmp_path / "ok.docx", "".join(para(f"{{{{ region }}}}第{i}段") for i in range(400)))
    assert docx_safety.check_docx(ok) == ok


def test_too_many_parts_are_refused(tmp_path):
    path = docx_with_body(tmp_path / "parts.docx", para("x"),
                          extra={f"extra/part{i}.xml": "<a/>" for i in range(docx_safety.MAX_ZIP_ENTRIES)})
    with pytest.raises(AppError, match="部件.*超出上限"):
        docx_safety.check_docx(path)


def test_total_size_and_file_size_limits(tmp_path, monkeypatch):
    path = docx_with_body(tmp_path / "t.docx", para("x"))
    monkeypatch.setattr(docx_safety, "MAX_UNCOMPRESSED_BYTES", 1000)
    with pytest.raises(AppError, match="解压后过大"):
        docx_safety.check_docx(path)
    monkeypatch.setattr(docx_safety, "MAX_FILE_BYTES", 1000)
    with pytest.raises(AppError, match="过大.*上限"):
        docx_safety.check_docx(path)


def test_an_oversized_styles_part_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(docx_safety, "MAX_OTHER_XML_BYTES", 500_000)
    glossary = "<a>" + "b" * 600_000 + "</a>"
    path = docx_with_body(tmp_path / "styles.docx", para("x"), extra={"word/glossary.xml": glossary})
    with pytest.raises(AppError, match=r"的部件 word/glossary\.xml 过大"):
        docx_safety.check_docx(path)


@pytest.mark.parametrize("content, needle", [
    (OLE + b"\0" * 600 + "EncryptedPackage".encode("utf-16-le") + b"\0" * 600, "设置了打开密码"),
    (OLE + b"\0" * 2000, "Word 97-2003"),
    (b"{\\rtf1 not a docx}", "不是 Word 文档"),
    (b"", "空文件"),
    (b"PK\x03\x04broken", "已损坏"),
])
def test_files_that_are_not_docx(demo, tmp_path, content, needle):
    path = tmp_path / "模板.docx"
    path.write_bytes(content)
    with pytest.raises(AppError, match=needle):
        word_report.write_report(demo, tmp_path / "out.docx", template=path)
    assert not (tmp_path / "out.docx").exists()


def test_an_excel_file_renamed_and_a_folder(tmp_path):
    path = tmp_path / "表.docx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/workbook.xml", "<workbook/>")
    with pytest.raises(AppError, match="不是 Word 文档.*而是Excel 工作簿"):
        docx_safety.check_docx(path)
    with pytest.raises(AppError, match="是一个文件夹"):
        docx_safety.check_docx(tmp_path)


def test_duplicate_part_names_are_refused(tmp_path):
    path = docx_with_body(tmp_path / "dup.docx", para("x"))
    with zipfile.ZipFile(path, "a") as zf, pytest.warns(UserWarning, match="Duplicate name"):
        zf.writestr("word/document.xml", "<w:document/>")
    with pytest.raises(AppError, match="重名的部件"):
        docx_safety.check_docx(path)


def test_the_parts_docxtpl_renders_are_found_through_the_relationships(tmp_path, monkeypatch):
    """A main document under another name (with a small decoy word/document.xml) and a header are held to
    the limits of rendered parts, whatever they are called."""
    monkeypatch.setattr(docx_safety, "MAX_RENDERED_PART_BYTES", 50_000)
    base = tmp_path / "base.docx"
    doc = Document()
    doc.add_paragraph("{{ region }}")
    doc.sections[0].header.paragraphs[0].text = "{{ year }}"
    doc.save(str(base))
    with zipfile.ZipFile(base) as zf:
        header = next(n for n in zf.namelist() if n.startswith("word/header"))
        assert docx_safety._rendered_parts(zf, set(zf.namelist())) == {"word/document.xml", header, "docProps/core.xml"}

    moved = tmp_path / "moved.docx"
    with zipfile.ZipFile(base) as zin, zipfile.ZipFile(moved, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "_rels/.rels":
                data = data.replace(b'Target="word/document.xml"', b'Target="/word/main.xml"')
            elif item.filename == "word/_rels/document.xml.rels":
                zout.writestr("word/_rels/main.xml.rels", data)
            elif item.filename == "word/document.xml":
                body = "".join(para(f"{{{{ region }}}}第{i}段") for i in range(1500)).encode("utf-8")
                zout.writestr("word/main.xml", data.replace(b"</w:body>", body + b"</w:body>"))  # about 60 KB
                data = b"<w:document/>"
            zout.writestr(item.filename, data)
    with zipfile.ZipFile(moved) as zf:
        assert "word/main.xml" in docx_safety._rendered_parts(zf, set(zf.namelist()))
    with pytest.raises(AppError, match=r"正文、页眉页脚部件 word/main\.xml 过大"):
        docx_safety.check_docx(moved)
