"""Field types particular to this application (money kept exactly in 分; ids never reused)."""

from decimal import Decimal, InvalidOperation

import peewee as pw


class AutoIncrementField(pw.AutoField):
    """An integer primary key declared AUTOINCREMENT: SQLite never gives a deleted row's id to a new one.
    The same as playhouse.sqlite_ext's field of that name, which is not imported for it (start-up time:
    playhouse.sqlite_ext loads its full-text search machinery)."""

    def ddl(self, ctx):
        return pw.NodeList((super().ddl(ctx), pw.SQL("AUTOINCREMENT")))


class MoneyField(pw.IntegerField):
    """An amount of money: Decimal 元 in Python, an integer number of 分 in SQLite (exact sums in SQL)."""

    def db_value(self, value):
        if value is None:
            return None
        if isinstance(value, int):
            raise TypeError("MoneyField takes Decimal 元, not int")  # guards against 元/分 mix-ups
        try:
            return int((Decimal(str(value)) * 100).to_integral_value())
        except InvalidOperation as exc:
            raise ValueError(value) from exc

    def python_value(self, value):
        if value is None:
            return None
        return (Decimal(int(value)) / 100).quantize(Decimal("0.01"))


NOT_FIGURES = {"year", "record_id"}


def is_figure(field: pw.Field) -> bool:
    """Whether a field holds a figure shown grouped by thousands (a count or money; not a year or a reference)."""
    return (isinstance(field, pw.IntegerField) and not isinstance(field, pw.ForeignKeyField)
            and field.name not in NOT_FIGURES)
