"""Importing filled exchange workbooks (DATA.md, "Exchange workbook"): read, check, then write all or nothing.

`import_files(paths, year)` handles each file on its own: safety checks (`xlsx_safety`), the content hash
(a file imported before changes nothing), reading with python-calamine (.xlsx, .xlsb, .xls, .ods), the
template's stamp (`stamp`: another year or region refuses the file, rows of another unit need
`allow_other_units`, an unstamped file must keep its dates in the year), the header row found below any
title and merged cells given to every row they cover (`sheet_reading`), mapping columns by normalised
header, checking every row with the record rules of `services.records` (the same as the GUI's), resolving
units by name and alias, and — only when every row of the file is good — one transaction through
`services.imports.write`. A refused file writes nothing; its `RowError`s (文件 / 工作表 / 第N行 / 列 / 值 / 原因)
are returned for the command line to print and the GUI to show or save as .xlsx (`save_errors`).
Long work reports `progress(done, total)` and stops without writing when `cancelled()` turns true.
"""

from __future__ import annotations

import hashlib
import re
from itertools import repeat
from operator import itemgetter
from pathlib import Path

from safetymonth_desktop.base.collector import cycle_collection_paused
from safetymonth_desktop.base.errors import AppError, ValidationError
from safetymonth_desktop.base.text import has_invisible, match_key, normalise, visible
from safetymonth_desktop.db.backup import make_backup
from safetymonth_desktop.db.connection import current_path, database
from safetymonth_desktop.exchange import calamine_probe, package_import, sheet_reading, stamp as stamps, xlsx_layout as layout, xlsx_limits, xlsx_safety
from safetymonth_desktop.services import campaigns, history, imports, photos, records, rules, submissions, units
from safetymonth_desktop.services.coerce import is_blank, to_text
from safetymonth_desktop.exchange.workbook_rows import (  # noqa: F401 - re-exported: xlsx_import.FileResult etc.
    CANCELLED, ERROR_HEADERS, FORMULA_WITHOUT_VALUE, IMPORTED, MAX_ERRORS, READY, REFUSED, UNCHANGED, Cancelled,
    FileResult, RowError, _FieldCleaner, _nothing, _shown,
)
from safetymonth_desktop.exchange.package_read import is_package

# ---- one file


