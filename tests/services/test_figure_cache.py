"""The figure cache (services/figure_cache.py) never serves a value SQL would not give: after every write of a
random sequence — records created, edited and deleted, workbooks imported and replaced, undo and redo, units
merged, roster edits — the cached catalogue equals a fresh computation of every figure, for this year and the
year before, and for two as-of dates. Plus: a write makes the cache stale in its own transaction, a rolled
back write leaves it valid, a reader beside the writer never stores, and a file changed behind the generation's
back (another version of the application) is not read from the cache."""

import datetime as dt
import sqlite3
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from safetymonth_desktop.db import models as m
from safetymonth_desktop.db.connection import close_database, database, open_database
from safetymonth_desktop.exchange import xlsx_import
from safetymonth_desktop.services import campaigns, figure_cache, history, indicators, records, roster, units
from safetymonth_desktop.base.errors import AppError, ValidationError

from tests.exchange.test_xlsx_import import HAZARD_HEADERS, write_book

TODAY = dt.date(2021, 7, 15)
LATER = dt.date(2021, 12, 31)
UNIT_NAMES = ("甲街道", "乙局", "丙镇")


def _book(path: Path, unit: str, rows: int, seed: int) -> Path:
    hazards = [HAZARD_HEADERS]
    for i in range(rows):
        done = (i + seed) % 3 == 0
        hazards.append([unit, f"企业{seed}-{i}", "建筑施工" if i % 2 else "危险化学品", dt.date(2021, 6, 1 + i % 20),
                        "通道堵塞", "已整改" if done else "整改中", dt.date(2021, 6, 25) if done else None,
                        100 * (i + seed), "重大" if i % 5 == 0 else "一般", "整改", "张某"])
    training = [["填报单位", "培训类别", "培训名称", "开始日期", "期(场)数", "参训人次"],
                [unit, "以会代训", f"培训{seed}", dt.date(2021, 6, 3), 1 + seed % 3, 20 * (seed + 1)]]
    return write_book(path, {"隐患台账": hazards, "培训": training})


@pytest.fixture(scope="module")
def books(tmp_path_factory):
    folder = tmp_path_factory.mktemp("books")
    return [_book(folder / f"book{i}.xlsx", UNIT_NAMES[i % 2], 3 + i, i) for i in range(3)]


def _check(cids) -> None:
    for cid in cids:
        for day in (TODAY, LATER):
            cached = indicators.compute_all(cid, today=day)  # filled or read
            again = indicators.cached_all(cid, today=day)
            fresh = indicators.fresh_all(cid, today=day)
            assert again is not None, "a computation made under the current stamp is stored"
            assert cached == fresh and again == fresh
            assert list(again) == list(fresh)  # catalogue order kept
            assert {k: type(v) for k, v in again.items()} == {k: type(v) for k, v in fresh.items()}


ACTIONS = ("create", "edit", "delete", "delete_many", "import", "import_replace", "undo", "redo", "merge", "roster_add",
           "roster_remove", "new_unit", "delete_unit", "campaign_delete_undo", "rolled_back")


