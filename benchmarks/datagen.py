"""Synthetic years of any size for benchmarks: bulk rows through the sqlite3 cursor (executemany), valid by
the rules of DATA.md, spread over every record type the way a real year is (mostly hazard ledger rows)."""

from __future__ import annotations

import datetime as dt
import random

from safetymonth_desktop.base import vocab
from safetymonth_desktop.db import models as m
from safetymonth_desktop.db.connection import database
from safetymonth_desktop.services import campaigns, figure_cache, units

# Share of each record type in a synthetic year.
MIX = {m.Hazard: 0.70, m.Training: 0.05, m.Material: 0.06, m.Media: 0.05, m.Event: 0.06,
       m.CampaignAction: 0.04, m.Inspection: 0.02, m.Instruction: 0.005, m.Meeting: 0.005, m.Document: 0.005,
       m.Body: 0.005}


def make_units(count: int = 60) -> list[int]:
    ids = []
    for i in range(count):
        unit = units.find_unit(f"单位{i:03d}") or units.create_unit(f"单位{i:03d}", kind=vocab.UNIT_KINDS[i % 5])
        ids.append(unit.id)
    return ids


def _row(model, rnd: random.Random, year: int, unit_ids: list[int], i: int) -> dict:
    day = dt.date(year, 6, 1 + i % 28).isoformat()
    unit = unit_ids[i % len(unit_ids)]
    if model is m.Hazard:
        done = rnd.random() < 0.85
        return dict(unit_id=unit, enterprise=f"企业{i}", industry=vocab.INDUSTRIES[i % 9], found_date=day,
                    source=vocab.HAZARD_SOURCES[i % 5], description="消防通道堵塞,安全出口标志缺失", level="一般",
                    measures="限期整改", responsible="负责人", deadline=dt.date(year, 7, 1 + i % 28).isoformat(),
                    funding=rnd.randint(0, 500000), status="已整改" if done else "整改中",
                    rectified_date=dt.date(year, 6, 28).isoformat() if done else None)
    if model is m.Training:
        return dict(unit_id=unit, category=vocab.TRAINING_CATEGORIES[i % 7], title=f"培训{i}", start_date=day,
                    end_date=day, sessions=1 + i % 3, participants=rnd.randint(10, 300), venue="培训中心")
    if model is m.Material:
        kind = vocab.MATERIAL_KINDS[i % 8]
        return dict(unit_id=unit, kind=kind, name=f"宣传品{i}", quantity=rnd.randint(10, 5000),
                    measure=vocab.DEFAULT_MEASURE[kind], cost=rnd.randint(0, 1000000))
    if model is m.Media:
        return dict(unit_id=unit, channel=vocab.MEDIA_CHANNELS[i % 11], outlet=f"账号{i % 40}", items=rnd.randint(1, 30),
                    reach=rnd.randint(100, 50000), description="安全提示")
    if model is m.Event:
        kind = vocab.EVENT_KINDS[i % 12]
        return dict(unit_id=unit, kind=kind, date=day, title=f"活动{i}", venue="广场", participants=rnd.randint(20, 3000),
                    desks=rnd.randint(1, 20), boards=rnd.randint(1, 50), materials=rnd.randint(100, 5000))
    if model is m.CampaignAction:
        found = rnd.randint(0, 100)
        return dict(unit_id=unit, action=f"专项行动{i % 20}", industry=vocab.INDUSTRIES[i % 9], teams=rnd.randint(1, 9),
                    personnel=rnd.randint(5, 200), inspected=rnd.randint(5, 300), hazards_found=found,
                    hazards_rectified=rnd.randint(0, found), penalties=rnd.randint(0, 5), fines=rnd.randint(0, 5000000),
                    shutdowns=rnd.randint(0, 2))
    if model is m.Inspection:
        found = rnd.randint(0, 8)
        return dict(date=day, team="督查组", leader="带队领导", kind=vocab.INSPECTION_KINDS[i % 4], target_id=unit,
                    focus=vocab.INSPECTION_FOCUS[i % 4], problems_found=found, problems="问题",
                    requests="限期整改", problems_rectified=rnd.randint(0, found))
    if model is m.Instruction:
        return dict(date=day, leader=f"领导{i % 9}", title="区长", occasion="常务会议", content="讲话要点")
    if model is m.Meeting:
        return dict(date=day, kind=vocab.MEETING_KINDS[i % 6], title=f"会议{i}", host="区安委会", attendees=50, content="部署")
    if model is m.Document:
        return dict(doc_no=f"安委〔{year}〕{i}号", title=f"文件{i}", date=day, issuer="区安委会")
    return dict(name=f"机构{i}", lead="领导", office="区应急管理局", duties="组织协调")


def fill_year(year: int, total: int, *, seed: int = 1, only=None) -> m.Campaign:
    """Create `year` (if needed) holding about `total` synthetic records; `only` restricts to one model."""
    campaign = campaigns.find(year) or campaigns.save(year, region="基准区", organizer="区政府安委会")[0]
    unit_ids = make_units()
    rnd = random.Random(seed)
    mix = {only: 1.0} if only else MIX
    with database.atomic():
        cursor = database.cursor()
        for model, share in mix.items():
            count = max(1, int(total * share))
            defaults = {f.column_name: f.default for f in m.user_fields(model)
                        if f.default is not None and not callable(f.default)}
            columns = ["campaign_id", *{**defaults, **_row(model, random.Random(0), year, unit_ids, 0)}]
            sql = (f'INSERT INTO "{model._meta.table_name}" ({", ".join(columns)}) '
                   f'VALUES ({", ".join("?" for _ in columns)})')
            # A generator, so a million rows never sit in memory at once.
            rows = ({**defaults, **_row(model, rnd, year, unit_ids, i)} for i in range(count))
            cursor.executemany(sql, ((campaign.id, *(r[c] for c in columns[1:])) for r in rows))
        figure_cache.bump()  # written past the change history: the cached figures are stale now
    return campaign
