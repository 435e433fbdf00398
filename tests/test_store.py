"""The answers file on disk: backups, corrupt and oversized files, safe names, CLI without tracebacks."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from gkassist import format as fmt
from gkassist import store
from gkassist.errors import GkError
from gkassist.model import Agency, Report


def report(year: int = 2025, new: int = 3) -> Report:
    r = Report(agency=Agency(name="云溪镇人民政府", kind=fmt.AgencyKind.TOWN), year=year)
    r.applications.set("new", "natural_person", new)
    return r


def test_second_save_keeps_the_previous_version_as_bak(tmp_path: Path) -> None:
    path = tmp_path / "答案.json"
    store.save_report(report(new=1), path)
    assert not (tmp_path / "答案.json.bak").exists()
    first = path.read_bytes()
    store.save_report(report(new=2), path)
    bak = tmp_path / "答案.json.bak"
    assert bak.read_bytes() == first
    assert store.load_report(bak).applications.value("new", "natural_person") == 1
    assert store.load_report(path).applications.value("new", "natural_person") == 2
    assert store.backup_path(path) == bak
    # No temporary files are left behind.
    assert sorted(p.name for p in tmp_path.iterdir()) == ["答案.json", "答案.json.bak"]


def test_truncated_file_reported_with_position_and_backup_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "答案.json"
    store.save_report(report(new=1), path)
    store.save_report(report(new=2), path)
    text = path.read_text(encoding="utf-8")
    cut = text[: len(text) // 2]
    path.write_text(cut, encoding="utf-8")
    before = path.read_bytes()
    with pytest.raises(GkError) as info:
        store.load_report(path)
    message = info.value.message
    line = cut.count("\n") + 1
    assert str(path) in message
    assert f"第 {line} 行" in message and "列" in message
    assert f"{path}.bak" in message and "恢复" in message
    assert path.read_bytes() == before


def test_corrupt_file_without_backup_names_file_and_position(tmp_path: Path) -> None:
    path = tmp_path / "坏.json"
    path.write_bytes(b'{\n  "year": 2025,\n  "agency": {"name" "x"}\n}\n')
    before = path.read_bytes()
    with pytest.raises(GkError) as info:
        store.load_report(path)
    message = info.value.message
    assert str(path) in message and "第 3 行" in message and "缺少冒号" in message
    assert ".bak" not in message
    assert path.read_bytes() == before


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        (b"", "空文件"),
        (b"\xff\xfe\x00garbage", "UTF-8"),
        (b"[1, 2, 3]", "不是一份报告"),
        (b"[" * 50000, "嵌套过深"),                         # would be a RecursionError
        (b'{"year": ' + b"1" * 5000 + b"}", "数字过长"),     # would be Python's int-digits ValueError
        (b'{"year": NaN}', "应为有限的数字"),
        (b'{"schema_version": 99}', "请升级"),
    ],
)
def test_bad_contents_become_one_chinese_sentence(tmp_path: Path, raw: bytes, words: str) -> None:
    path = tmp_path / "x.json"
    path.write_bytes(raw)
    with pytest.raises(GkError) as info:
        store.load_report(path)
    assert words in info.value.message and str(path) in info.value.message
    assert path.read_bytes() == raw


def test_oversized_file_refused(tmp_path: Path) -> None:
    path = tmp_path / "大.json"
    with path.open("wb") as fh:
        fh.truncate(store.MAX_ANSWERS_BYTES + 1)
    with pytest.raises(GkError, match="太大"):
        store.load_report(path)
    assert path.stat().st_size == store.MAX_ANSWERS_BYTES + 1


def test_missing_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(GkError, match="找不到文件"):
        store.load_report(tmp_path / "没有.json")
    with pytest.raises(GkError, match="文件夹"):
        store.load_report(tmp_path)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("../x", "_x"),
        ("/etc/passwd", "_etc_passwd"),
        ("..\\..\\windows\\win.ini", "_.._windows_win.ini"),
        ("CON", "_CON"),
        ("aux.txt", "_aux.txt"),
        ("CON .txt", "_CON .txt"),
        ("lpt1", "_lpt1"),
        ("a:b*c?d", "a_b_c_d"),
        ("高平镇人民政府", "高平镇人民政府"),
        ("..", "报告"),
        ("", "报告"),
    ],
)
def test_safe_filename(name: str, expected: str) -> None:
    assert store.safe_filename(name) == expected


@pytest.mark.parametrize("hostile", ["../../etc/passwd", "C:\\Windows\\System32", "/tmp/x", "NUL", "a\x00b", "长" * 300])
def test_report_basename_from_hostile_agency_stays_in_the_folder(tmp_path: Path, hostile: str) -> None:
    r = report()
    r.agency.name = hostile
    name = store.answers_filename(r)
    assert "/" not in name and "\\" not in name and ":" not in name and "\x00" not in name
    assert len(name) <= 130
    target = (tmp_path / name).resolve()
    assert target.parent == tmp_path.resolve()
    store.save_report(r, tmp_path / name)
    # control characters never enter a name (issue 16); everything else is kept as typed
    assert r.agency.name == hostile.replace("\x00", "")
    assert store.load_report(tmp_path / name).agency.name == r.agency.name


# ------------------------------------------------------------------ the CLI on bad files


def _write(path: Path, data: dict | str) -> bytes:
    raw = data if isinstance(data, str) else json.dumps(data, ensure_ascii=False)
    path.write_text(raw, encoding="utf-8")
    return path.read_bytes()


@pytest.mark.parametrize(
    ("content", "words"),
    [
        ('{"year": 2025, "agency": {"name": "云溪镇', "不是完整的 JSON"),
        ({"year": 2025, "applications": {"rows": {"new": {"natural_person": -3}}}}, "不能是负数"),
        ({"year": 2025, "applications": {"rows": {"new": {"natural_person": "五"}}}}, "应为整数"),
        ({"year": 2025, "proactive": {"fee": "很多"}}, "应为数字"),
    ],
)
def test_cli_check_on_bad_file_exits_2_with_a_sentence(cli, tmp_path: Path, content, words) -> None:
    path = tmp_path / "答案.json"
    before = _write(path, content)
    done = cli("check", str(path))
    assert done.returncode == 2
    assert "Traceback" not in done.stderr and "Traceback" not in done.stdout
    assert words in done.stderr and "答案.json" in done.stderr
    assert path.read_bytes() == before


def test_cli_check_negative_count_names_the_cell(cli, tmp_path: Path) -> None:
    path = tmp_path / "答案.json"
    _write(path, {"year": 2025, "applications": {"rows": {"carry_next": {"commercial": -1}}}})
    done = cli("check", str(path))
    assert done.returncode == 2
    assert f"表三 {fmt.T3_ROW['carry_next'].label} / 商业企业" in done.stderr


# ------------------------------------------------------------------ issue 16: backups, modes, links


def test_three_saves_with_a_failing_backup_step_never_leave_a_stale_bak(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "答案.json"
    bak = tmp_path / "答案.json.bak"
    assert store.save_report(report(new=1), path).note == ""
    assert store.save_report(report(new=2), path).note == ""
    version2 = path.read_bytes()
    assert store.load_report(bak).applications.value("new", "natural_person") == 1

    def full(*_args, **_kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(store, "_link_or_copy", full)
    saved = store.save_report(report(new=3), path)
    assert store.load_report(path).applications.value("new", "natural_person") == 3
    # either .bak is version 2, or the save said it could not keep one (and no stale .bak is left)
    if bak.exists() and bak.read_bytes() == version2:
        return
    assert "未能把上一版留作备份" in saved.note
    assert not bak.exists() or "仍是更早的版本" in saved.note


def test_bak_is_the_previous_version_even_when_copying_is_impossible(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # a hard link needs no disk space: near a full disk the backup is still kept
    path = tmp_path / "答案.json"
    for n in (1, 2):
        store.save_report(report(new=n), path)
    version2 = path.read_bytes()
    monkeypatch.setattr(Path, "read_bytes", lambda self: (_ for _ in ()).throw(OSError(28, "full")))
    assert store.save_report(report(new=3), path).note == ""
    monkeypatch.undo()
    assert (tmp_path / "答案.json.bak").read_bytes() == version2


def test_a_save_without_backup_leaves_bak_alone(tmp_path: Path) -> None:
    # what an export does: `.bak` stays the version before the last answer
    path = tmp_path / "答案.json"
    for n in (1, 2):
        store.save_report(report(new=n), path)
    bak = (tmp_path / "答案.json.bak").read_bytes()
    store.save_report(report(new=2), path, backup=False)
    assert (tmp_path / "答案.json.bak").read_bytes() == bak


@pytest.mark.skipif(os.name == "nt", reason="POSIX file modes")
def test_saves_keep_the_mode_and_write_through_a_symlink(tmp_path: Path) -> None:
    real = tmp_path / "shared" / "答案.json"
    real.parent.mkdir()
    store.save_report(report(new=1), real)
    os.chmod(real, 0o664)
    link = tmp_path / "链接.json"
    link.symlink_to(real)
    store.save_report(report(new=2), link)
    assert link.is_symlink()
    assert store.load_report(real).applications.value("new", "natural_person") == 2
    assert stat.S_IMODE(real.stat().st_mode) == 0o664
    assert (real.parent / "答案.json.bak").exists() and not (tmp_path / "链接.json.bak").exists()


def test_save_with_expected_state_never_overwrites_a_changed_file(tmp_path: Path) -> None:
    path = tmp_path / "答案.json"
    state = store.save_report(report(new=1), path).state
    store.save_report(report(new=5), path)   # someone else
    theirs = path.read_bytes()
    with pytest.raises(store.ConflictError) as info:
        store.save_report(report(new=2), path, expected=state)
    assert path.read_bytes() == theirs
    kept = info.value.kept
    assert kept is not None and kept.parent == tmp_path and "冲突" in kept.name
    assert store.load_report(kept).applications.value("new", "natural_person") == 2
    assert kept.name in info.value.message


def test_reading_a_fifo_is_refused(tmp_path: Path) -> None:
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs on this system")
    fifo = tmp_path / "x.json"
    os.mkfifo(fifo)
    with pytest.raises(GkError) as info:
        store.load_report(fifo)
    assert "不是普通文件" in info.value.message


def test_answers_file_text_is_the_json_module_s_and_odd_text_still_saves(tmp_path: Path) -> None:
    # dumps_report uses pydantic's serialiser for speed; the file must stay byte for byte what
    # json.dumps wrote before (diffs between versions, other tools reading it).
    from gkassist.example import example_report

    r = example_report()
    r.draft.answers["note"] = "控制符\x01、行分隔\u2028、引号\"和反斜杠\\"
    r.overview.proactive = "第一段\n\t第二段 😀"
    expected = json.dumps(r.model_dump(mode="json"), ensure_ascii=False, indent=2) + "\n"
    assert store.dumps_report(r) == expected
    # A lone surrogate (never through the validators) takes the slower path and still saves.
    r.draft.answers["raw"] = "a\ud800b"
    path = tmp_path / "答案.json"
    store.save_report(r, path)
    assert store.load_report(path).draft.answers["raw"] == "a?b"  # encoded with errors="replace"
