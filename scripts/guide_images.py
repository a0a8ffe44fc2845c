"""Regenerate the user guide's screenshots (docs/images/) from the real application and its outputs.

    python scripts/guide_images.py [OUTDIR]        # default docs/images

GUI images come from scripts/screenshots.py (offscreen, demo data for two years); the report's first page
and the template's 培训 sheet are rendered through LibreOffice (soffice + pdftoppm must be installed, with
the Calc component for the workbook). A CJK font such as fonts-wqy-microhei is needed, or Chinese shows
as boxes. See docs/images/README.md for what each image must show.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# screenshots.py file name (without its number) → the guide's image name
GUI_IMAGES = {"概览": "main-window.png", "概览-全页": "overview.png", "概览-新年度": "first-day.png",
              "new-year": "new-year.png", "import-preview": "import.png", "backups": "backup.png",
              "报送进度": "progress.png"}


def cli(db: Path, *args) -> None:
    subprocess.run([sys.executable, "-m", "safetymonth_desktop", "--db", str(db), *map(str, args)], check=True,
                   cwd=ROOT, stdout=subprocess.DEVNULL)


def first_page_png(document: Path, target: Path, work: Path, *, resolution: int = 80, crop: tuple = ()) -> None:
    """Render the first page of a .docx/.xlsx through LibreOffice to `target`; `crop` = (x, y, w, h) in pixels
    at `resolution` dpi."""
    profile = work / "lo-profile"
    subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(work), str(document)], check=True, capture_output=True)
    pdf = work / (document.stem + ".pdf")
    region = []
    if crop:
        region = ["-x", str(crop[0]), "-y", str(crop[1]), "-W", str(crop[2]), "-H", str(crop[3])]
    subprocess.run(["pdftoppm", "-png", "-r", str(resolution), "-f", "1", "-l", "1", *region, "-singlefile",
                    str(pdf), str(target.with_suffix(""))], check=True)


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    out = Path(argv[0]) if argv else ROOT / "docs" / "images"
    out.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="guide-images-"))
    shots = work / "shots"
    subprocess.run([sys.executable, str(ROOT / "scripts" / "screenshots.py"), str(shots)], check=True,
                   stdout=subprocess.DEVNULL)
    for png in shots.glob("*.png"):
        name = png.stem.split("-", 1)[1]
        if name in GUI_IMAGES:
            shutil.copy(png, out / GUI_IMAGES[name])
    db = work / "demo.sqlite"
    cli(db, "demo", "--year", 2020)
    cli(db, "demo", "--year", 2021)
    cli(db, "report", "--year", 2021, "-o", work / "总结.docx")
    first_page_png(work / "总结.docx", out / "report.png", work)
    cli(db, "template", "--year", 2021, "--unit", "城关街道", "-o", work / "模板.xlsx")
    # LibreOffice fits the 说明 sheet to the page width: render it large and keep the readable top part.
    first_page_png(work / "模板.xlsx", out / "template.png", work, resolution=220, crop=(120, 190, 1130, 850))
    shutil.rmtree(work, ignore_errors=True)
    for image in sorted(out.glob("*.png")):
        print(image)
    return 0


if __name__ == "__main__":
    sys.exit(main())
