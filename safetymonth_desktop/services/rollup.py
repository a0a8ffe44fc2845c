"""Roll-up: importing a sub-region's 上报数据包 at the level above (DATA.md, "上报数据包"; PRODUCT.md, "More than
one level").

The package's region becomes (or is) one of the importer's own units, of kind 下级地区, on the year's roster; the
units its records name become that sub-region's units (`Unit.parent`), never merged with the importer's own units
or another sub-region's of the same name; a nested sub-region (a city's district, in a province) is a 下级地区 unit
under its city, its units under it. Every record is written with its unit (or 被督查单位) resolved that way, in one
transaction and one change group (undo takes the whole import back) — the 组织机构 and 补充说明 of every level it
carries too, each under its sub-region (Body/Note.sub_region; schema step 8), replaced and withdrawn with the
package — and then checked:

- the digest of the records read must equal the stamp's (a cell edited by hand, even one that leaves totals equal);
- the figures computed here for the sub-region (services/region_figures.py), and for every sub-region it carries,
  must equal the package's 汇总 exactly — otherwise the transaction is rolled back and the file refused.

The same package again changes nothing; another package from a region already imported replaces that region's
records (and its sub-regions') in one step only with `replace` (GUI: after confirmation; CLI: --replace), and an
older package never replaces a newer one. Refusals are Chinese sentences naming the file and what to do.

This module takes a package already read (exchange/package_read.py: its stamp, 汇总, sub-regions, units and
cleaned rows); exchange/package_import.py reads the file, calls these checks and the write, and words the result.
"""

from __future__ import annotations

import datetime as dt
import json

import peewee as pw

from safetymonth_desktop.db.connection import database
from safetymonth_desktop.db.models import SHEET_MODELS, Body, ImportBatch, Note, SubRegionPackage, Unit
from safetymonth_desktop.services import history, imports, region_figures, roster, units
from safetymonth_desktop.base import vocab
from safetymonth_desktop.base.errors import AppError
from safetymonth_desktop.base.text import match_key
from safetymonth_desktop.db import migrations

SUMMARY_SHEET = "汇总"  # the package's sheet of figures (exchange/package_format.py)
PATH_SEPARATOR = "/"  # between the names of nested sub-regions (exchange/package_format.py)
LEVEL_RANK = {level: rank for rank, level in enumerate(vocab.CAMPAIGN_LEVELS)}
MAX_DIFFERENCES_SHOWN = 5


def sub_region(name: str) -> Unit | None:
    """The importer's own unit named `name` (the sub-region, once imported), or None."""
    return units.find_unit(name)


def packages(campaign) -> list[SubRegionPackage]:
    """The packages imported for the year from its direct sub-regions, by region name."""
    cid = campaign if isinstance(campaign, int) else campaign.id
    return list(SubRegionPackage.select().join(Unit, on=(SubRegionPackage.unit == Unit.id))
                .where((SubRegionPackage.campaign == cid) & Unit.parent.is_null()).order_by(Unit.name))


def subtree(unit_id: int) -> list[int]:
    """The unit and every unit below it."""
    return units.subtree(unit_id)


def withdraw(campaign, unit_id: int) -> int:
    """撤回该地区的上报数据: take the year's package of sub-region `unit_id` out — its records (its sub-regions'
    too), the packages remembered, and the sub-region's units no other year still uses — in one change group
    (undo puts it all back). The sub-region stays on the roster, as 未报送 again. Returns the records removed."""
    cid = campaign if isinstance(campaign, int) else campaign.id
    with history.change_group(), database.atomic():
        root = units.get_unit(unit_id)
        current = SubRegionPackage.get_or_none((SubRegionPackage.campaign == cid) & (SubRegionPackage.unit == root.id))
        if current is None:
            raise AppError(f"本年度没有导入过“{root.name}”的上报数据包,无需撤回。")
        below = subtree(root.id)
        marks = ", ".join("?" for _ in below)
        batches = {b for (b,) in SubRegionPackage.select(SubRegionPackage.import_batch).where(
            (SubRegionPackage.campaign == cid) & SubRegionPackage.unit.in_(below)).tuples() if b}
        history.log_bulk_delete(SubRegionPackage, f"campaign_id = ? AND unit_id IN ({marks})", (cid, *below))
        SubRegionPackage.delete().where((SubRegionPackage.campaign == cid) & SubRegionPackage.unit.in_(below)).execute()
        removed = _delete_notes(cid, below)
        for batch in sorted(batches):
            removed += ImportBatch.get_by_id(batch).rows
            imports.delete_batch(batch)
        # The region's own units that nothing names any more go too, deepest first (undo brings parents back first).
        for uid in reversed(below[1:]):
            if not (units.records_of([uid]) or Unit.select().where(Unit.parent == uid).exists()
                    or SubRegionPackage.select().where(SubRegionPackage.unit == uid).exists()):
                history.log_delete(Unit, uid, history.snapshot(Unit, uid))
                Unit.delete().where(Unit.id == uid).execute()
    return removed


