"""A Django storage that keeps files in the database, so every web and worker host sees the same files.

The default storage (``STORAGES["default"]``): nothing beyond PostgreSQL is
needed to run web and worker on different hosts. Files are written in chunks
of ``CHUNK_SIZE`` bytes and read back as a seekable stream, one chunk per
query, so a 200 MB police extract never sits in memory whole. Larger
installations choose S3-compatible object storage instead by configuration
(``FILE_STORAGE=s3``, see ``docs/operations.md``); the code only ever uses the
storage API.
"""
import io

from django.core.files.base import File
from django.core.files.storage import Storage
from django.db import transaction
from django.utils.deconstruct import deconstructible

CHUNK_SIZE = 1 << 20


class _ChunkReader(io.RawIOBase):
    """A read-only, seekable stream over a stored file's chunks."""

    def __init__(self, stored):
        self._file_id, self._size, self._pos = stored.pk, stored.size, 0
        self._chunk_index, self._chunk = -1, b""

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._pos

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._pos, io.SEEK_END: self._size}[whence]
        self._pos = max(0, base + offset)
        return self._pos

    def readinto(self, buffer) -> int:
        if self._pos >= self._size:
            return 0
        index, offset = divmod(self._pos, CHUNK_SIZE)
        if index != self._chunk_index:
            from .models import StoredFileChunk
            self._chunk = bytes(StoredFileChunk.objects.values_list("data", flat=True)
                                .get(file_id=self._file_id, index=index))
            self._chunk_index = index
        piece = self._chunk[offset:offset + len(buffer)]
        buffer[:len(piece)] = piece
        self._pos += len(piece)
        return len(piece)


@deconstructible
class DatabaseStorage(Storage):
    """Files in the ``operations_storedfile`` / ``operations_storedfilechunk`` tables."""

    def _open(self, name, mode="rb"):
        from .models import StoredFile
        if "w" in mode or "a" in mode or "+" in mode:
            raise ValueError("Files in the database storage are written with save(), not opened for writing.")
        stored = StoredFile.objects.filter(name=name).first()
        if stored is None:
            raise FileNotFoundError(name)
        stream = io.BufferedReader(_ChunkReader(stored), buffer_size=CHUNK_SIZE)
        return File(stream if "b" in mode else io.TextIOWrapper(stream, encoding="utf-8"), name=name)

    def _save(self, name, content):
        from .models import StoredFile, StoredFileChunk
        if hasattr(content, "seek"):
            content.seek(0)
        with transaction.atomic():
            stored = StoredFile.objects.create(name=name)
            size, index = 0, 0
            while True:
                block = content.read(CHUNK_SIZE)
                if isinstance(block, str):
                    block = block.encode("utf-8")
                if not block:
                    break
                # reads from an upload may be shorter than asked: fill the chunk before storing it
                while len(block) < CHUNK_SIZE:
                    more = content.read(CHUNK_SIZE - len(block))
                    if not more:
                        break
                    block += more.encode("utf-8") if isinstance(more, str) else more
                StoredFileChunk.objects.create(file=stored, index=index, data=block)
                size += len(block)
                index += 1
            StoredFile.objects.filter(pk=stored.pk).update(size=size)
        return name

    def delete(self, name):
        from .models import StoredFile
        StoredFile.objects.filter(name=name).delete()

    def exists(self, name):
        from .models import StoredFile
        return StoredFile.objects.filter(name=name).exists()

    def size(self, name):
        from .models import StoredFile
        stored = StoredFile.objects.filter(name=name).first()
        if stored is None:
            raise FileNotFoundError(name)
        return stored.size

    def listdir(self, path):
        from .models import StoredFile
        prefix = path.rstrip("/") + "/" if path else ""
        dirs, files = set(), []
        for name in StoredFile.objects.filter(name__startswith=prefix).values_list("name", flat=True):
            head, sep, _tail = name[len(prefix):].partition("/")
            if sep:
                dirs.add(head)
            else:
                files.append(head)
        return sorted(dirs), sorted(files)

    def url(self, name):
        raise NotImplementedError("Files in the database storage are served by the view that owns them.")