def _apply(action: str, data, state: dict, books) -> None:
    cid = state["cid"]
    draw = data.draw
    ids = lambda model: [r.id for r in model.select(model.id).where(model.campaign == cid)]  # noqa: E731
    unit_ids = [u.id for u in m.Unit.select(m.Unit.id)]
    try:
        if action == "create":
            model = draw(st.sampled_from((m.Hazard, m.Training, m.Material, m.Event)))
            unit = draw(st.sampled_from(unit_ids))
            values = {m.Hazard: dict(enterprise="厂", description="隐患", found_date="2021-6-2", industry="建筑施工",
                                     status=draw(st.sampled_from(("已整改", "整改中"))), rectified_date="2021-6-20",
                                     funding=draw(st.integers(0, 10**6)), level=draw(st.sampled_from(("一般", "重大"))),
                                     deadline=draw(st.sampled_from(("2021-6-30", "2021-8-1")))),
                      m.Training: dict(category="以会代训", sessions=draw(st.integers(1, 4)),
                                       participants=draw(st.integers(0, 500))),
                      m.Material: dict(kind="宣传挂图", quantity=draw(st.integers(0, 9000)), cost=draw(st.integers(0, 99999))),
                      m.Event: dict(kind=draw(st.sampled_from(("安全宣传咨询日", "应急演练"))),
                                    participants=draw(st.integers(0, 3000)), desks=draw(st.integers(0, 9)))}[model]
            if model is m.Hazard and values["status"] == "整改中":
                values["rectified_date"] = None
            records.create(model, cid, {"unit": unit, **values})
            state["groups"].append(history.last_group())
        elif action == "edit":
            hazard_ids = ids(m.Hazard)
            if hazard_ids:
                records.update(m.Hazard, draw(st.sampled_from(hazard_ids)),
                               {"funding": draw(st.integers(0, 10**6)), "level": draw(st.sampled_from(("一般", "重大")))})
                state["groups"].append(history.last_group())
        elif action == "delete":
            model = draw(st.sampled_from((m.Hazard, m.Training)))
            found = ids(model)
            if found:
                records.delete(model, draw(st.sampled_from(found)))
                state["groups"].append(history.last_group())
        elif action == "delete_many":
            found = ids(m.Hazard)
            if found:
                records.delete_many(m.Hazard, found[: draw(st.integers(1, 3))])
                state["groups"].append(history.last_group())
        elif action in ("import", "import_replace"):
            book = draw(st.sampled_from(books))
            [result] = xlsx_import.import_files([book], state["year"], create_units=True,
                                                replace=action == "import_replace", backup=False)
            if result.status == xlsx_import.IMPORTED:
                state["groups"].append(history.last_group())
        elif action == "undo":
            if state["groups"]:
                group = state["groups"].pop()
                state["redo"].append(history.revert_group(group))
        elif action == "redo":
            if state["redo"]:
                state["groups"].append(history.revert_group(state["redo"].pop()))
        elif action == "merge":
            if len(unit_ids) >= 2:
                keep, drop = draw(st.permutations(unit_ids))[:2]
                units.merge_units(keep, drop)
                state["groups"].clear()  # the GUI clears its undo stack after a merge too
                state["redo"].clear()
        elif action == "roster_add":
            unlisted = sorted(set(unit_ids) - roster.unit_ids(cid))
            if unlisted:
                roster.add(cid, draw(st.sampled_from(unlisted)))
        elif action == "roster_remove":
            listed = sorted(roster.unit_ids(cid))
            if listed:
                roster.remove(cid, draw(st.sampled_from(listed)))
        elif action == "new_unit":
            state["n"] += 1
            units.create_unit(f"新单位{state['n']}", kind="企业", campaign=cid)
        elif action == "delete_unit":
            units.delete_unit(draw(st.sampled_from(unit_ids)), campaign=cid)
        elif action == "campaign_delete_undo":
            previous = campaigns.find(state["year"] - 1)
            if previous is not None:
                campaigns.delete(state["year"] - 1)
                history.revert_group(history.last_group())
        elif action == "rolled_back":
            with pytest.raises(ZeroDivisionError), database.atomic():
                records.create(m.Meeting, cid, {"kind": "部署会", "title": "回滚"})
                1 / 0
    except (ValidationError, AppError):
        pass  # a refused write changes nothing; the check below still runs


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(data=st.data(), actions=st.lists(st.sampled_from(ACTIONS), min_size=3, max_size=10))
def test_cached_catalogue_equals_sql_after_random_writes(books, data, actions):
    random_writes(books, data, actions, _check)


def random_writes(books, data, actions, check) -> None:
    """Two years in a fresh database, then `actions` drawn by hypothesis one after the other; `check(campaign
    ids)` after setting up and after every action (also used by test_figure_cache_rows.py)."""
    with tempfile.TemporaryDirectory() as tmp:
        open_database(Path(tmp) / "cache.sqlite")
        try:
            before = campaigns.save(2020, region="测试区")[0]
            c = campaigns.save(2021, region="测试区")[0]
            for name in UNIT_NAMES:
                units.create_unit(name, kind="街道/乡镇", campaign=c)
            records.create(m.Training, before, {"unit": units.find_unit("甲街道").id, "category": "以会代训",
                                                "sessions": 2, "participants": 30})
            state = {"cid": c.id, "year": 2021, "groups": [], "redo": [], "n": 0}
            check([c.id, before.id])
            for action in actions:
                _apply(action, data, state, books)
                check([x.id for x in m.Campaign.select()])
        finally:
            close_database()