class _Reader:
    """Reads and checks one workbook into an `imports.Plan`; collects errors instead of stopping at the first."""

    def __init__(self, path: Path, campaign, *, create_units: bool, progress, cancelled,
                 allow_other_units: bool = False):
        self.path = path
        self.file = path.name
        self.campaign = campaign
        self.create_units = create_units
        self.allow_other_units = allow_other_units
        self.check: stamps.StampCheck | None = None
        self.progress = progress
        self.cancelled = cancelled
        self.result = FileResult(path=path)
        self.unit_cache: dict[str, object] = {}  # name key → unit id, new-unit key, or None (unknown)
        self.new_units: dict[str, imports.NewUnit] = {}
        self.reporting_units: set = set()
        self.raw_units: dict = {}  # (type, cell value) → what unit_value returned

    def error(self, sheet, row, column, value, reason) -> None:
        if len(self.result.errors) < MAX_ERRORS:
            self.result.errors.append(RowError(self.file, sheet, row, column, _shown(value), reason))

    # -- units

    def unit_value(self, raw):
        """A unit named in a cell → its id, or the key of a unit to create; raises ValidationError."""
        try:
            return self.raw_units[(type(raw), raw)]
        except (KeyError, TypeError):
            pass
        found = self._unit_value(raw)
        self.raw_units[(type(raw), raw)] = found
        return found

    def _unit_value(self, raw):
        name = normalise(to_text(raw) or "")
        if not name:  # nothing but characters that do not show
            raise ValidationError("unit", "必须填写(单元格中只有不可见字符)")
        if has_invisible(raw):
            self.result.warnings.append(f"单位名称“{visible(str(raw).strip())}”含不可见字符,已去除,按“{name}”处理。")
        key = units.name_key(name)
        if key in self.unit_cache:
            found = self.unit_cache[key]
        else:
            unit = units.find_unit(name)
            found = unit.id if unit else None
            if found is None and self.create_units:
                if len(name) > 100:
                    raise ValidationError("unit", "单位名称过长(最多100个字)")
                self.new_units.setdefault(key, imports.NewUnit(name=units.normalise_name(name)))
                found = key
            self.unit_cache[key] = found
        if found is None:
            raise ValidationError("unit", f"单位“{name}”不在单位名录中。请先在“单位管理”中添加该单位(或把它设为已有单位的别名),"
                                          "或导入时选择自动创建单位(命令行加 --create-units)")
        return found

    # -- reading

    def read(self) -> imports.Plan | None:
        info = xlsx_safety.check_workbook(self.path)
        self.bounds = info.bounds
        if info.has_macros:
            self.result.warnings.append("文件含宏:只读取数据,宏不会运行。")
        data = self.path.read_bytes()
        sha = hashlib.sha256(data).hexdigest()
        del data
        self.result.sha256 = sha
        earlier = imports.batch_with_hash(self.campaign.id, sha)
        if earlier is not None:
            self.result.unit_id = earlier.unit_id
            self.result.status = UNCHANGED
            self.result.message = (f"该文件已于 {earlier.imported_at:%Y-%m-%d %H:%M} 导入过({earlier.rows} 行),"
                                   "内容相同,未重复导入。")
            return None
        plan = imports.Plan(campaign_id=self.campaign.id, file_name=self.file, sha256=sha)
        calamine_probe.vouch(self.path, self.bounds)  # read in a child first what the scan cannot vouch for
        book = sheet_reading.open_book(self.path)
        self._check_stamp(book)
        sheets = self._load_sheets(book)
        self.result.warnings.extend(filter(None, (self.bounds.hidden_warning(s[0]) for s in sheets)))
        total = sum(max(len(rows) - 1, 0) for _, _, rows, _ in sheets)
        done = 0
        for name, spec, rows, merges in sheets:
            if self.cancelled():
                raise Cancelled()
            if spec is None:
                self._read_units_sheet(name, rows)
                continue
            cleaned = self._read_sheet(name, spec, rows, merges, done, total)
            done += max(len(rows) - 1, 0)
            if cleaned:
                plan.rows.setdefault(spec.model, []).extend(cleaned)
                self.result.counts[spec.name] = self.result.counts.get(spec.name, 0) + len(cleaned)
        if not sheets:
            self.error("", None, "", "", "文件中没有可导入的工作表(工作表名应为:" +
                       "、".join(s.name for s in layout.RECORD_SHEETS) + ")")
        plan.new_units = self.new_units
        known = [u for u in self.reporting_units if isinstance(u, int)]
        if self.result.unit_id is None and len(known) == 1:  # no unit's stamp: the one unit the rows name
            self.result.unit_id = known[0]
        self.result.other_units = dict(self.check.other_units)
        self.result.notes.extend(self.check.notes())
        if len(self.reporting_units) == 1:
            plan.unit = next(iter(self.reporting_units))
        return plan

    def _check_stamp(self, book) -> None:
        """Refuse a template of another year or region; note an unstamped file; set up the row checks."""
        stamp = stamps.read_stamp(book, self.path)
        self.result.stamp = stamp
        stamped_unit = None
        if stamp is None:
            self.result.notes.append(stamps.unstamped_note(self.campaign))
        else:
            unit = units.find_unit(normalise(stamp.unit)) if stamp.unit else None
            self.result.unit_id = unit.id if unit else None  # even a refused file is that unit's (有误退回)
            refusal = stamps.refusal(stamp, self.campaign)
            if refusal:
                raise AppError(refusal)
            if stamp.unit:
                stamped_unit = unit.id if unit else units.name_key(normalise(stamp.unit))
        self.check = stamps.StampCheck(stamp, self.campaign, allow_other_units=self.allow_other_units,
                                       stamped_unit=stamped_unit)

    def _load_sheets(self, book) -> list:
        """(sheet name, spec or None for the unit list, rows, merged ranges) of the sheets to read."""
        merges = sheet_reading.MergeSource(self.path)
        sheets = []
        seen = {}
        for name in book.sheet_names:
            spec = layout.spec_for_sheet(name)
            if spec is None:
                if match_key(name) == match_key(layout.UNITS_SHEET):
                    sheets.append((name, None, *self._rows(book, name, merges)))
                elif match_key(name) not in {match_key(s) for s in layout.IGNORED_SHEETS}:
                    self.result.warnings.append(f"工作表“{name}”不是填报表,已忽略。")
                continue
            if spec.name in seen:
                self.error(name, None, "", "", f"与工作表“{seen[spec.name]}”重复(同一类记录只能有一个工作表)")
                continue
            seen[spec.name] = name
            sheets.append((name, spec, *self._rows(book, name, merges)))
        # The unit list first, so that units it describes are created with their type and aliases.
        return sorted(sheets, key=lambda s: s[1] is not None)

    def _rows(self, book, name: str, merges: sheet_reading.MergeSource) -> tuple[list[list], list]:
        from python_calamine import CalamineError

        try:
            sheet = book.get_sheet_by_name(name)
            rows = self.bounds.rows_to_read(name, sheet.total_height + 1)  # trailing rows of empty text: not read
            xlsx_limits.check_rows(self.file, name, rows)
            return sheet.to_python(skip_empty_area=False, nrows=rows), merges.ranges(sheet, name)
        except CalamineError as exc:
            raise AppError(f"文件“{self.file}”的工作表“{name}”无法读取({exc}),文件可能已损坏。")

    def _map_columns(self, name: str, spec: layout.SheetSpec, header: list, header_row: int) -> list | None:
        keys = layout.header_keys(spec)
        mapping = []  # (cell index, Column)
        seen = {}
        for index, cell in enumerate(header):
            if is_blank(cell):
                continue
            label = normalise(to_text(cell) or "")
            column = keys.get(match_key(label))
            if column is None:
                self.result.warnings.append(f"工作表“{name}”的列“{label}”无法识别,已忽略。")
                continue
            if column.name in seen:
                self.error(name, header_row, label, label,
                           f"与第{seen[column.name] + 1}列重复,都对应“{column.header}”;请删去一列")
                return None
            seen[column.name] = index
            mapping.append((index, column))
        missing = [c.header for c in spec.required() if c.name not in seen]
        if missing:
            for header_text in missing:
                self.error(name, header_row, header_text, "", f"缺少必填列,整个文件未导入;请按模板在表头(第{header_row}行)补上该列")
            return None
        return mapping

    def _read_sheet(self, name, spec: layout.SheetSpec, rows: list, merges: list, done: int, total: int) -> list[dict]:
        keys = layout.header_keys(spec)
        top = sheet_reading.find_header(rows, merges, keys)
        if top is None:
            if any(any(not is_blank(c) for c in row) for row in rows):
                self.error(name, None, "", "", f"前{sheet_reading.HEADER_SCAN_ROWS}行中没有找到表头(列名,如“"
                           + "”“".join(c.header for c in spec.columns[:3]) + "”);请按模板填写表头")
            return []
        mapping = self._map_columns(name, spec, sheet_reading.header_cells(rows, merges, top), top + 1)
        if mapping is None:
            return []
        note = sheet_reading.header_note(name, top)
        if note:
            self.result.notes.append(note)
        applied = sheet_reading.fill_merged(rows, merges, top)
        self.result.notes.extend(sheet_reading.merge_notes(name, applied, {i: c.header for i, c in mapping}))
        model = spec.model
        rule_problems = rules.remembering(model) if model in rules.RULES else None  # once per distinct combination
        year = self.campaign.year
        cleaners = [(index, column, _FieldCleaner(column.field, year)) for index, column in mapping]
        absent = [(c, _FieldCleaner(c.field, year)) for c in spec.columns
                  if c.name not in {col.name for _, col in mapping}]
        unit_index = next((i for i, c in mapping if c.name == "unit"), None)
        width = max(i for i, _ in mapping) + 1
        plan = [(index, column.name, column.kind == layout.UNIT, cleaner) for index, column, cleaner in cleaners]
        unvalued = self.bounds.unvalued(name)  # (row, column) → formula, for formulas saved without a result
        if unvalued:  # rows holding nothing but such formulas lie past calamine's last row
            rows = rows + [[]] * (max(r for r, _c in unvalued) - len(rows))
        data = [row if len(row) >= width else row + [""] * (width - len(row)) for row in rows[top + 1:]]
        # Every column cleaned at once (repeated values once); a row holding a cell that could not be read, or a
        # formula without a result, is checked cell by cell below, in column order, as every row once was.
        names = [field_name for _i, field_name, _u, _c in plan]
        unit_columns = [(index, field_name, cleaner.field) for index, field_name, is_unit, cleaner in plan if is_unit]
        columns, bad_rows = [], set()
        for index, _field_name, is_unit, cleaner in plan:
            if is_unit:
                columns.append(repeat(None))  # placeholder: units are resolved row by row (they may be created)
                continue
            values, bad = cleaner.column(list(map(itemgetter(index), data)))
            columns.append(values)
            bad_rows.update(bad)
        absent_values, absent_errors = {}, []
        for column, cleaner in absent:
            try:
                absent_values[column.name] = cleaner(None)
            except ValidationError as exc:  # pragma: no cover - required columns are checked above
                absent_errors.append((column, exc))
        filled_at = [i for i, _c, _f in cleaners if i != unit_index]  # a row holding only the unit is blank
        out = []
        check = self.check.for_sheet(spec)
        has_unit, raw_units = spec.has_unit, self.raw_units
        for offset, (row, cleaned) in enumerate(zip(data, zip(*columns))):
            if offset % 2000 == 0:
                if self.cancelled():
                    raise Cancelled()
                self.progress(done + offset, total)
            number = top + offset + 2
            formulas = ({i: unvalued[number, i + 1] for i, _c, _f in cleaners if (number, i + 1) in unvalued}
                        if unvalued else {})
            if not formulas:
                # A cell is filled unless empty or white space only (what `is_blank` says, without NFKC per cell).
                for i in filled_at:
                    cell = row[i]
                    if cell != "" and (type(cell) is not str or cell.strip()):
                        break
                else:
                    continue  # a blank row (or one with nothing but the pre-filled unit)
            if formulas or offset in bad_rows:
                values, bad = self._row_values(name, spec, plan, row, number, formulas)
            else:
                values, bad = dict(zip(names, cleaned)), set()
                for index, field_name, field in unit_columns:
                    raw = row[index]
                    try:
                        values[field_name] = raw_units[type(raw), raw]  # a unit name seen before
                        continue
                    except (KeyError, TypeError):
                        pass
                    try:
                        values[field_name] = (self.unit_value(raw) if raw != "" and (type(raw) is not str or raw.strip())
                                              else records.clean_value(field, None))
                    except ValidationError as exc:
                        self.error(name, number, field.verbose_name, raw, exc.message)
                        bad.add(field_name)
                        del values[field_name]  # unreadable: absent, as on the cell-by-cell path
            if absent_values:
                values.update(absent_values)
            for column, exc in absent_errors:  # pragma: no cover - required columns are checked above
                self.error(name, number, column.header, "", exc.message)
                bad.add(column.name)
            # Every rule the readable fields break is reported too, so one import lists all of a row's errors.
            broken = rule_problems(values, skip=bad) if rule_problems is not None else ()
            for exc in broken:
                label = exc.label or model._meta.fields[exc.field].verbose_name if exc.field else ""
                raw = next((row[i] for i, c in mapping if c.name == exc.field), "")
                self.error(name, number, label, raw, exc.message)
            if bad or broken:
                continue
            problems = check and check(values, row[unit_index] if unit_index is not None else None)
            if problems:
                for header_text, value, reason in problems:
                    self.error(name, number, header_text, value, reason)
                continue
            if has_unit and values["unit"] is not None:  # blank on 组织领导: the region's own
                self.reporting_units.add(values["unit"])
            out.append(values)
        return out

    def _row_values(self, name, spec, plan, row, number, formulas) -> tuple[dict, set]:
        """One row's cleaned values cell by cell, every unreadable cell reported in column order; returns the
        values and the fields that could not be read."""
        values = {}
        bad = set()
        for index, field_name, is_unit, cleaner in plan:
            raw = row[index]
            if index in formulas:
                self.error(name, number, spec.model._meta.fields[field_name].verbose_name, formulas[index],
                           FORMULA_WITHOUT_VALUE)
                bad.add(field_name)
                continue
            try:
                if is_unit:
                    values[field_name] = (self.unit_value(raw) if raw != "" and (type(raw) is not str or raw.strip())
                                          else records.clean_value(cleaner.field, None))
                else:
                    values[field_name] = cleaner(raw)
            except ValidationError as exc:
                self.error(name, number, spec.model._meta.fields[field_name].verbose_name, raw, exc.message)
                bad.add(field_name)
        return values, bad

    def _read_units_sheet(self, name: str, rows: list) -> None:
        """The exports' 单位名录: units unknown here are created (with their type and aliases) when allowed.
        A file never re-points a name: an alias that is already a unit's name or alias (in this database or
        elsewhere in this sheet) is dropped with a warning naming it, and rows naming that unit keep going to it;
        aliases listed for units that exist here are not added (the clerk adds aliases in 单位管理)."""
        if not rows:
            return
        header = {match_key(to_text(c) or ""): i for i, c in enumerate(rows[0]) if not is_blank(c)}
        index = {col: header.get(match_key(col)) for col in layout.UNIT_COLUMNS}
        if index["单位名称"] is None:
            self.result.warnings.append(f"工作表“{name}”缺少“单位名称”列,已忽略。")
            return

        def cell(row, col):
            i = index[col]
            return normalise(to_text(row[i]) or "") if i is not None and i < len(row) else ""

        listed = [(cell(row, "单位名称"), row) for row in rows[1:]]
        listed = [(unit_name, row) for unit_name, row in listed if unit_name]
        names_here = {units.name_key(unit_name) for unit_name, _ in listed}
        skipped, refused, not_added = 0, [], []
        for unit_name, row in listed:
            key = units.name_key(unit_name)
            proposed = [a for a in (normalise(a) for a in re.split(r"[、,;;]", cell(row, "别名"))) if a]
            existing = units.find_unit(unit_name)
            if existing is not None:
                for alias in proposed:
                    owner = units.find_unit(alias)
                    if owner is None:
                        not_added.append(f"“{alias}”(列为“{existing.name}”的别名)")
                    elif owner.id != existing.id:
                        refused.append(f"“{alias}”(列为“{unit_name}”的别名,但它是单位“{owner.name}”的名称或别名)")
                continue
            if key in self.unit_cache:
                continue  # listed twice
            if not self.create_units:
                skipped += 1
                continue
            aliases = []
            for alias in proposed:
                alias_key = units.name_key(alias)
                owner = units.find_unit(alias)
                if alias_key == key:
                    continue
                if owner is not None:
                    refused.append(f"“{alias}”(列为“{unit_name}”的别名,但它是单位“{owner.name}”的名称或别名)")
                elif alias_key in names_here:
                    refused.append(f"“{alias}”(列为“{unit_name}”的别名,但本表另有单位叫这个名称)")
                elif alias_key in self.unit_cache:
                    refused.append(f"“{alias}”(列为“{unit_name}”的别名,但本表已把它列为另一单位的别名)")
                else:
                    aliases.append(alias)
                    self.unit_cache[alias_key] = key
            self.new_units[key] = imports.NewUnit(name=units.normalise_name(unit_name), kind=cell(row, "单位类型") or "其他",
                                                  contact=cell(row, "联系人"), phone=cell(row, "联系电话"),
                                                  notes=cell(row, "备注"), aliases=aliases)
            self.unit_cache[key] = key
        if skipped:
            self.result.warnings.append(f"工作表“{name}”中有 {skipped} 个单位不在本库的单位名录中,未创建"
                                        "(需要时请选择自动创建单位)。")
        if refused:
            self.result.warnings.append(f"工作表“{name}”中的别名未采用(导入的文件不能改变已有名称所指的单位,"
                                        "这些名称的记录仍归入原单位):" + "、".join(refused) + "。如确属同一单位,请在“单位管理”中合并或添加别名。")
        if not_added:
            self.result.warnings.append(f"工作表“{name}”为已有单位列出的别名未添加:" + "、".join(not_added) +
                                        "。如需要,请在“单位管理”中添加别名。")


