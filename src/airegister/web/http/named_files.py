"""The file a client names in a URL, looked up inside one folder: found, or not, and never an error.

A name no file can have (a NUL byte, a name longer than the system allows) is simply not found, like a
name that leads out of the folder (`..`, a symbolic link): none of them may become a 500.
"""

from __future__ import annotations

from pathlib import Path


def file_in(folder: Path, name: str) -> Path | None:
    """The regular file `name` (a relative path) inside `folder`, resolved; None when there is none."""
    root = folder.resolve()
    try:
        path = (root / name).resolve()
        return path if path.is_relative_to(root) and path.is_file() else None
    except (OSError, ValueError, RuntimeError):  # ENAMETOOLONG; "embedded null byte"; a symbolic link loop
        return None