def test_a_write_bumps_the_generation_in_its_own_transaction(campaign):
    unit = units.create_unit("甲街道", campaign=campaign)
    indicators.compute_all(campaign, today=TODAY)
    assert indicators.cached_all(campaign, today=TODAY) is not None
    generation = figure_cache.generation()
    with pytest.raises(ZeroDivisionError), database.atomic():
        records.create(m.Training, campaign, {"unit": unit.id, "category": "以会代训", "sessions": 1, "participants": 5})
        assert indicators.cached_all(campaign, today=TODAY) is None  # stale inside the write already
        1 / 0
    assert figure_cache.generation() == generation  # rolled back with the write
    assert indicators.cached_all(campaign, today=TODAY) is not None  # and the cache is still good
    records.create(m.Training, campaign, {"unit": unit.id, "category": "以会代训", "sessions": 1, "participants": 5})
    assert figure_cache.generation() > generation
    assert indicators.cached_all(campaign, today=TODAY) is None
    assert indicators.compute_all(campaign, today=TODAY)["training.participants"] == 5


def test_stale_entries_are_dropped_and_dates_kept_apart(campaign):
    unit = units.create_unit("甲街道", campaign=campaign)
    records.create(m.Hazard, campaign, {"unit": unit.id, "enterprise": "厂", "description": "隐患", "found_date": "2021-6-2", "industry": "建筑施工",
                                        "deadline": "2021-7-1", "status": "整改中"})
    early = indicators.compute_all(campaign, today=dt.date(2021, 6, 15))
    late = indicators.compute_all(campaign, today=TODAY)
    assert (early["hazards.overdue"], late["hazards.overdue"]) == (0, 1)  # as-of date is part of the key
    keys = lambda: [s.key for s in m.AppSetting.select().where(m.AppSetting.key.startswith(figure_cache.PREFIX))]  # noqa: E731
    assert len(keys()) == 2
    records.update(m.Hazard, m.Hazard.select().first().id, {"status": "已整改", "rectified_date": "2021-7-2"})
    assert indicators.compute_all(campaign, today=TODAY)["hazards.overdue"] == 0
    assert len(keys()) == 1  # the stale entries went when the new one was stored


def test_a_file_changed_behind_the_generation_is_not_read_from_the_cache(campaign, db_path):
    """An older version of the application logs its writes but does not bump the generation."""
    unit = units.create_unit("甲街道", campaign=campaign)
    assert indicators.compute_all(campaign, today=TODAY)["training.participants"] == 0
    con = sqlite3.connect(db_path)
    with con:
        con.execute('INSERT INTO "training" (campaign_id, unit_id, category, title, sessions, participants, notes, venue) '
                    "VALUES (?, ?, '以会代训', '旧版本', 1, 40, '', '')", (campaign.id, unit.id))
        con.execute('INSERT INTO "change_log" ("at", "group", "table", record_id, action) '
                    "VALUES (datetime('now'), 'old', 'training', last_insert_rowid(), 'create')")
    con.close()
    assert indicators.cached_all(campaign, today=TODAY) is None
    assert indicators.compute_all(campaign, today=TODAY)["training.participants"] == 40


def test_a_reader_beside_the_writer_never_stores(campaign, db_path):
    from safetymonth_desktop.db.lock import DatabaseLock

    with DatabaseLock(db_path, program="其他进程"):  # another process is the one writer
        indicators.compute_all(campaign, today=TODAY)
        assert indicators.cached_all(campaign, today=TODAY) is None
    indicators.compute_all(campaign, today=TODAY)
    assert indicators.cached_all(campaign, today=TODAY) is not None


def test_figures_command_reads_what_the_gui_stored(campaign, db_path):
    """`figures --json` in a fresh process gives the SQL's values, whether the cache was filled or not."""
    import json
    import subprocess
    import sys

    unit = units.create_unit("甲街道", campaign=campaign)
    records.create(m.Material, campaign, {"unit": unit.id, "kind": "宣传挂图", "quantity": 30, "cost": "1500.50"})
    expected = indicators.to_json(indicators.fresh_all(campaign))
    close_database()
    run = lambda: subprocess.run([sys.executable, "-m", "safetymonth_desktop", "--db", str(db_path), "figures",  # noqa: E731
                                  "--year", "2021", "--json"], capture_output=True, text=True, timeout=120)
    first, second = run(), run()
    open_database(db_path)
    assert first.returncode == 0 and second.returncode == 0, first.stderr + second.stderr
    assert json.loads(first.stdout) == expected == json.loads(second.stdout)
    assert indicators.cached_all(campaign) is not None  # the first run stored them (no writer held the lock)
