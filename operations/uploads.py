"""Uploads bounded before they are read: bytes per kind of upload, workbook size unpacked, rows, cells.

Every upload (police CSV extracts, indicator values, safety-index inputs) is
checked against ``settings.UPLOAD_MAX_BYTES[kind]`` before its content is
read or stored. A workbook (.xlsx is a zip of XML parts) is checked before
openpyxl parses it: the parts' declared uncompressed sizes (a 356 KB "zip bomb"
can unpack to gigabytes, and ``zipfile`` never returns more than the declared
size) and each sheet's declared dimension (``<dimension ref="A1:G1048576"/>``)
against the row cap. The refusal names the limit.
"""
import io
import re
import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

DIMENSION = re.compile(rb"<(?:\w+:)?dimension\s+ref=\"[A-Z]*\d*(?::[A-Z]*(\d+))?\"")
SHEET_HEAD_BYTES = 64 * 1024


class UploadRefused(ValidationError):
    """The upload exceeds a limit; the message names the limit. Nothing of it was stored or parsed."""


def max_bytes(kind: str) -> int:
    return settings.UPLOAD_MAX_BYTES[kind]


def check_size(*, size: int, kind: str) -> None:
    """Refuse a file larger than the limit of its kind (before it is read or stored)."""
    limit = max_bytes(kind)
    if size > limit:
        raise UploadRefused(_("The file is %(size)s; the limit for this upload is %(limit)s.")
                            % {"size": filesizeformat(size), "limit": filesizeformat(limit)})


def check_workbook(data: bytes, *, max_rows: int) -> None:
    """Refuse a workbook that unpacks too large or declares more rows than allowed, before parsing it."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        return  # not a zip, so no zip bomb: the parser fails fast and says the file is unreadable
    with archive:
        members = archive.infolist()
        unpacked = sum(m.file_size for m in members)
        limit = settings.XLSX_MAX_UNCOMPRESSED_BYTES
        if unpacked > limit:
            raise UploadRefused(_("The workbook unpacks to %(size)s; the limit is %(limit)s. Save it as CSV, "
                                  "or split it.") % {"size": filesizeformat(unpacked),
                                                      "limit": filesizeformat(limit)})
        for member in members:
            if not re.fullmatch(r"xl/worksheets/[^/]+\.xml", member.filename):
                continue
            with archive.open(member) as sheet:
                head = sheet.read(SHEET_HEAD_BYTES)
            found = DIMENSION.search(head)
            if found and found.group(1) and int(found.group(1)) > max_rows + 1:  # + the header row
                raise UploadRefused(_("The workbook declares %(rows)s rows; the limit is %(limit)s rows.")
                                    % {"rows": int(found.group(1)), "limit": max_rows})


def check_cells(rows, *, line_offset: int = 1) -> list[tuple[int, str]]:
    """(line, message) for every cell longer than ``UPLOAD_MAX_FIELD_CHARS``."""
    limit = settings.UPLOAD_MAX_FIELD_CHARS
    return [(i, _("a cell is longer than %(n)s characters") % {"n": limit})
            for i, cells in enumerate(rows, start=line_offset) if any(len(c) > limit for c in cells)]
