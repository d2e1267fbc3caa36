"""The inbox: discovery, hashing, and the incremental plan."""
from pathlib import Path

import pytest

from flows.inbox import InboxError, discover, plan


def test_discover_lists_files_recursively_with_hashes_and_skips_hidden(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("甲", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.txt").write_text("乙", encoding="utf-8")
    (tmp_path / ".hidden").write_text("x")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "c").write_text("x")
    files = discover(tmp_path)
    assert [f.name for f in files] == ["a.txt", "sub/b.txt"]
    assert files[0].size == 3 and len(files[0].file_hash) == 64
    assert files[0].file_hash != files[1].file_hash


def test_discover_rejects_a_missing_inbox_with_a_clear_message(tmp_path: Path) -> None:
    with pytest.raises(InboxError, match="does not exist"):
        discover(tmp_path / "nope")
    (tmp_path / "f").write_text("x")
    with pytest.raises(InboxError, match="not a folder"):
        discover(tmp_path / "f")


def test_plan_skips_unchanged_and_reprocesses_changed_and_new(tmp_path: Path) -> None:
    for name, body in (("same.txt", "1"), ("changed.txt", "2"), ("new.txt", "3")):
        (tmp_path / name).write_text(body)
    files = {f.name: f for f in discover(tmp_path)}
    loaded = {"same.txt": files["same.txt"].file_hash, "changed.txt": "0" * 64}
    todo, unchanged = plan(list(files.values()), loaded, full_refresh=False)
    assert sorted(f.name for f in todo) == ["changed.txt", "new.txt"]
    assert [f.name for f in unchanged] == ["same.txt"]
    todo, unchanged = plan(list(files.values()), loaded, full_refresh=True)
    assert len(todo) == 3 and unchanged == []


def test_reconcile_pairs_renamed_files_by_content_and_lists_the_rest_as_missing(tmp_path: Path) -> None:
    from flows.inbox import InboxFile, reconcile

    def f(name: str, digest: str) -> InboxFile:
        return InboxFile(name, tmp_path / name, 1, digest)

    files = [f("a.txt", "h1"), f("new/b.txt", "h2"), f("c2.txt", "h3"), f("d.txt", "h9")]
    known = {"a.txt": "h1", "b.txt": "h2", "c.txt": "h3", "c_copy.txt": "h3", "gone.txt": "h4"}
    changes = reconcile(files, known)
    assert [(old, new.name) for old, new in changes.moves] == [("b.txt", "new/b.txt"), ("c.txt", "c2.txt")]
    assert changes.missing == ["c_copy.txt", "gone.txt"]
    assert [x.name for x in changes.remaining(files)] == ["a.txt", "d.txt"]
