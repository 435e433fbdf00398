"""Library limits that hold (issue 16): every hostile template is refused or bounded within 2 s and
200 MB, measured in a child process with an address-space limit; hostile files (a FIFO, a link to
/dev/zero, a deep-nested TOML, an oversized file) skip only themselves, named in the message."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from gkassist.library import _MAX_FILE_BYTES, load_library

ROOT = Path(__file__).resolve().parent.parent

HOSTILE = [
    "{{ 'a'|center(2000000000) }}",
    "{{ '%02000000000d'|format(1) }}",
    "{{ 'a\\nb'|indent(2000000000) }}",
    "{{ 'a\\nb'|indent('x' * 20000) }}",
    "{% set ns = namespace(s='ab') %}{% for i in range(100) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ns.s }}",
    ("{% for a in range(1000) %}{% for b in range(1000) %}{% for c in range(1000) %}{% endfor %}{% endfor %}"
     "{% endfor %}x"),
    ("{% for a in range(1000) %}{% for b in range(1000) %}{% for c in range(1000) %}x{% endfor %}{% endfor %}"
     "{% endfor %}"),
    "{{ lipsum(n=2000000) }}",
    "{{ 9**64**64**64**64 }}",
    "{{ '{:2000000000}'.format(1) }}",
    "{{ 'a'.ljust(2000000000) }}",
    "{{ ('a' * 20000)|replace('a', 'a' * 20000) }}",
    "{{ 'x'|wordwrap(2000000000) }}",
    "{% macro f(n) %}{% if n %}{{ f(n - 1) }}{{ f(n - 1) }}{% endif %}{% endmacro %}{{ f(40) }}x",
    "{% set l = [1] %}{% for i in range(100) %}{{ l.extend(l) }}{% endfor %}x",
    "{{ (10 ** 64) * (10 ** 64) * (10 ** 64) * (10 ** 64) * (10 ** 64) }}",
]

CHILD = r"""
import json, resource, sys, time
from pathlib import Path
def vm():
    for line in open('/proc/self/status'):
        if line.startswith('VmSize:'):
            return int(line.split()[1]) * 1024
from gkassist import library
from gkassist.model import Agency, Report
from gkassist import format as fmt
limit = vm() + 200 * 1024 * 1024
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
ws = Path(sys.argv[1])
t = time.monotonic()
lib = library.load_library(ws)
entry = lib.get("X1")
out = None
if entry is not None:
    r = Report(agency=Agency(name="柳溪镇人民政府", kind=fmt.AgencyKind.TOWN), year=2025)
    try:
        out = len(entry.render(0, library.build_context(r)))
    except Exception as exc:
        out = type(exc).__name__ + ":" + str(exc)
print(json.dumps({"seconds": time.monotonic() - t, "loaded": entry is not None, "out": out,
                  "errors": lib.errors}, ensure_ascii=False))
"""


def _write(ws: Path, name: str, text: str) -> Path:
    folder = ws / "library"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def _entry(source: str) -> str:
    return ('[[entry]]\nid = "X1"\ntheme = "恶意"\nkind = "problem"\n'
            f"variants = [{json.dumps(source, ensure_ascii=False)}]\n")


def _child(ws: Path) -> dict:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", CHILD, str(ws)], check=False, capture_output=True, text=True,
                          encoding="utf-8", env=env, timeout=60)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout)


@pytest.mark.skipif(sys.platform != "linux", reason="RLIMIT_AS and /proc/self/status are Linux's")
@pytest.mark.parametrize("source", HOSTILE)
def test_each_hostile_template_is_refused_or_bounded(tmp_path: Path, source: str) -> None:
    _write(tmp_path, "坏.toml", _entry(source))
    got = _child(tmp_path)
    # loading (which test-renders the entry three times) and rendering took well under 2 s
    assert got["seconds"] < 2.0, got
    if got["loaded"]:
        assert isinstance(got["out"], int) and got["out"] <= 20_000, got
    else:
        assert any("library/坏.toml" in e and "X1" in e and "已跳过" in e for e in got["errors"]), got


def test_deep_nested_toml_skips_only_that_file(tmp_path: Path) -> None:
    _write(tmp_path, "深.toml", "x = " + "[" * 100_000)
    _write(tmp_path, "好.toml", _entry("{{ self }}的好条目"))
    lib = load_library(tmp_path)
    assert lib.get("X1") is not None
    assert any(e.startswith("library/深.toml") and "嵌套过深" in e for e in lib.errors), lib.errors


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_and_a_link_to_dev_zero_are_skipped_with_a_message(tmp_path: Path) -> None:
    folder = tmp_path / "library"
    folder.mkdir()
    os.mkfifo(folder / "管道.toml")
    (folder / "零.toml").symlink_to("/dev/zero")
    _write(tmp_path, "好.toml", _entry("{{ self }}的好条目"))
    lib = load_library(tmp_path)   # returns at all: neither hangs nor fills the memory
    assert lib.get("X1") is not None
    errors = "\n".join(lib.errors)
    assert "library/管道.toml" in errors and "library/零.toml" in errors
    assert errors.count("不是普通文件") == 2


def test_an_oversized_library_file_is_skipped(tmp_path: Path) -> None:
    _write(tmp_path, "大.toml", _entry("好") + "#" * (_MAX_FILE_BYTES + 10) + "\n")
    lib = load_library(tmp_path)
    assert lib.get("X1") is None
    assert any(e.startswith("library/大.toml") and "上限" in e for e in lib.errors)


def test_ordinary_filters_and_loops_still_work(tmp_path: Path) -> None:
    from gkassist import format as fmt
    from gkassist.library import build_context
    from gkassist.model import Agency, Report

    source = ("{% for i in range(3) %}{{ i }}{% endfor %}{{ '%03d'|format(7) }}{{ 'ab'|upper }}"
              "{% set ns = namespace(n=0) %}{% for i in range(5) %}{% set ns.n = ns.n + i %}{% endfor %}{{ ns.n }}")
    _write(tmp_path, "好.toml", _entry(source))
    lib = load_library(tmp_path)
    assert lib.errors == []
    r = Report(agency=Agency(name="柳溪镇人民政府", kind=fmt.AgencyKind.TOWN), year=2025)
    assert lib.get("X1").render(0, build_context(r)) == "012007AB10"