class _Units:
    """Resolves (path, name) of the package to the importer's units under the sub-region, creating what is missing.
    Looked up by name key among the children of one parent. The units to create get their ids at once (a parent's
    below its children's) and are written together by `flush` (one statement, logged as created: undo takes them
    back), which must come before anything names them."""
    def __init__(self, root: Unit, region: str):
        self.units = units
        self.root = root
        self.region_key = units.name_key(region)
        self.children: dict[tuple[int, str], int] = {}
        for uid, parent, norm in Unit.select(Unit.id, Unit.parent, Unit.norm).where(
                Unit.id.in_(subtree(root.id)) & Unit.parent.is_null(False)).tuples():
            self.children[(parent, norm)] = uid
        self.created: list[str] = []
        self.resolved: dict[tuple[str, str], int] = {}
        self.pending: list[dict] = []  # units to create, in the order of their ids
        self.next_id: int | None = None

    def child(self, parent: int, name: str, kind: str = "其他") -> int:
        key = self.units.name_key(name)
        found = self.children.get((parent, key))
        if found is None:
            display = self.units.normalise_name(name)[:100]
            if self.next_id is None:
                self.next_id = history.next_id(Unit)
            found = self.next_id + len(self.pending)
            self.pending.append({"id": found, "name": display, "short_name": "", "norm": key, "parent": parent,
                                 "kind": kind if kind in vocab.UNIT_KINDS else "其他", "contact": "", "phone": "",
                                 "notes": ""})
            self.children[(parent, key)] = found
            self.created.append(display)
        return found

    def flush(self) -> None:
        """Write the units `child` gave ids to (logged); nothing when there are none."""
        if not self.pending:
            return
        first, last = self.pending[0]["id"], self.pending[-1]["id"]
        for start in range(0, len(self.pending), 100):  # SQLite's bound on variables per statement
            Unit.insert_many(self.pending[start:start + 100]).execute()
        history.log_bulk_create(Unit, first, last)
        self.pending, self.next_id = [], None

    def parent_of(self, path: str) -> int:
        parent = self.root.id
        for part in (p for p in path.split(PATH_SEPARATOR) if p):
            parent = self.child(parent, part, vocab.SUB_REGION)
        return parent

    def resolve(self, path: str, name: str, kind: str = "其他") -> int:
        try:
            return self.resolved[path, name]
        except KeyError:
            pass
        if not path and self.units.name_key(name) == self.region_key:
            found = self.root.id  # the region's own 组织领导 (本级 there)
        else:
            found = self.child(self.parent_of(path), name, kind)
        self.resolved[path, name] = found
        return found


def _refuse(message: str):
    raise AppError(message)


def check_stamp(package, campaign) -> None:
    """Refuse a package of another year, schema, region (the importer's own) or level; Chinese messages."""
    file = package.path.name
    stamp = package.stamp
    region = package.region
    if stamp.get("schema") != str(migrations.latest_version()):
        _refuse(f"数据包“{file}”由另一版本的软件生成(数据库结构版本 {stamp.get('schema') or '未知'},本软件为 "
                f"{migrations.latest_version()}),两边的记录格式可能不同,未导入。请双方使用同一版本的软件,"
                "由下级重新生成上报数据包后再导入。")
    if package.year != campaign.year:
        _refuse(f"数据包“{file}”是{region or '某地区'} {stamp.get('year') or '未注明'} 年度的数据,当前导入的是 {campaign.year} "
                f"年度,未导入。请让{region or '下级'}用 {campaign.year} 年度的数据重新生成上报数据包;如确要导入该年度,"
                "请先切换到该年度。")
    if not region:
        _refuse(f"数据包“{file}”没有注明地区,无法归入下级地区,未导入。请让下级在年度设置中填写地区名称后重新生成。")
    if campaign.region and match_key(region) == match_key(campaign.region):
        _refuse(f"数据包“{file}”是本级({region})自己生成的上报数据包,不能导入本级。它是交给上级的;"
                "下级地区的数据包才在这里导入。")
    mine, theirs = LEVEL_RANK.get(campaign.level, 0), LEVEL_RANK.get(stamp.get("level", ""), 0)
    if theirs >= mine:
        _refuse(f"数据包“{file}”来自{stamp.get('level') or '区县'}级的{region},而本年度设置的层级是{campaign.level},"
                "只能导入下级地区的数据包,未导入。如本单位是上一级,请先在“年度设置”中把层级改为市或省"
                f"(命令行:campaign --year {campaign.year} --level 市)。")


