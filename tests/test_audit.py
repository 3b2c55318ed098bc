"""The repository's package against the source article: the whole audit (helpers.core.audit), as `validate` runs it."""

from __future__ import annotations

import pytest

from conftest import DATA, read_city_source, read_source, source_path
from helpers.core import audit

pytestmark = pytest.mark.audit


def test_repository_package_passes_the_whole_audit(source_text):
    result = audit.audit(DATA, source=source_path())
    assert [str(e) for e in result.errors] == []
    assert len(source_text) == result.package.source["code_points"]


def test_every_digit_run_of_the_source_is_claimed_once(source_text):
    result = audit.audit(DATA, source=source_path())
    claimed = len(result.package.figures) + len(result.package.non_figures)
    assert claimed == len(audit.NUMERIC_TOKEN.findall(source_text))


READERS = [(read_source, "source article", "REPORT_SOURCE"), (read_city_source, "city source", "CITY_SOURCE")]


@pytest.mark.parametrize("read, what, variable", READERS, ids=["article", "city"])
def test_a_missing_source_skips_naming_its_path_and_variable_outside_ci(tmp_path, read, what, variable):
    with pytest.raises(pytest.skip.Exception, match=rf"{what} not found at .*absent\.txt; set {variable}"):
        read(tmp_path / "absent.txt", ci=False)


@pytest.mark.parametrize("read, what, variable", READERS, ids=["article", "city"])
def test_a_missing_source_fails_under_ci(tmp_path, read, what, variable):
    with pytest.raises(pytest.fail.Exception, match=f"{what} not found"):
        read(tmp_path / "absent.txt", ci=True)
