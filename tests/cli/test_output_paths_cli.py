"""No path argument makes a command overwrite the database, its side files, its backups or its own input; a
read-only output is refused, and new outputs get the user's umask — each as the clerk runs it (subprocess)."""

import os
import shutil
import stat
from pathlib import Path

import pytest

from safetymonth_desktop.db.migrations import latest_version
from tests import unprivileged
from tests.db.util import cli

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / f"schema_v{latest_version()}.sqlite"


def refused(result, *needles):
    assert result.returncode == 1, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr and result.stderr.startswith("错误:"), result.stderr
    for needle in needles:
        assert needle in result.stderr, result.stderr


@pytest.fixture
def base(tmp_path):
    path = tmp_path / "base.sqlite"
    shutil.copyfile(FIXTURE, path)
    return path


@pytest.mark.parametrize("command, name", [
    (["stats", "--year", 2021], "d.xlsx"),
    (["template", "--year", 2021], "d.xlsx"),
    (["report", "--year", 2021, "--no-charts"], "d.docx"),
])
def test_the_database_named_as_the_output_is_refused_and_kept(base, tmp_path, command, name):
    """`cp base.sqlite d.xlsx; safetymonth --db d.xlsx stats --year 2021 -o d.xlsx` (issue 13)."""
    db = tmp_path / name
    shutil.copyfile(base, db)
    before = db.read_bytes()
    for output in (db, tmp_path / "sub" / ".." / name, Path(os.path.relpath(db, Path.cwd()))):
        (tmp_path / "sub").mkdir(exist_ok=True)
        result = cli("--db", db, *command, "-o", output)
        refused(result, "就是当前使用的数据库文件", "写入会毁掉全部数据")
    assert db.read_bytes() == before
    assert cli("--db", db, "check").returncode == 0


def test_a_symlink_to_the_database_as_output_is_refused(base, tmp_path):
    link = tmp_path / "统计表.xlsx"
    link.symlink_to(base)
    before = base.read_bytes()
    refused(cli("--db", base, "stats", "--year", 2021, "-o", link), "就是当前使用的数据库文件")
    # the other way round: the database reached through a symlink, its real file given as the output
    real = tmp_path / "real.xlsx"
    shutil.copyfile(base, real)
    db_link = tmp_path / "link.sqlite"
    db_link.symlink_to(real)
    (tmp_path / "x").mkdir()
    refused(cli("--db", db_link, "template", "--year", 2021, "-o", tmp_path / "x" / ".." / "real.xlsx"),
            "就是当前使用的数据库文件")
    assert base.read_bytes() == before == real.read_bytes() and link.is_symlink()


@pytest.mark.parametrize("suffix, needle", [("-wal", "预写日志"), ("-shm", "共享内存"), ("-journal", "回滚日志"),
                                            (".lock", "锁文件")])
def test_backup_onto_a_side_file_of_the_database_is_refused(base, suffix, needle):
    """`backup -o db.sqlite-wal` overwrote the live WAL (issue 13); also reached through `..`."""
    (base.parent / "x").mkdir()
    for target in (Path(str(base) + suffix), base.parent / "x" / ".." / (base.name + suffix)):
        refused(cli("--db", base, "backup", "-o", target), needle)
        assert not Path(str(base) + suffix).exists()


def test_nothing_is_written_into_the_backups_folder(base):
    assert cli("--db", base, "backup").returncode == 0
    own = base.parent / "backups" / "base"
    [made] = list(own.iterdir())
    before = made.read_bytes()
    for output in (own / "统计.xlsx", base.parent / "backups" / "统计.xlsx"):
        refused(cli("--db", base, "stats", "--year", 2021, "-o", output), "备份文件夹")
    refused(cli("--db", base, "backup", "-o", made), "备份文件夹")
    refused(cli("--db", base, "backup", "-o", own), "备份文件夹")
    assert [p.name for p in own.iterdir()] == [made.name] and made.read_bytes() == before
    assert not (base.parent / "backups" / "统计.xlsx").exists()


def test_a_commands_own_input_is_never_its_output(base, tmp_path):
    """`report --template t.docx -o t.docx`, `stats --form f.xlsx -o f.xlsx` (issue 13)."""
    template = tmp_path / "t.docx"
    assert cli("--db", base, "report", "--year", 2021, "--no-charts", "-o", template).returncode == 0
    form = tmp_path / "f.xlsx"
    assert cli("--db", base, "stats", "--year", 2021, "-o", form).returncode == 0
    kept = {p: p.read_bytes() for p in (template, form)}
    for output in (template, tmp_path / "x" / ".." / "t.docx"):
        (tmp_path / "x").mkdir(exist_ok=True)
        refused(cli("--db", base, "report", "--year", 2021, "--no-charts", "--template", template, "-o", output),
                "就是本次要读取的模板")
    link = tmp_path / "link.xlsx"
    link.symlink_to(form)
    for output in (form, link):
        refused(cli("--db", base, "stats", "--year", 2021, "--form", form, "-o", output), "就是本次要读取的表样")
    assert {p: p.read_bytes() for p in kept} == kept


def test_backup_never_overwrites_another_database(base, tmp_path):
    other = tmp_path / "试用.sqlite"
    shutil.copyfile(FIXTURE, other)
    assert cli("--db", other, "campaign", "--year", 2023).returncode == 0  # its writer gives it its own id
    assert cli("--db", base, "campaign", "--year", 2024).returncode == 0
    before = other.read_bytes()
    refused(cli("--db", base, "backup", "-o", other), "另一个数据库")
    assert other.read_bytes() == before
    # an earlier copy of the same database on a USB stick is replaced by the newer one
    usb = tmp_path / "usb.sqlite"
    assert cli("--db", base, "backup", "-o", usb).returncode == 0
    assert cli("--db", base, "campaign", "--year", 2025).returncode == 0
    assert cli("--db", base, "backup", "-o", usb).returncode == 0


@pytest.mark.parametrize("command, name", [
    (["stats", "--year", 2021], "统计.xlsx"),
    (["report", "--year", 2021, "--no-charts"], "总结.docx"),
    (["template", "--year", 2021], "模板.xlsx"),
    (["backup"], "备份.sqlite"),
])
def test_a_read_only_output_is_refused_not_silently_replaced(base, tmp_path, command, name):
    target = tmp_path / name
    assert cli("--db", base, *command, "-o", target).returncode == 0
    target.chmod(0o444)
    before = target.read_bytes()
    for run in (cli, unprivileged.run_cli):  # as root (CI) and as a clerk
        refused(run("--db", base, *command, "-o", target), "只读文件", name)
    assert target.read_bytes() == before and stat.S_IMODE(target.stat().st_mode) == 0o444
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


@pytest.mark.parametrize("umask", [0o022, 0o027])
def test_new_outputs_get_the_users_umask(base, tmp_path, umask):
    code = ("import os, sys\nos.umask(int(sys.argv[1]))\n"
            "from safetymonth_desktop.cli import main\nsys.exit(main(sys.argv[2:]))\n")
    outputs = {"统计.xlsx": ["stats", "--year", 2021], "总结.docx": ["report", "--year", 2021, "--no-charts"],
               "模板.xlsx": ["template", "--year", 2021]}
    for name, command in outputs.items():
        result = unprivileged.run_python(code, umask, "--db", base, *command, "-o", tmp_path / name)
        assert result.returncode == 0, result.stderr
        assert stat.S_IMODE((tmp_path / name).stat().st_mode) == 0o666 & ~umask, name