def import_file(path, campaign, *, create_units: bool = False, replace: bool = False,
                allow_other_units: bool = False, progress=None, cancelled=None, before_write=None,
                dry_run: bool = False) -> FileResult:
    """Import one workbook into `campaign`; never raises for a bad file (the result says why it was refused).
    `allow_other_units` lets a unit's template bring rows of other units (listed in `result.other_units`).
    `before_write()` runs once just before the database is written (the backup hook). With `dry_run` the file
    is checked completely but nothing is written: status READY means it would import (the GUI's preview)."""
    with cycle_collection_paused():  # (hundreds of thousands of rows, no cycles among them)
        return _import_file(Path(path), campaign, create_units=create_units, replace=replace,
                            allow_other_units=allow_other_units, progress=progress or _nothing,
                            cancelled=cancelled or _nothing, before_write=before_write, dry_run=dry_run)


def _import_file(path: Path, campaign, *, create_units, replace, allow_other_units, progress, cancelled, before_write,
                 dry_run) -> FileResult:
    # ---- roll-up: a sub-region's 上报数据包 is recognised by its stamp and imported by services/rollup.py
    if is_package(path):
        return package_import.import_package(path, campaign, replace=replace, progress=progress, cancelled=cancelled,
                                     before_write=before_write, dry_run=dry_run)
    # ---- end roll-up
    reader = _Reader(path, campaign, create_units=create_units, progress=progress, cancelled=cancelled,
                     allow_other_units=allow_other_units)
    result = reader.result
    try:
        plan = reader.read()
        if plan is None:
            return result
        if result.errors:
            result.status = REFUSED
            result.message = f"发现 {len(result.errors)} 处错误,整个文件未导入(数据库未作修改)。请改正后重新导入。"
            return result
        if plan.total == 0 and not plan.new_units:
            result.status = REFUSED
            result.message = "文件中没有数据行(第2行起),未导入。"
            result.errors.append(RowError(result.file, "", None, "", "", result.message))
            return result
        unit_id = plan.unit if isinstance(plan.unit, int) else None
        earlier = [] if isinstance(plan.unit, str) else imports.earlier_batches(campaign.id, unit_id=unit_id,
                                                                                 file_name=result.file)
        if earlier and not replace:
            who = f"单位“{imports.unit_name(unit_id)}”" if unit_id else f"同名文件“{result.file}”"
            old = earlier[-1]
            result.status = REFUSED
            result.message = (f"{who}已于 {old.imported_at:%Y-%m-%d %H:%M} 导入过(文件“{old.file_name}”,"
                              f"{sum(b.rows for b in earlier)} 行),本文件内容不同。如这是修改后的新版本,"
                              "请选择“替换”(命令行加 --replace),旧数据将被删除并换成本文件的数据;未作任何修改。")
            result.errors.append(RowError(result.file, "", None, "", "", result.message))
            return result
        if cancelled():
            raise Cancelled()
        plan.replace = [b.id for b in earlier]
        result.replaced = sum(b.rows for b in earlier)
        if dry_run:
            result.status = READY
            result.units_created = [u.name for u in plan.new_units.values()]
            result.message = f"可以导入 {plan.total} 行" + (f",将替换以前导入的 {result.replaced} 行" if result.replaced else "") + "。"
            pictures = photos.count_in_batches(plan.replace)
            if pictures:  # the replaced records' photos go with them
                result.message += f"被替换的记录带有 {pictures} 张活动图片,将一并删除(可撤销),替换后请重新添加。"
            return result
        if before_write is not None:
            before_write()
        batch = imports.write(plan)
        progress(plan.total, plan.total)
        result.batch_id = batch.id
        result.unit_id = batch.unit_id if batch.unit_id is not None else result.unit_id
        result.status = IMPORTED
        result.units_created = [u.name for u in plan.new_units.values()]
        result.message = f"已导入 {plan.total} 行。"
    except Cancelled as exc:
        result.status = CANCELLED
        result.message = exc.message
    except AppError as exc:
        result.status = REFUSED
        result.message = exc.message
        result.errors.append(RowError(result.file, "", None, "", "", exc.message))
    return result


