"""Text files as users write them: UTF-8 with or without a byte-order mark, any line end,
tab-separated fields with spreadsheet quoting and stray spaces."""
from __future__ import annotations

from pathlib import Path

from ..core.errors import InputError


def lines_of(path: Path, what: str) -> list[str]:
    """The lines of a text file as a user's editor or spreadsheet writes it: UTF-8 with or
    without a byte-order mark, LF, CRLF or CR line ends."""
    import re
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = raw[:e.start].count(b"\n") + 1
        raise InputError(f"{what} {path}, line {line}: byte {raw[e.start]:#04x} is not UTF-8 text. Fix: save the file "
                         f"as UTF-8 (in a spreadsheet: 'Unicode/UTF-8 text, tab-separated')") from None
    lines = re.split(r"\r\n|\r|\n", text)
    return lines[:-1] if lines and lines[-1] == "" else lines


def fields_of(line: str) -> list[str]:
    """A tab-separated line's fields, stripped of spaces and of spreadsheet quoting ("x")."""
    import csv
    return [f.strip() for f in next(csv.reader([line], delimiter="\t"), [])]


def some(lines: list[int], k: int = 5) -> str:
    return ", ".join(map(str, lines[:k])) + (f" (and {len(lines) - k} more)" if len(lines) > k else "")
