"""The output-path guard: which files a writer must never (re)write, compared as files, not as strings."""

import os
import shutil
import sqlite3
from pathlib import Path

import pytest

from safetymonth_desktop.base import file_facts, files
from safetymonth_desktop.base.errors import AppError
from safetymonth_desktop.base.file_facts import is_within, same_file
from safetymonth_desktop.db import backup_folder, output_paths
from safetymonth_desktop.db.connection import close_database, open_database
from safetymonth_desktop.db.output_paths import check_output

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "schema_v3.sqlite"


@pytest.fixture
def data(tmp_path):
    folder = tmp_path / "data"
    folder.mkdir()
    db = folder / "正式.sqlite"
    shutil.copyfile(FIXTURE, db)
    return db


@pytest.mark.parametrize("name, needle", [
    ("正式.sqlite", "就是当前使用的数据库文件"),
    ("正式.sqlite-wal", "预写日志"),
    ("正式.sqlite-shm", "共享内存"),
    ("正式.sqlite-journal", "回滚日志"),
    ("正式.sqlite.lock", "锁文件"),
    ("正式.sqlite.lock-takeover", "锁文件"),
    ("backups/正式/safetymonth-20210101-000000-manual.sqlite", "备份文件夹"),
    ("backups/新的统计表.xlsx", "备份文件夹"),
    ("backups/试用/x.xlsx", "备份文件夹"),
    ("backups", "备份文件夹"),
])
def test_the_database_its_side_files_and_its_backups_are_refused(data, name, needle):
    (data.parent / "backups" / "正式").mkdir(parents=True)
    target = data.parent / name
    with pytest.raises(AppError, match=needle) as exc:
        check_output(target, database=data)
    assert str(target) in str(exc.value) and "请" in str(exc.value)


def test_side_files_are_refused_whether_they_exist_or_not(data):
    con = sqlite3.connect(data)
    con.execute("PRAGMA journal_mode=WAL")
    reader = sqlite3.connect(data)
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM hazard").fetchone()
    try:
        assert Path(str(data) + "-wal").exists()
        with pytest.raises(AppError, match="预写日志"):
            check_output(Path(str(data) + "-wal"), database=data)
    finally:
        reader.close()
        con.close()


def test_paths_are_compared_as_files(data, tmp_path):
    """`..`, a symlink to the database, a symlinked folder and a hard link are all the database."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    variants = [
        data.parent / "sub" / ".." / data.name,
        Path(os.path.relpath(data)),
    ]
    (data.parent / "sub").mkdir()
    link = elsewhere / "总结.docx"
    link.symlink_to(data)
    variants.append(link)
    folder_link = elsewhere / "folder"
    folder_link.symlink_to(data.parent, target_is_directory=True)
    variants += [folder_link / data.name, folder_link / (data.name + "-wal"), folder_link / "backups" / "a.xlsx"]
    hard = elsewhere / "hard.xlsx"
    os.link(data, hard)
    variants.append(hard)
    for variant in variants:
        with pytest.raises(AppError):
            check_output(variant, database=data)
    # ... and through a symlink to the database, its real file's side files are protected too
    db_link = elsewhere / "link.sqlite"
    db_link.symlink_to(data)
    with pytest.raises(AppError, match="预写日志"):
        check_output(data.parent / (data.name + "-wal"), database=db_link)
    with pytest.raises(AppError, match="就是当前使用的数据库文件"):
        check_output(data, database=db_link)


def test_names_differing_in_case_are_one_file_where_the_file_system_ignores_case(data, monkeypatch):
    upper = data.parent / data.name.upper().replace(".SQLITE", ".Sqlite")
    assert not same_file(upper, data)  # this file system (ext4) tells them apart: two files
    monkeypatch.setattr(file_facts, "ignores_case", lambda folder: True)  # as on Windows or a FAT stick
    assert same_file(upper, data) and same_file(Path(str(upper) + "-WAL"), Path(str(data) + "-wal"))
    with pytest.raises(AppError, match="预写日志"):
        check_output(data.parent / (data.name.upper() + "-WAL"), database=data)
    assert is_within(data.parent / "BACKUPS" / "x.xlsx", data.parent / "backups")


def test_the_commands_own_inputs_are_refused(tmp_path):
    form = tmp_path / "表样.xlsx"
    form.write_bytes(b"PK")
    with pytest.raises(AppError, match="就是本次要读取的表样“.*表样.xlsx”"):
        check_output(tmp_path / "x" / ".." / "表样.xlsx", database=None, inputs=[(form, "表样")])
    check_output(tmp_path / "结果.xlsx", database=None, inputs=[(form, "表样"), (None, "模板")])


def test_an_existing_database_anywhere_is_not_overwritten_by_an_export(data, tmp_path):
    other = tmp_path / "另一个.xlsx"
    shutil.copyfile(FIXTURE, other)
    with pytest.raises(AppError, match="是一个数据库"):
        check_output(other, database=data)


def test_a_read_only_output_is_refused_and_kept(tmp_path):
    target = tmp_path / "统计.xlsx"
    target.write_bytes(b"old")
    target.chmod(0o444)
    with pytest.raises(AppError, match="只读文件"):
        output_paths.write_output(target, lambda tmp: tmp.write_bytes(b"new"))
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["统计.xlsx"]


def test_writers_check_against_the_open_database(db_path):
    """Every writer of the clerk's outputs (output_paths.write_output) knows the open database without being
    told; the atomic writer below it cannot be called without saying which check it makes."""
    open_database(db_path)
    try:
        before = db_path.read_bytes()
        for target in (db_path, Path(str(db_path) + "-wal"), backup_folder.backup_dir(db_path) / "a.xlsx"):
            with pytest.raises(AppError):
                output_paths.write_output(target, lambda tmp: tmp.write_bytes(b"x" * 10), create_folder=True)
        assert db_path.read_bytes() == before
        with pytest.raises(TypeError, match="check"):
            files.write_atomically(db_path, lambda tmp: tmp.write_bytes(b"x" * 10))  # no check chosen
        assert db_path.read_bytes() == before
    finally:
        close_database()


@pytest.mark.parametrize("umask", [0o022, 0o077, 0o002])
def test_new_outputs_follow_the_umask_and_replaced_ones_keep_their_mode(tmp_path, umask):
    old = os.umask(umask)
    try:
        new = files.write_atomically(tmp_path / "new.xlsx", lambda tmp: tmp.write_bytes(b"x"), check=None)
    finally:
        os.umask(old)
    assert new.stat().st_mode & 0o777 == 0o666 & ~umask
    kept = tmp_path / "kept.docx"
    kept.write_bytes(b"old")
    kept.chmod(0o640)
    files.write_atomically(kept, lambda tmp: tmp.write_bytes(b"new"), check=None)
    assert kept.read_bytes() == b"new" and kept.stat().st_mode & 0o777 == 0o640
