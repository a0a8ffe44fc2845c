"""The fonts a Word document declares: a theme and a font table naming only the fonts it uses, with the
fallbacks Word and WPS need on an office PC that lacks the official fonts.

Belongs here: what `scripts/build_template.py` does to a built document's theme (word/theme/theme1.xml),
font table (word/fontTable.xml) and font references (every w:rFonts explicit for ascii, hAnsi, eastAsia
and cs, no theme fonts). Styles and layout are `docx_layout`'s.

A stock Windows 10 has 宋体 (SimSun), 黑体 (SimHei), 仿宋 (FangSong), 楷体 (KaiTi), 微软雅黑 and Times New
Roman, but not the GB2312 fonts of GB/T 9704 or 方正小标宋简体. The font table gives each missing font an
`w:altName` Word and WPS use when it is not installed, with the PANOSE, charset and family of the face:
仿宋_GB2312 → 仿宋 and 楷体_GB2312 → 楷体 (the same designs, re-encoded for GBK), 方正小标宋简体 → 宋体 (the
only Song face every Windows has; 华文中宋 is closer but comes with Office, not with Windows).
"""

from __future__ import annotations

from lxml import etree

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
W = f"{{{W_NS}}}"
A = f"{{{A_NS}}}"

LATIN_FONT = "Times New Roman"
MINOR_EAST_ASIAN = "仿宋_GB2312"      # body text
MAJOR_EAST_ASIAN = "方正小标宋简体"    # title
HEADING_FONT = "黑体"                 # what a built-in style with a heading (major) theme font gets

# Fonts every Windows 10 has (no altName needed).
STOCK = {"宋体", "黑体", "仿宋", "楷体", "微软雅黑", "新宋体", "Times New Roman", "Arial", "Symbol", "Courier New",
         "Wingdings", "Calibri", "Cambria", "SimSun", "SimHei", "FangSong", "KaiTi"}
# name → (altName, PANOSE-1, charset, family, pitch)
FONTS = {
    "仿宋_GB2312": ("仿宋", "02010609030101010101", "86", "modern", "fixed"),
    "楷体_GB2312": ("楷体", "02010609030101010101", "86", "modern", "fixed"),
    "方正小标宋简体": ("宋体", "02000000000000000000", "86", "auto", "variable"),
    "仿宋": ("FangSong", "02010609060101010101", "86", "modern", "fixed"),
    "楷体": ("KaiTi", "02010609060101010101", "86", "modern", "fixed"),
    "黑体": ("SimHei", "02010609060101010101", "86", "modern", "fixed"),
    "宋体": ("SimSun", "02010600030101010101", "86", "auto", "variable"),
    "Times New Roman": (None, "02020603050405020304", "00", "roman", "variable"),
    "Symbol": (None, "05050102010706020507", "02", "roman", "variable"),
    "Courier New": (None, "02070309020205020404", "00", "modern", "fixed"),
}
# Fonts of python-docx's built-in styles replaced by what every PC has.
REPLACE = {"Courier": "Courier New"}

THEME_TYPE = "application/vnd.openxmlformats-officedocument.theme+xml"
FONT_TABLE_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml"
FONT_ATTRS = ("ascii", "hAnsi", "eastAsia", "cs")
THEME_ATTRS = ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme")


def _root(part):
    element = getattr(part, "_element", None)
    return element if element is not None else etree.fromstring(part.blob)


def _store(part, root) -> None:
    if getattr(part, "_element", None) is None:
        part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _carries_runs(part) -> bool:
    name = str(part.partname)
    return name.startswith("/word/") and name.count("/") == 2 and name.endswith(".xml") and not any(
        key in name for key in ("fontTable", "settings", "webSettings", "theme"))


def _explicit(fonts, numbering: bool) -> None:
    """Every script named, no theme reference (bullets in numbering keep their symbol font for ASCII only)."""
    themed = " ".join(fonts.get(W + a, "") for a in THEME_ATTRS)
    for attr in THEME_ATTRS:
        fonts.attrib.pop(W + attr, None)
    fallback = HEADING_FONT if "major" in themed else MINOR_EAST_ASIAN
    for attr in FONT_ATTRS:
        value = fonts.get(W + attr)
        if value in REPLACE:
            fonts.set(W + attr, REPLACE[value])
        elif value is None and not numbering:
            fonts.set(W + attr, fonts.get(W + "ascii") if attr == "hAnsi" and fonts.get(W + "ascii") else fallback)


def _used(root) -> set[str]:
    return {f.get(W + a) for f in root.iter(W + "rFonts") for a in FONT_ATTRS if f.get(W + a)}


def _theme(root) -> None:
    """Major and minor fonts: Times New Roman with the title's and the body's Chinese font; no other scripts."""
    for tag, east_asian in (("majorFont", MAJOR_EAST_ASIAN), ("minorFont", MINOR_EAST_ASIAN)):
        for group in root.iter(A + tag):
            for child in list(group):
                if child.tag == A + "latin":
                    child.set("typeface", LATIN_FONT)
                    for attr in ("panose", "pitchFamily", "charset"):
                        child.attrib.pop(attr, None)
                elif child.tag == A + "ea":
                    child.set("typeface", east_asian)
                elif child.tag == A + "cs":
                    child.set("typeface", "")
                elif child.tag == A + "font":
                    group.remove(child)
            hans = etree.SubElement(group, A + "font")
            hans.set("script", "Hans")
            hans.set("typeface", east_asian)


def _font_entry(name: str):
    font = etree.Element(W + "font", nsmap={"w": W_NS})
    font.set(W + "name", name)
    alt, panose, charset, family, pitch = FONTS.get(name, (None, None, "86", "auto", "variable"))
    if name not in STOCK and alt is None:
        alt = "宋体"  # an unknown Chinese font: the Song face every PC has
    if alt and name not in STOCK:
        etree.SubElement(font, W + "altName").set(W + "val", alt)
    if panose:
        etree.SubElement(font, W + "panose1").set(W + "val", panose)
    etree.SubElement(font, W + "charset").set(W + "val", charset)
    etree.SubElement(font, W + "family").set(W + "val", family)
    etree.SubElement(font, W + "pitch").set(W + "val", pitch)
    return font


def font_table(names) -> bytes:
    root = etree.Element(W + "fonts", nsmap={"w": W_NS})
    for name in sorted(names, key=lambda n: (n.isascii(), n)):
        root.append(_font_entry(name))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def apply(document) -> set[str]:
    """Make `document`'s fonts explicit, its theme name the document's fonts, and its font table list exactly
    the fonts used (with fallbacks). Returns the fonts listed."""
    package = document.part.package
    used = {LATIN_FONT, MINOR_EAST_ASIAN, MAJOR_EAST_ASIAN}  # the theme's
    table = None
    for part in package.iter_parts():
        if part.content_type == THEME_TYPE:
            root = _root(part)
            _theme(root)
            _store(part, root)
        elif part.content_type == FONT_TABLE_TYPE:
            table = part
        elif _carries_runs(part) and part.content_type.endswith("+xml"):
            root = _root(part)
            numbering = "numbering" in str(part.partname)
            for fonts in root.iter(W + "rFonts"):
                _explicit(fonts, numbering)
            used |= _used(root)
            _store(part, root)
    if table is not None:
        table._blob = font_table(used)
    return used