def check_contents(package) -> None:
    file = package.path.name
    try:
        stated = {str(k): int(v) for k, v in json.loads(package.stamp.get("counts") or "{}").items()}
    except (ValueError, TypeError, AttributeError):
        stated = None
    read = {k: v for k, v in package.counts.items() if v}
    if stated is None or {k: v for k, v in stated.items() if v} != read:
        shown = "、".join(f"{k} {v} 行" for k, v in read.items()) or "没有记录"
        _refuse(f"数据包“{file}”的记录行数与其标识不符(读到:{shown}),文件在生成后被增删过行,未导入。"
                "请让下级重新生成上报数据包后再报送,不要手工修改。")
    if package.digest != package.stamp.get("digest"):
        _refuse(f"数据包“{file}”中的记录与其数据摘要不符:文件在生成后被手工修改过(即使合计数没有变化),未导入。"
                "请让下级重新生成上报数据包后再报送,不要修改其中的内容。")


def as_of(package) -> dt.date:
    try:
        return dt.date.fromisoformat(package.stamp.get("as_of", ""))
    except ValueError:
        _refuse(f"数据包“{package.path.name}”的标识(统计截至日期)被改动,未导入。请让下级重新生成上报数据包。")


def _verify(campaign, package, root: Unit, regions: dict[str, int], today: dt.date) -> None:
    """The figures computed here for the sub-region and each sub-region it carries equal the package's 汇总."""
    checks = [("", root.id)] + sorted(regions.items())
    for path, unit_id in checks:
        expected = package.summary.get(path)
        who = package.region if not path else f"{package.region}/{path}"
        if expected is None:
            _refuse(f"数据包“{package.path.name}”的“{SUMMARY_SHEET}”表缺少{who}的一列,文件被改动过,未导入。")
        actual = region_figures.exact(campaign, today=today, scope=unit_id)
        wrong = region_figures.differences(expected, actual)
        if wrong:
            _wrong(package, who, wrong)


def _wrong(package, who: str, wrong: list) -> None:
    shown = ";".join(f"{region_figures.label(k)}:汇总表为 {w if w not in (None, '') else '空'},"
                     f"按记录计算为 {g if g not in (None, '') else '空'}" for k, w, g in wrong[:MAX_DIFFERENCES_SHOWN])
    more = f"等 {len(wrong)} 项" if len(wrong) > MAX_DIFFERENCES_SHOWN else ""
    _refuse(f"数据包“{package.path.name}”中{who}的“{SUMMARY_SHEET}”与其记录不符({shown}{more}):"
            "汇总表或记录在生成后被手工修改过,已全部撤销,未导入。请让下级重新生成上报数据包后再报送。")


def same_summary(package, current: SubRegionPackage) -> None:
    """A package with the records of the one imported must carry its 汇总 too."""
    wrong = region_figures.differences(package.summary.get("", {}), json.loads(current.summary or "{}"))
    if wrong:
        _wrong(package, package.region, wrong)


