"""Files that appear whole or not at all: written beside their target, then renamed over it."""

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO


def temporary_beside(target: Path, mode: int | None = None) -> Path:
    """A new, empty temporary file in the target's folder (so a rename is atomic).

    It gets `mode`, or what a plainly created file would get (0666 less the umask), rather
    than the 0600 every temporary file starts with.
    """
    descriptor, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".partial")
    os.close(descriptor)
    if mode is None:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    os.chmod(name, mode)
    return Path(name)


def publish(temporary: Path, target: Path) -> None:
    """Flush `temporary` to disk and rename it to `target`, durably."""
    with temporary.open("rb+") as stream:
        os.fsync(stream.fileno())
    os.replace(temporary, target)
    directory = os.open(target.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)


@contextmanager
def replaced_atomically(target: Path) -> Iterator[BinaryIO]:
    """A stream whose content replaces `target` only if the block finishes without error."""
    temporary = temporary_beside(target.absolute())
    try:
        with temporary.open("wb") as stream:
            yield stream
        publish(temporary, target.absolute())
    finally:
        temporary.unlink(missing_ok=True)
