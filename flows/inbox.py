"""The inbox: which files are there, their content hashes, and which of them this run must process."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

IGNORED_NAMES = {".DS_Store", "Thumbs.db", ".gitkeep"}


class InboxError(Exception):
    """The inbox cannot be used (missing, not a folder, unreadable)."""


@dataclass(frozen=True)
class InboxFile:
    """A file seen in the inbox: its name relative to the inbox, where it is, its size and content hash."""

    name: str
    path: Path
    size: int
    file_hash: str
    error: str | None = None


def _hash_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def discover(inbox: Path) -> list[InboxFile]:
    """List every regular file under the inbox (recursively, hidden files excluded), sorted by name."""
    if not inbox.exists():
        raise InboxError(f"inbox {inbox} does not exist")
    if not inbox.is_dir():
        raise InboxError(f"inbox {inbox} is not a folder")
    files = []
    try:
        paths = sorted(p for p in inbox.rglob("*") if p.is_file())
    except OSError as e:
        raise InboxError(f"inbox {inbox} cannot be listed: {e.strerror}") from None
    for path in paths:
        rel = path.relative_to(inbox)
        if path.name in IGNORED_NAMES or any(part.startswith(".") for part in rel.parts):
            continue
        try:
            files.append(InboxFile(rel.as_posix(), path, path.stat().st_size, _hash_file(path)))
        except OSError as e:
            files.append(InboxFile(rel.as_posix(), path, 0, "", f"{rel}: cannot be read ({e.strerror})"))
    return files


def plan(files: list[InboxFile], loaded_hashes: dict[str, str], full_refresh: bool) -> tuple[list[InboxFile], list[InboxFile]]:
    """Split files into (to process, unchanged) against the hashes already in the warehouse."""
    if full_refresh:
        return list(files), []
    todo = [f for f in files if loaded_hashes.get(f.name) != f.file_hash]
    unchanged = [f for f in files if loaded_hashes.get(f.name) == f.file_hash]
    return todo, unchanged


@dataclass(frozen=True)
class InboxChanges:
    """How the inbox differs from the files the warehouse knows: renamed files, and files no longer there."""

    moves: list[tuple[str, InboxFile]]  # (old name, the file at its new name): same bytes, new path
    missing: list[str]  # known names with no file now (and no renamed file taking their content)

    def remaining(self, files: list[InboxFile]) -> list[InboxFile]:
        """The files left to plan once the moves are recorded."""
        moved = {f.name for _, f in self.moves}
        return [f for f in files if f.name not in moved]


def reconcile(files: list[InboxFile], known: dict[str, str | None]) -> InboxChanges:
    """Compare the inbox with the known files (name → last file hash): a new name with the bytes of a vanished one
    is a move (paired in name order when several share the bytes); a vanished name left over is missing."""
    present = {f.name for f in files}
    vanished: dict[str, list[str]] = {}
    for name in sorted(set(known) - present):
        vanished.setdefault(known[name] or "", []).append(name)
    moves = []
    for f in files:
        if f.name not in known and not f.error and vanished.get(f.file_hash):
            moves.append((vanished[f.file_hash].pop(0), f))
    missing = sorted(name for names in vanished.values() for name in names)
    return InboxChanges(moves, missing)