def write(campaign, package, current: SubRegionPackage | None, today: dt.date):
    """Everything in one transaction and change group: the sub-region and its units, the records (replacing the
    sub-region's earlier package), the packages remembered, then the check of the figures."""
    with history.change_group(), database.atomic():
        root = units.find_unit(package.region)
        if root is None:
            root = units.create_unit(package.region, kind=vocab.SUB_REGION)
        elif root.kind != vocab.SUB_REGION:
            before = history.snapshot(Unit, root.id)
            root.kind = vocab.SUB_REGION
            root.save()
            history.log_update(Unit, root.id, before)
        roster.ensure_listed(campaign, [root.id])
        replace = []
        if current is not None:
            below = subtree(root.id)
            _delete_notes(campaign.id, below)
            where = f"campaign_id = ? AND unit_id IN ({', '.join('?' for _ in below)})"
            history.log_bulk_delete(SubRegionPackage, where, (campaign.id, *below))
            SubRegionPackage.delete().where((SubRegionPackage.campaign == campaign.id) &
                                            SubRegionPackage.unit.in_(below)).execute()
            if current.import_batch_id:
                replace.append(current.import_batch_id)
        resolver = _Units(root, package.region)
        regions = {}
        for region in package.regions:
            parts = region["path"].split("/")
            regions[region["path"]] = resolver.child(resolver.parent_of("/".join(parts[:-1])), parts[-1], vocab.SUB_REGION)
        for path, name, kind in package.units:
            if kind == vocab.SUB_REGION:
                continue  # created above, from 下级地区
            resolver.resolve(path, name, kind)
        plan = imports.Plan(campaign_id=campaign.id, file_name=package.path.name, sha256=package.sha256, unit=root.id,
                            replace=replace)
        for model in SHEET_MODELS:
            pairs = package.rows.get(model, [])
            if not pairs:
                continue
            # The package's own dicts (read for this import only) get their units' ids in place, each distinct
            # (path, unit name) resolved once, in the order of the rows (new units are numbered in that order).
            rows = [values for _path, values in pairs]
            row_paths = [path for path, _values in pairs]
            for f in model._meta.sorted_fields:
                if isinstance(f, pw.ForeignKeyField) and f.rel_model is Unit:
                    keys = list(zip(row_paths, [row[f.name] for row in rows]))
                    ids = {key: resolver.resolve(*key) for key in dict.fromkeys(keys)}
                    for row, key in zip(rows, keys):
                        row[f.name] = ids[key]
            plan.rows[model] = rows
        # 组织机构 and 补充说明 of every level the package carries are kept under their sub-region (Body/Note.sub_region:
        # the package's region itself, or one of its nested sub-regions by path); the bodies come with the batch.
        def region_of(path: str) -> int:
            if path and path not in regions:
                _refuse(f"数据包“{package.path.name}”中有记录归在未列入“下级地区”表的“{path}”之下,文件被改动过,未导入。"
                        "请让下级重新生成上报数据包后再导入。")
            return regions[path] if path else root.id

        body_regions = [region_of(path) for path, _ in package.rows.get(Body, [])]
        if body_regions:
            plan.rows[Body] = [dict(values) for _, values in package.rows[Body]]
        resolver.flush()
        batch = imports.write(plan)
        _file_bodies(batch.id, body_regions)
        _write_notes(campaign, [(region_of(path), values) for path, values in package.rows.get(Note, [])])
        _remember(campaign, package, root.id, batch, package.summary.get("", {}), package.stamp)
        for region in package.regions:
            stamp = {"level": region["level"], "organizer": region["organizer"], "issued_at": region["issued_at"],
                     "as_of": region["as_of"], "digest": "", "counts": "{}"}
            _remember(campaign, package, regions[region["path"]], batch, package.summary.get(region["path"], {}), stamp)
        _verify(campaign, package, root, regions, today)
    return batch, resolver.created


def _file_bodies(batch_id: int, regions: list[int]) -> None:
    """Give the 组织机构 just written with batch `batch_id` (in package order) their sub-regions, logged (undoable)."""
    ids = [i for (i,) in Body.select(Body.id).where(Body.import_batch == batch_id).order_by(Body.id).tuples()]
    by_region: dict[int, list[int]] = {}
    for body_id, region in zip(ids, regions):
        by_region.setdefault(region, []).append(body_id)
    for region, body_ids in by_region.items():
        history.update_logged(Body, {"sub_region_id": region}, f"id IN ({', '.join('?' for _ in body_ids)})",
                              tuple(body_ids))


def _write_notes(campaign, notes: list[tuple[int, dict]]) -> None:
    """The 补充说明 a package carries, each under its sub-region (never the importer's own), logged."""
    for region, values in notes:
        note = Note.create(campaign=campaign.id, sub_region=region, **values)
        history.log_create(Note, note.id)


def _delete_notes(campaign_id: int, regions: list[int]) -> int:
    """Take out (logged) the year's 补充说明 of the sub-regions `regions`; returns how many."""
    where = f"campaign_id = ? AND sub_region_id IN ({', '.join('?' for _ in regions)})"
    count = history.log_bulk_delete(Note, where, (campaign_id, *regions))
    Note.delete().where((Note.campaign == campaign_id) & Note.sub_region.in_(regions)).execute()
    return count


def _remember(campaign, package, unit_id: int, batch, summary: dict, stamp: dict) -> None:
    try:
        as_of = dt.date.fromisoformat(stamp.get("as_of") or "")
    except ValueError:
        as_of = None
    row = SubRegionPackage.create(
        campaign=campaign.id, unit=unit_id, import_batch=batch.id, level=stamp.get("level") or "区县",
        organizer=stamp.get("organizer") or "", issued_at=stamp.get("issued_at") or "", as_of=as_of,
        file_name=package.path.name, sha256=package.sha256 if stamp.get("digest") else "", digest=stamp.get("digest") or "",
        counts=stamp.get("counts") or "{}", summary=json.dumps(summary, ensure_ascii=False), imported_at=dt.datetime.now())
    history.log_create(SubRegionPackage, row.id)
