"""The remembered full check of the question script (interview/scriptcache): start-up skips the
sample renders for a script that passed before with the same code, and never for any other."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from gkassist.interview import ScriptError, load_script, script, scriptcache

GOOD = ('[[question]]\nid = "has_requests"\nsection = "三"\nkind = "yesno"\n'
        'field = "answers.has_requests"\ntext = "有没有申请？"\n\n'
        '[[question]]\nid = "year_q"\nsection = "封面"\nkind = "count"\n'
        'field = "year"\nwhen = "answers.has_requests"\ntext = "{{ report.agency.name }} 哪一年？"\n')


def _write(folder: Path, body: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "20-test.toml").write_text(body, encoding="utf-8")
    script._SCRIPTS.clear()  # as a new process would: only the note on disk remains
    return folder


def _notes() -> list[Path]:
    return sorted(scriptcache.cache_dir().glob(f"{scriptcache.PREFIX}*"))


@pytest.fixture
def own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(scriptcache.CACHE_DIR_ENV, str(tmp_path / "cache"))
    return tmp_path / "cache"


def test_a_script_that_passed_is_not_rendered_against_the_samples_again(tmp_path: Path, own_cache: Path,
                                                                           monkeypatch: pytest.MonkeyPatch):
    folder = _write(tmp_path / "prompts", GOOD)
    assert [q.id for q in load_script(folder)] == ["has_requests", "year_q"]
    assert len(_notes()) == 1

    def no_second_check(questions):
        raise AssertionError("the full check ran again for a script that passed")

    monkeypatch.setattr(script, "check_script", no_second_check)
    script._SCRIPTS.clear()
    assert [q.id for q in load_script(folder)] == ["has_requests", "year_q"]


def test_an_edited_script_is_checked_in_full_and_a_misspelt_name_refused(tmp_path: Path, own_cache: Path):
    folder = _write(tmp_path / "prompts", GOOD)
    load_script(folder)
    _write(folder, GOOD.replace("report.agency.name", "report.agncy.name"))
    with pytest.raises(ScriptError) as exc:
        load_script(folder)
    message = str(exc.value)
    assert "20-test.toml 第 8 行的问题 year_q" in message and "agncy" in message, message
    assert len(_notes()) == 1  # only the pass was noted, never the failure


def test_a_failure_is_never_remembered(tmp_path: Path, own_cache: Path):
    bad = GOOD.replace("answers.has_requests\"\ntext = \"{{", "answers.has_reqeusts\"\ntext = \"{{")
    folder = _write(tmp_path / "prompts", bad)
    for _ in range(2):
        with pytest.raises(ScriptError, match="has_reqeusts"):
            load_script(folder)
        script._SCRIPTS.clear()
    assert _notes() == []


def test_a_changed_module_of_the_package_makes_a_new_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    package = tmp_path / "gkassist"
    package.mkdir()
    module = package / "context.py"
    module.write_text("NAMES = ('report',)\n", encoding="utf-8")
    prompts = _write(tmp_path / "prompts", GOOD)
    files = sorted(prompts.glob("*.toml"))
    monkeypatch.setattr(scriptcache, "_PACKAGE", package)
    before = scriptcache.script_key(files)
    assert scriptcache.script_key(files) == before
    module.write_text("NAMES = ('report', 'answers')\n", encoding="utf-8")
    assert scriptcache.script_key(files) != before


def test_an_unwritable_cache_folder_only_costs_the_check(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv(scriptcache.CACHE_DIR_ENV, str(blocker / "cache"))
    folder = _write(tmp_path / "prompts", GOOD)
    assert [q.id for q in load_script(folder)] == ["has_requests", "year_q"]
    assert not (blocker / "cache").exists() and os.path.isfile(blocker)
