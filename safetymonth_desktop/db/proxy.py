"""The database every model is bound to: a peewee proxy that db/connection.py points at a file, and which
file that is now. Kept apart from the opening machinery so that the models, and whatever needs to know the
open file (the output check, the crash log), sit below it."""

from __future__ import annotations

from pathlib import Path

import peewee as pw

database = pw.DatabaseProxy()


def current_path() -> Path | None:
    """The file the models are bound to now."""
    db = database.obj
    return Path(db.database) if db is not None else None