def import_files(paths, year, *, create_units: bool = False, replace: bool = False, allow_other_units: bool = False,
                 progress=None, cancelled=None, backup: bool = True, dry_run: bool = False) -> list[FileResult]:
    """Import several workbooks into the campaign of `year`, each all or nothing. A backup of the database
    is taken once, before the first write. `dry_run=True` checks everything and writes nothing (preview)."""
    campaign = campaigns.get(year)
    progress = progress or _nothing
    cancelled = cancelled or _nothing
    paths = [Path(p) for p in paths]
    state = {"backed_up": not backup}

    def before_write():
        if not state["backed_up"]:
            path = current_path()
            if path is not None and path.exists():
                make_backup(path, "import")
            state["backed_up"] = True

    results = []
    for number, path in enumerate(paths):
        def file_progress(done, total, _n=number):
            progress(_n * 1000 + (1000 * done // total if total else 1000), len(paths) * 1000)

        result = import_file(path, campaign, create_units=create_units, replace=replace,
                             allow_other_units=allow_other_units, progress=file_progress, cancelled=cancelled,
                             before_write=before_write, dry_run=dry_run)
        results.append(result)
        if result.status == CANCELLED:
            break
        if not dry_run:
            record_receipts(campaign, [result])
    progress(len(paths) * 1000, len(paths) * 1000)
    return results


_OUTCOMES = {IMPORTED: "imported", UNCHANGED: "unchanged", REFUSED: "refused"}


def record_receipts(campaign, results) -> None:
    """Remember each file as received (报送进度): imported (or replaced an earlier import), unchanged or refused,
    with its rows per sheet and errors. `import_files` does it for every real import; the GUI also does it for
    the files its preview refused, which never reach the real import."""
    for result in results:
        outcome = _OUTCOMES.get(result.status)
        if outcome is None:  # cancelled, or a preview's READY: nothing was received yet
            continue
        if result.status == IMPORTED and result.replaced:
            outcome = submissions.REPLACED
        submissions.record_receipt(campaign, unit_id=result.unit_id, file_name=result.file, sha256=result.sha256,
                                   rows=dict(result.counts), outcome=outcome, message=result.message,
                                   errors=[str(e) for e in result.errors], stamped=result.stamp is not None)


def import_files_together(paths, year, *, create_units: bool = False, replace: bool = False,
                          allow_other_units: bool = False, progress=None, cancelled=None) -> tuple[list[FileResult], str]:
    """The GUI's import: all files in ONE transaction and one change group, so a cancel or a failure anywhere
    leaves the database exactly as it was, and one Undo takes the whole import back. Returns the results and
    the change group. (The command line imports file by file: each file all or nothing.)"""
    with history.change_group() as group, database.atomic():
        results = import_files(paths, year, create_units=create_units, replace=replace,
                               allow_other_units=allow_other_units, progress=progress, cancelled=cancelled)
        if (cancelled and cancelled()) or any(r.status == CANCELLED for r in results):
            raise Cancelled()
    return results, group


def save_errors(results_or_errors, path) -> Path:
    """Write the error list as an .xlsx table (文件 / 工作表 / 行 / 列 / 值 / 原因) for the clerk to send back."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    errors = []
    for item in results_or_errors:
        errors.extend(item.errors if isinstance(item, FileResult) else [item])
    path = xlsx_safety.check_output_path(path)

    def writer(tmp):
        wb = Workbook()
        ws = wb.active
        ws.title = "导入错误"
        for col, header in enumerate(ERROR_HEADERS, start=1):
            cell = ws.cell(row=1, column=col)
            layout.set_text_safely(cell, header)
            cell.font = Font(bold=True)
        for number, err in enumerate(errors, start=2):
            for col, value in enumerate((err.file, err.sheet, err.row, err.column, err.value, err.reason), start=1):
                layout.set_text_safely(ws.cell(row=number, column=col), value)
        for letter, width in zip("ABCDEF", (24, 12, 6, 16, 24, 60)):
            ws.column_dimensions[letter].width = width
        ws.freeze_panes = "A2"
        wb.save(tmp)

    return xlsx_safety.write_atomically(path, writer)
