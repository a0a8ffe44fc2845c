"""Photo files onto a record: each file read by `photo_reading` (bounded, rotated, print size), the good ones attached
through `services.photos` as one change group, every bad one named with what to do. Reading happens before the
database is touched, so a slow or broken file never holds a transaction open."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from safetymonth_desktop.exchange.photo_reading import PhotoError, read_photo
from safetymonth_desktop.services import photos


@dataclass
class AddResult:
    added: list = field(default_factory=list)      # the Photo rows created
    problems: list[str] = field(default_factory=list)  # one Chinese message per file not added
    cancelled: bool = False

    def message(self) -> str:
        lines = [f"已添加 {len(self.added)} 张图片。"] if self.added else ["没有添加图片。"]
        if self.cancelled:
            lines.append("已取消,其余文件未添加。")
        if self.problems:
            lines.append(f"以下 {len(self.problems)} 个文件未添加:")
            lines += [f"· {p}" for p in self.problems]
        return "\n".join(lines)


def add_files(model, record_id: int, paths, *, progress: Callable[[int, int], None] | None = None,
              cancelled: Callable[[], bool] | None = None) -> AddResult:
    """Attach the photos in `paths` to one record (after its existing ones, in the order given)."""
    photos.record_of(model, record_id)  # the record can carry photos and exists: said before any file is read
    paths = [Path(p) for p in paths]
    result, pictures = AddResult(), []
    for n, path in enumerate(paths):
        if cancelled is not None and cancelled():
            result.cancelled = True
            break
        try:
            pictures.append(read_photo(path))
        except PhotoError as exc:
            result.problems.append(str(exc))
        if progress is not None:
            progress(n + 1, len(paths))
    if pictures:
        room = photos.MAX_PHOTOS_PER_RECORD - len(photos.photos_of(model, record_id))
        for picture in pictures[max(room, 0):]:
            result.problems.append(f"“{picture.file_name}”未添加:每条记录最多 {photos.MAX_PHOTOS_PER_RECORD} 张图片。")
        result.added = photos.attach(model, record_id, pictures[:max(room, 0)])
    return result
