"""What each edition of the site offers for download besides the tables: its executed notebooks, zipped.

Owns :data:`ZIP` (the suffix of a notebook's download) and :func:`notebook_zip`.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

ZIP = ".zip"  # each executed notebook is offered zipped (notebook_zip)


def notebook_zip(notebook: Path, target: Path) -> None:
    """``target``: a zip holding ``notebook`` under its own name, the same bytes for the same notebook (fixed
    date and permissions).  From ``file://`` Chromium opens an ``.ipynb`` link as JSON text whatever its
    ``download`` attribute says (a ``file:`` page is an opaque origin, and an unknown type is sniffed as text), while
    a zip, like a CSV, is a type it cannot show and downloads (``tests/test_site.py`` clicks it); a zip is also
    about a third of the notebook's size."""
    info = zipfile.ZipInfo(notebook.name, date_time=(1980, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    with zipfile.ZipFile(target, "w") as z:
        z.writestr(info, notebook.read_bytes(), compresslevel=9)
