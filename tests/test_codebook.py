"""The codebook page (helpers.build.codebook): every column of every CSV download described in the page's language,
read from the files' own header rows, so that a column nobody described fails the build by name."""

from __future__ import annotations

import pytest

from helpers.build import codebook
from helpers.reader import escape, words


def _csv(tmp_path, name: str, header: str, bom: bool = True):
    path = tmp_path / name
    path.write_bytes(("\ufeff" if bom else "").encode() + f"{header}\n1,2\n".encode())
    return path


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_column_of_every_download_is_a_row_with_its_meaning(tmp_path, lang):
    files = [_csv(tmp_path, "checks.csv", "id,status"), _csv(tmp_path, "figures.csv", "id,value,unit_zh", bom=False)]
    page = codebook.page(lang, files)
    for stem, columns in (("checks", ["id", "status"]), ("figures", ["id", "value", "unit_zh"])):
        assert f"## {stem}.csv" in page
        section = page.split(f"## {stem}.csv", 1)[1].split("\n## ", 1)[0]
        for c in columns:
            meaning = escape.markdown(words.say(f"codebook.{stem}.{c}", lang))
            assert f"| `{c}` | {meaning} |" in section.splitlines(), (stem, c)


def test_a_column_without_a_description_fails_naming_file_and_column(tmp_path):
    path = _csv(tmp_path, "derived.csv", "id,surprise")
    with pytest.raises(codebook.CodebookError, match=r"derived\.csv: column 'surprise' has no description"):
        codebook.page("en", [path])


def test_downloads_that_are_not_tables_are_left_out(tmp_path):
    nb = tmp_path / "00_overview.ipynb"
    nb.write_text("{}", encoding="utf-8")
    assert "00_overview" not in codebook.page("en", [nb])
