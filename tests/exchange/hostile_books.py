"""Workbooks built part by part with zipfile, so a test can declare what no honest writer would: a sharedStrings
part claiming 4 000 000 000 strings, a `<dimension>` far beyond the cells, one cell at XFD1048576, rows
repeated a million times in an .ods. The parts are the minimum calamine and openpyxl accept.

    book(path, {"培训": sheet([row(1, [...]), ...])}, shared=["填报单位", ...])
"""

from __future__ import annotations

import zipfile
from xml.sax.saxutils import escape

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"


def column_letters(number: int) -> str:
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def ref(row: int, col: int) -> str:
    return f"{column_letters(col)}{row}"


def cell(row: int, col: int, value=None, *, formula: str | None = None, shared_index: int | None = None,
         ref_text: str | None = None) -> str:
    """One `<c>`: a number, an inline string, a shared-string index, or a formula (cached value only if given)."""
    where = ref_text if ref_text is not None else ref(row, col)
    inner = f"<f>{escape(formula)}</f>" if formula is not None else ""
    if shared_index is not None:
        return f'<c r="{where}" t="s">{inner}<v>{shared_index}</v></c>'
    if isinstance(value, str):
        if formula is not None:
            return f'<c r="{where}" t="str">{inner}<v>{escape(value)}</v></c>'
        return f'<c r="{where}" t="inlineStr"><is><t>{escape(value)}</t></is></c>'
    if value is None:
        return f'<c r="{where}">{inner}</c>'
    return f'<c r="{where}">{inner}<v>{value}</v></c>'


def row(number: int, values, *, start_col: int = 1) -> str:
    """A `<row>` of plain values (None = no cell)."""
    cells = "".join(cell(number, start_col + i, v) for i, v in enumerate(values) if v is not None)
    return f'<row r="{number}">{cells}</row>'


def sheet(rows_xml, *, dimension: str | None = None) -> str:
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    body = "".join(rows_xml)
    return f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{NS}" xmlns:r="{REL_NS}">' \
           f"{dim}<sheetData>{body}</sheetData></worksheet>"


def table(rows: list[list], *, dimension: str | None = None) -> str:
    """A sheet from a list of rows (row 1 = headers), values as inline strings and numbers."""
    return sheet([row(i, values) for i, values in enumerate(rows, start=1)], dimension=dimension)


def shared_strings(strings, *, count=None, unique=None) -> str:
    attrs = ""
    if count is not None:
        attrs += f' count="{count}"'
    if unique is not None:
        attrs += f' uniqueCount="{unique}"'
    items = "".join(f"<si><t>{escape(s)}</t></si>" for s in strings)
    return f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="{NS}"{attrs}>{items}</sst>'


def book(path, sheets: dict, *, shared: str | None = None, states: dict | None = None,
         compression=zipfile.ZIP_DEFLATED):
    """Write an .xlsx with one worksheet part per entry of `sheets` (name → worksheet XML), an optional
    sharedStrings part (XML text) and sheet states (name → "hidden" / "veryHidden")."""
    return write(path, parts(sheets, shared=shared, states=states), compression=compression)


def parts(sheets: dict, *, shared: str | None = None, states: dict | None = None) -> dict:
    """The zip members of such a workbook: member name → text."""
    states = states or {}
    names = list(sheets)
    overrides = "".join(f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/'
                        f'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
                        for i in range(1, len(names) + 1))
    if shared is not None:
        overrides += ('<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                      'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>')
    content_types = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' + overrides + "</Types>")
    root_rels = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="{PKG_REL}">'
                 '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                 'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
    sheet_entries = "".join(
        f'<sheet name="{escape(n)}" sheetId="{i}" r:id="rId{i}"'
        + (f' state="{states[n]}"' if n in states else "") + "/>"
        for i, n in enumerate(names, start=1))
    workbook = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="{NS}" '
                f'xmlns:r="{REL_NS}"><sheets>{sheet_entries}</sheets></workbook>')
    rels = "".join(f'<Relationship Id="rId{i}" Type="{REL_NS}/worksheet" Target="worksheets/sheet{i}.xml"/>'
                   for i in range(1, len(names) + 1))
    if shared is not None:
        rels += f'<Relationship Id="rId{len(names) + 1}" Type="{REL_NS}/sharedStrings" Target="sharedStrings.xml"/>'
    workbook_rels = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="{PKG_REL}">' \
                    f"{rels}</Relationships>"
    out = {"[Content_Types].xml": content_types, "_rels/.rels": root_rels, "xl/workbook.xml": workbook,
           "xl/_rels/workbook.xml.rels": workbook_rels}
    for i, n in enumerate(names, start=1):
        part = sheets[n]
        out[f"xl/worksheets/sheet{i}.xml"] = part if isinstance(part, (bytes, str)) else "".join(part)
    if shared is not None:
        out["xl/sharedStrings.xml"] = shared
    return out


def write(path, members: dict, *, compression=zipfile.ZIP_DEFLATED):
    """A zip of `members` (name → text or bytes), in their order."""
    with zipfile.ZipFile(path, "w", compression=compression) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


TRAINING = [["填报单位", "培训类别", "参训人次"], ["城关街道", "以会代训", 3]]


def valid(path, **kwargs):
    """A small valid exchange workbook (one 培训 sheet with one row)."""
    return book(path, {"培训": table(TRAINING)}, **kwargs)


# ---- OpenDocument spreadsheets


def ods(path, content_body: str, *, hidden_style: str | None = None):
    """An .ods whose content.xml body (inside <office:spreadsheet>) is given as XML text; `hidden_style` names
    an automatic table style that hides the tables using it (table:style-name)."""
    styles = ""
    if hidden_style:
        styles = (f'<office:automatic-styles><style:style style:name="{hidden_style}" style:family="table">'
                  '<style:table-properties table:display="false"/></style:style></office:automatic-styles>')
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        f"{styles}<office:body><office:spreadsheet>{content_body}</office:spreadsheet></office:body>"
        "</office:document-content>")
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/'
        'vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>")
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        zf.writestr("META-INF/manifest.xml", manifest, compress_type=zipfile.ZIP_DEFLATED)
        zf.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
    return path


def ods_cell(value) -> str:
    if value is None:
        return "<table:table-cell/>"
    if isinstance(value, (int, float)):
        return (f'<table:table-cell office:value-type="float" office:value="{value}"><text:p>{value}</text:p>'
                "</table:table-cell>")
    return f'<table:table-cell office:value-type="string"><text:p>{escape(value)}</text:p></table:table-cell>'


def ods_table(name: str, rows: list[list], *, extra: str = "") -> str:
    body = "".join("<table:table-row>" + "".join(ods_cell(v) for v in r) + "</table:table-row>" for r in rows)
    return f'<table:table table:name="{escape(name)}">{body}{extra}</table:table>'
