"""Inputs that are not what they claim: special files, oversized files, deep JSON, bad encodings.

Each ends in one clear message naming the file (and the field where one applies), never in a hang, a traceback
or memory filled: a named pipe, a device or a folder where a file is expected is refused by name
(:func:`helpers.core.files.read_regular`), and so is a file over :data:`helpers.core.files.MAX_BYTES`.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from conftest import ROOT
from helpers.core import audit, files, package

TIMEOUT = 120  # seconds: a command that blocks fails the test instead of hanging it


def helpers_cli(*args, timeout: int = TIMEOUT) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "helpers", *map(str, args)], capture_output=True, text=True, timeout=timeout, cwd=ROOT
    )


@pytest.fixture
def fifo(tmp_path):
    path = tmp_path / "pipe"
    os.mkfifo(path)
    return path


def test_a_named_pipe_a_device_and_a_folder_are_refused_by_name(fifo, tmp_path):
    for path, what in ((fifo, "a named pipe"), ("/dev/zero", "a character device"), (tmp_path, "a folder")):
        with pytest.raises(files.NotRegularFile, match=f"is {what}, not a regular file"):
            files.read_regular(path)


def test_a_file_over_the_limit_is_refused_naming_its_size(tmp_path):
    path = tmp_path / "big.txt"
    path.write_bytes(b"1" * 101)
    with pytest.raises(files.NotRegularFile, match=r"101 bytes, over the limit of 100"):
        files.read_regular(path, limit=100)
    assert files.read_regular(path, limit=101) == b"1" * 101


def test_a_table_that_is_a_named_pipe_fails_validate_naming_it(district):
    (district / "figures.csv").unlink()
    os.mkfifo(district / "figures.csv")
    result = helpers_cli("validate", "--data-dir", district)
    assert result.returncode == 2
    assert "figures.csv" in result.stderr and "named pipe" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_source_that_is_a_device_fails_the_audit_naming_it(district):
    messages = [str(e) for e in audit.audit(district, source="/dev/zero").errors]  # --source /dev/zero
    assert any("sources[0].path" in m and "/dev/zero is a character device" in m for m in messages), messages


def test_a_source_linked_to_a_device_is_refused_without_being_read(district):
    descriptor = json.loads((district / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["sources"][0]["path"] = "zero"
    (district / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    os.symlink("/dev/zero", district / "zero")  # resolves outside the package: refused before any read
    messages = [str(e) for e in audit.audit(district).errors]
    assert len(messages) == 1 and "sources[0].path" in messages[0], messages


def test_extract_refuses_a_named_pipe_instead_of_blocking(fifo):
    result = helpers_cli("extract", fifo)
    assert result.returncode != 0
    assert "named pipe" in result.stderr and "Traceback" not in result.stderr


def test_a_descriptor_nested_too_deeply_is_named_not_a_traceback(district):
    (district / "datapackage.json").write_text("[" * 200_000 + "]" * 200_000, encoding="utf-8")
    with pytest.raises(package.PackageError, match=r"datapackage\.json.*nested too deeply"):
        package.read_descriptor(district)
    result = helpers_cli("validate", "--data-dir", district)
    assert result.returncode == 2 and "nested too deeply" in result.stderr and "Traceback" not in result.stderr


def test_a_parameters_file_not_in_utf8_is_named(tmp_path):
    from helpers.build.cli import collect_parameters
    from helpers.build.settings import UsageError

    path = tmp_path / "params.yaml"
    path.write_bytes("fx_usd_cny: 6.9 # 汇率".encode("gb18030"))
    with pytest.raises(UsageError, match=r"params\.yaml: not UTF-8"):
        collect_parameters((), path)


def test_a_parameters_file_that_is_a_named_pipe_is_named(fifo):
    from helpers.build.cli import collect_parameters
    from helpers.build.settings import UsageError

    with pytest.raises(UsageError, match="named pipe"):
        collect_parameters((), fifo)
