"""The document store: files on disk, each named by the SHA-256 of its content.

RFP_DOCUMENT_DIR (default: <instance>/documents) holds `ab/abcdef…`: the first two hex
digits make a folder so that no folder grows too large. A name is a hash, never a name
a user typed, so no upload can choose where it lands; the same content uploaded twice is
stored once. A file is written to a temporary name and renamed into place, so a reader
never sees half a file, and only after the upload has passed every check. Nothing is
ever deleted here: a replaced upload stays on the record (its row is superseded).

Copying the folder (rsync, a backup) is all an installation needs to move its
documents with a dumped evaluation: the scenario file names each file by its hash.
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

_HASH = re.compile(r"^[0-9a-f]{64}$")


class DocumentStore:
    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)

    def path_of(self, sha256: str) -> Path:
        if not _HASH.match(sha256):
            raise ValueError("not a SHA-256 in hex")
        return self.root / sha256[:2] / sha256

    def has(self, sha256: str, size: int | None = None) -> bool:
        path = self.path_of(sha256)
        return path.is_file() and (size is None or path.stat().st_size == size)

    def found(self, sha256: str, size: int) -> Path | None:
        """The stored file of a document row, or None when it is missing (an imported
        evaluation whose files were not copied) or not the size recorded."""
        return self.path_of(sha256) if self.has(sha256, size) else None

    def put(self, sha256: str, data: bytes) -> Path:
        """Store `data` (whose SHA-256 the caller computed) unless it is there already."""
        path = self.path_of(sha256)
        if self.has(sha256, len(data)):
            return path
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".upload-")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
            os.chmod(temporary, 0o640)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        return path

    def files(self) -> list[Path]:
        """Every stored file (for tests and an operator's checks)."""
        if not self.root.is_dir():
            return []
        return sorted(p for p in self.root.glob("??/*") if p.is_file() and _HASH.match(p.name))
