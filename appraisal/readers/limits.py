"""Bounds on what a proposal file may hold, checked before it is parsed, so that no file can hang the engine or exhaust memory.

* An ``.xlsx`` is a zip: it is refused before opening if it is larger than :data:`MAX_FILE_BYTES`, has more
  than :data:`MAX_MEMBERS` members, or its members would expand past :data:`MAX_EXPANDED_BYTES` (a filled
  template expands to about 1 MB). Its XML is parsed by openpyxl through defusedxml (a dependency), which
  refuses entity definitions, so an entity-expansion ("billion laughs") file is refused too.
* A YAML proposal is refused if larger than :data:`MAX_FILE_BYTES`, or if it uses an alias (``*name``), which
  could expand without bound; a proposal needs none.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import yaml

from appraisal.errors import InFile, Problem

#: Largest proposal file read, in bytes.
MAX_FILE_BYTES = 20_000_000
#: Largest total size the members of an .xlsx may expand to, in bytes (a filled template is about 1 MB).
MAX_EXPANDED_BYTES = 20_000_000
#: Largest YAML proposal, in bytes (a proposal is about 10 KB).
MAX_YAML_BYTES = 1_000_000
#: Deepest nesting of brackets, and most leading spaces on a line, a YAML proposal may have (a proposal needs 3 and 6).
MAX_YAML_DEPTH = 40
MAX_YAML_INDENT = 160
#: Most members an .xlsx may hold.
MAX_MEMBERS = 2_000


def _mb(n: int) -> str:
    return f"{n / 1_000_000:,.0f} MB"


def file_size_problem(path: Path) -> Problem | None:
    """A problem if the file is larger than :data:`MAX_FILE_BYTES`."""
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        return Problem("file.too_large", InFile(str(path)), _mb(size), f"a proposal file of at most {_mb(MAX_FILE_BYTES)}")
    return None


def xlsx_problem(path: Path) -> Problem | None:
    """A problem if an .xlsx is too large, has too many members, or would expand past the limit; None if it may be opened.

    A file that is not a zip is left to the reader, which refuses it as unreadable.
    """
    big = file_size_problem(path)
    if big is not None:
        return big
    try:
        with zipfile.ZipFile(path) as z:
            members = z.infolist()
    except (zipfile.BadZipFile, OSError):
        return None
    if len(members) > MAX_MEMBERS:
        return Problem(
            "file.too_large", InFile(str(path)), f"{len(members):,} parts", f"a workbook of at most {MAX_MEMBERS:,} parts"
        )
    expanded = sum(m.file_size for m in members)
    if expanded > MAX_EXPANDED_BYTES:
        return Problem(
            "file.too_large",
            InFile(str(path)),
            f"{_mb(expanded)} once unzipped",
            f"a workbook that unzips to at most {_mb(MAX_EXPANDED_BYTES)} (a filled template is about 1 MB)",
        )
    return None


def yaml_shape_problem(path: Path, text: str) -> Problem | None:
    """A problem if a YAML text is larger or more deeply nested than a proposal can be (a parser is slow, and may
    recurse without bound, on deep nesting), found by one pass over the characters; None if it may be parsed."""
    if len(text) > MAX_YAML_BYTES:
        return Problem("file.too_large", InFile(str(path)), _mb(len(text)), "a YAML proposal of at most 1 MB")
    depth, quote = 0, ""
    for line_no, line in enumerate(text.splitlines(), start=1):
        if len(line) - len(line.lstrip(" ")) > MAX_YAML_INDENT:
            return Problem(
                "file.too_deep", InFile(str(path), line=line_no), "a line indented more than 160 spaces", "a proposal's shape"
            )
        for ch in line:
            if quote:
                quote = "" if ch == quote else quote
            elif ch in "'\"":
                quote = ch
            elif ch == "#":
                break
            elif ch in "[{":
                depth += 1
                if depth > MAX_YAML_DEPTH:
                    return Problem(
                        "file.too_deep",
                        InFile(str(path), line=line_no),
                        f"brackets nested more than {MAX_YAML_DEPTH} deep",
                        "a proposal's shape",
                    )
            elif ch in "]}":
                depth = max(0, depth - 1)
        quote = ""
    return None


def yaml_alias_problem(path: Path, text: str) -> Problem | None:
    """A problem at the first alias (``*name``) in a YAML text, found without building anything; None if there is none.

    Malformed YAML is left to the loader, which names its line and column.
    """
    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            if isinstance(event, yaml.AliasEvent):
                mark = event.start_mark
                place = InFile(str(path)) if mark is None else InFile(str(path), line=mark.line + 1, column=str(mark.column + 1))
                return Problem(
                    "file.yaml_alias",
                    place,
                    f"*{event.anchor}",
                    "write each value out: a proposal uses no YAML anchors or aliases",
                )
    except yaml.YAMLError:
        return None
    return None
