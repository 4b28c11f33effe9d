"""Reading and writing exchange files: CSV (UTF-8, with or without a byte-order mark, as Excel
saves it) and XLSX (the first sheet). The first row names the columns; each later row is a case.

Column names are matched without regard to case or surrounding spaces. A column the format does
not know is refused rather than ignored, so a misspelt heading never drops a council's data.
Text is written so no spreadsheet runs it as a formula, and read back as it was
(`complaints.spreadsheet_cells`).

An XLSX workbook is a zip archive of XML files. Before openpyxl opens one, its zip directory is
checked against the limits below, so a small file that would unpack to gigabytes (a "zip bomb")
is refused with the reason instead of filling the memory or the disk.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from complaints.errors import DomainError
from complaints.exchange.cells import Cell
from complaints.exchange.columns import COLUMN_NAMES, REQUIRED_COLUMNS
from complaints.spreadsheet_cells import inert_text, restored_text

MAX_FILE_BYTES = 200 * 1024 * 1024
MAX_CELL_CHARACTERS = 100_000
# A workbook's limits once unpacked: 1 GB of XML holds about what a 200 MB CSV file does; a
# workbook has a dozen parts; a real sheet packs about 15 to 1, a zip bomb a thousand or more.
MAX_UNPACKED_BYTES = 1024 * 1024 * 1024
MAX_WORKBOOK_PARTS = 1_000
MAX_PACKING_RATIO = 100


@dataclass(frozen=True)
class SourceRow:
    """One case row of a file, with its row number as a spreadsheet shows it (headings: 1)."""

    row: int
    cells: dict[str, Cell]
    problems: tuple[str, ...] = ()  # what is wrong with the row's shape, before its values


def read_rows(path: Path) -> list[SourceRow]:
    """Every case row of a CSV or XLSX file, after checking its headings."""
    if not path.is_file():
        raise DomainError(f"there is no file {path}")
    if path.stat().st_size > MAX_FILE_BYTES:
        raise DomainError(f"{path.name} is larger than {MAX_FILE_BYTES // 1024 // 1024} MB")
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return list(_csv_rows(path))
    if suffix == ".xlsx":
        return list(_xlsx_rows(path))
    raise DomainError(f"{path.name} is not a .csv or .xlsx file")


def write_csv(rows: Iterable[dict[str, str]], out: IO[str]) -> int:
    """Write rows with the format's headings; returns how many rows were written."""
    writer = csv.DictWriter(out, fieldnames=COLUMN_NAMES, lineterminator="\r\n")
    writer.writeheader()
    count = 0
    for row in rows:
        writer.writerow({name: inert_text(value) for name, value in row.items()})
        count += 1
    return count


def write_xlsx(rows: Iterable[dict[str, str]], path: Path) -> int:
    """Write rows as the first sheet of an XLSX workbook; returns how many rows were written."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Cases")
    sheet.append(list(COLUMN_NAMES))
    count = 0
    for row in rows:
        sheet.append([inert_text(row[name]) for name in COLUMN_NAMES])
        count += 1
    workbook.save(path)
    return count


def _csv_rows(path: Path) -> Iterator[SourceRow]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        raise DomainError(
            f"{path.name} is not UTF-8 text (byte {error.start}); save it as CSV UTF-8"
        ) from None
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        headings = _headings(next(reader, []), path.name)
        for number, values in enumerate(reader, start=2):
            if any(value.strip() for value in values):
                yield _source_row(number, headings, list(values))
    except csv.Error as error:
        raise DomainError(f"{path.name} line {reader.line_num}: not valid CSV ({error})") from None


def _xlsx_rows(path: Path) -> Iterator[SourceRow]:
    from openpyxl import load_workbook  # imported here: only XLSX imports need it

    _check_unpacked_size(path)
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise DomainError(f"{path.name} is not a readable XLSX workbook ({error})") from None
    try:
        rows = workbook.worksheets[0].iter_rows(values_only=True)
        headings = _headings([str(value or "") for value in next(rows, ())], path.name)
        for number, values in enumerate(rows, start=2):
            if any(value not in (None, "") for value in values):
                yield _source_row(number, headings, list(values))
    finally:
        workbook.close()


def _check_unpacked_size(path: Path) -> None:
    """Refuse a workbook that would unpack beyond the limits, judged from its zip directory
    alone, before anything is unpacked."""
    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError) as error:
        raise DomainError(f"{path.name} is not a readable XLSX workbook ({error})") from None
    # zipfile never unpacks a part beyond the size the directory declares for it (it stops
    # there, and a part whose content differs fails its checksum), so these are upper bounds.
    unpacked = sum(part.file_size for part in parts)
    packed = sum(part.compress_size for part in parts)
    refused = f"{path.name} is refused and nothing was imported"
    if len(parts) > MAX_WORKBOOK_PARTS:
        raise DomainError(
            f"{refused}: it holds {len(parts):,} files, more than the {MAX_WORKBOOK_PARTS:,} "
            "a workbook may have"
        )
    if unpacked > MAX_UNPACKED_BYTES:
        raise DomainError(
            f"{refused}: unpacked it would be {_megabytes(unpacked)}, more than the "
            f"{_megabytes(MAX_UNPACKED_BYTES)} allowed"
        )
    if unpacked > MAX_PACKING_RATIO * max(packed, 1):
        raise DomainError(
            f"{refused}: it would unpack to {unpacked // max(packed, 1):,} times its size, more "
            f"than the {MAX_PACKING_RATIO} times a spreadsheet does (it may be a zip bomb)"
        )


def _megabytes(size: int) -> str:
    megabytes = size / 1024 / 1024
    return f"{megabytes:,.0f} MB" if megabytes >= 1 else f"{size:,} bytes"


def _headings(cells: list[str], file_name: str) -> list[str]:
    headings = [cell.strip().lower() for cell in cells]
    unknown = [heading for heading in headings if heading and heading not in COLUMN_NAMES]
    if unknown:
        raise DomainError(
            f"{file_name}: unknown columns {', '.join(unknown)}; the columns are listed in "
            "docs/import-export.md"
        )
    missing = [name for name in REQUIRED_COLUMNS if name not in headings]
    if missing:
        raise DomainError(f"{file_name}: required columns missing: {', '.join(missing)}")
    repeated = sorted({heading for heading in headings if heading and headings.count(heading) > 1})
    if repeated:
        raise DomainError(f"{file_name}: columns given twice: {', '.join(repeated)}")
    return headings


def _source_row(number: int, headings: list[str], values: list[Cell]) -> SourceRow:
    problems = []
    if any(str(value or "").strip() for value in values[len(headings) :]):
        problems.append("the row has more cells than there are headings")
    cells: dict[str, Cell] = {}
    for heading, value in zip(headings, values, strict=False):
        if isinstance(value, str) and len(value) > MAX_CELL_CHARACTERS:
            problems.append(f"{heading}: is longer than {MAX_CELL_CHARACTERS} characters")
        elif heading:
            cells[heading] = restored_text(value) if isinstance(value, str) else value
    return SourceRow(number, cells, tuple(problems))
