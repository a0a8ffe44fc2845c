"""Importing a sub-region's 上报数据包 at the level above, file by file (DATA.md, "上报数据包").

`xlsx_import.import_file` hands a workbook here when its stamp says it is a package (`package_read.is_package`).
This module reads it (`package_read`, bounded like every untrusted workbook), checks its format version, and lets
`services.rollup` decide: refusals (another year, schema or level; the importer's own package; rows added or removed;
a digest that no longer matches), the same package again (nothing changes), a newer one (replaces only with
`replace`), an older one (never replaces), and the write with its check of every figure against the 汇总 (rolled
back on any difference). The outcome is an `xlsx_import.FileResult`, so the command line, the GUI's preview and
import, and 报送进度's file receipts treat a package like any other file.
"""

from __future__ import annotations

from pathlib import Path

from safetymonth_desktop.db.models import ImportBatch, SubRegionPackage, Unit
from safetymonth_desktop.exchange import package_format as fmt, package_read, workbook_rows
from safetymonth_desktop.services import imports, rollup
from safetymonth_desktop.base import vocab
from safetymonth_desktop.base.collector import cycle_collection_paused
from safetymonth_desktop.base.errors import AppError


def import_package(path, campaign, *, replace: bool = False, progress=None, cancelled=None, before_write=None,
                   dry_run: bool = False):
    """Import the 上报数据包 at `path` into `campaign`; returns an `workbook_rows.FileResult` (never raises for a bad
    file: the result says why it was refused)."""
    with cycle_collection_paused():  # a region's year: a million cells, no cycles among them
        return _import_package(path, campaign, replace=replace, progress=progress, cancelled=cancelled,
                               before_write=before_write, dry_run=dry_run)


def _import_package(path, campaign, *, replace, progress, cancelled, before_write, dry_run):
    path = Path(path)
    result = workbook_rows.FileResult(path=path)
    progress = progress or (lambda d, t: None)
    try:
        package = package_read.read_package(path, progress=progress, cancelled=cancelled)
        result.sha256 = package.sha256
        result.counts = {k: v for k, v in package.counts.items() if v}
        existing = rollup.sub_region(package.region) if package.region else None
        result.unit_id = existing.id if existing else None
        result.notes.append(f"上报数据包:{package.region}({package.stamp.get('level') or '区县'}级,"
                            f"生成于 {package.stamp.get('issued_at', '').replace('T', ' ')}),记录归入下级地区“{package.region}”。")
        if package.stamp.get("format") not in fmt.READABLE_FORMATS:
            raise AppError(f"数据包“{path.name}”的格式版本({package.stamp.get('format') or '未知'})与本软件不同,未导入。"
                           "请双方使用同一版本的软件,由下级重新生成上报数据包后再导入。")
        rollup.check_stamp(package, campaign)
        if package.errors:
            result.errors = list(package.errors)
            result.status = workbook_rows.REFUSED
            result.message = (f"数据包中有 {len(package.errors)} 处记录无法读取,整个文件未导入(数据库未作修改)。"
                              "请让下级核对后重新生成上报数据包。")
            return result
        rollup.check_contents(package)
        today = rollup.as_of(package)
        earlier = imports.batch_with_hash(campaign.id, package.sha256)
        current = (SubRegionPackage.get_or_none((SubRegionPackage.campaign == campaign.id) &
                                                (SubRegionPackage.unit == existing.id)) if existing else None)
        if current is not None and current.digest == package.digest:
            rollup.same_summary(package, current)  # the same records: a 汇总 that differs was edited by hand
        if earlier is not None or (current is not None and current.digest == package.digest):
            when = current.imported_at if current is not None else earlier.imported_at
            result.status = workbook_rows.UNCHANGED
            result.message = f"{package.region}的这份数据包已于 {when:%Y-%m-%d %H:%M} 导入过,内容相同,未重复导入。"
            return result
        if existing is not None and existing.kind != vocab.SUB_REGION and Unit.select().where(
                Unit.parent == existing.id).exists():
            raise AppError(f"单位名录中的“{existing.name}”不是下级地区,无法归入。请在单位管理中核对后再导入。")
        if current is not None:
            if package.stamp.get("issued_at", "") < (current.issued_at or ""):
                raise AppError(f"数据包“{path.name}”生成于 {package.stamp.get('issued_at', '').replace('T', ' ')},"
                        f"早于已导入的{package.region}数据包({current.issued_at.replace('T', ' ')}),未导入。"
                        "旧数据包不会替换新数据包;如确需使用这份,请让下级重新生成。")
            if not replace:
                raise AppError(f"{package.region}的数据包已于 {current.imported_at:%Y-%m-%d %H:%M} 导入过(文件“{current.file_name}”),"
                        "本文件内容不同。如这是下级重新报送的新版本,请选择“替换”(命令行加 --replace),"
                        f"{package.region}原有的数据将整体换成本文件的数据;未作任何修改。")
        old_rows = 0
        if current is not None and current.import_batch_id:
            old_rows = ImportBatch.get_by_id(current.import_batch_id).rows
        result.replaced = old_rows
        if dry_run:
            result.status = workbook_rows.READY
            result.message = (f"可以导入{package.region}的数据包 {package.total} 行"
                              + (f",将替换原有的 {old_rows} 行" if old_rows else "") + "。")
            return result
        if cancelled and cancelled():
            raise workbook_rows.Cancelled()
        if before_write is not None:
            before_write()
        batch, created = rollup.write(campaign, package, current, today)
        progress(package.total, package.total)
        result.batch_id = batch.id
        result.unit_id = batch.unit_id
        result.units_created = created
        result.status = workbook_rows.IMPORTED
        result.message = f"已导入{package.region}的上报数据包 {package.total} 行,汇总核对一致。"
        if not package.total:
            result.notes.append(f"{package.region}的数据包中没有记录(只有标识和汇总),已记为已报送。")
    except workbook_rows.Cancelled as exc:
        result.status = workbook_rows.CANCELLED
        result.message = exc.message
    except AppError as exc:
        result.status = workbook_rows.REFUSED
        result.message = exc.message
        result.errors.append(workbook_rows.RowError(result.file, "", None, "", "", exc.message))
    return result
