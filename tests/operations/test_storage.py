"""The database storage: files shared between hosts through PostgreSQL (or SQLite), read as a stream."""
import io
import os

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage, storages

from operations.models import StoredFile, StoredFileChunk
from operations.storage import CHUNK_SIZE, DatabaseStorage

pytestmark = pytest.mark.django_db


def test_the_default_storage_is_the_database():
    assert isinstance(storages["default"], DatabaseStorage)
    assert default_storage.exists("nothing-here") is False  # the lazy default is the same backend


def test_a_file_of_several_chunks_comes_back_byte_for_byte_and_seeks():
    storage = DatabaseStorage()
    content = os.urandom(2 * CHUNK_SIZE + 12345)
    name = storage.save("imports/extract.csv", ContentFile(content))
    assert StoredFileChunk.objects.filter(file__name=name).count() == 3
    assert storage.size(name) == len(content) and storage.exists(name)
    with storage.open(name, "rb") as fh:
        assert fh.read(10) == content[:10]
        fh.seek(CHUNK_SIZE - 5)
        assert fh.read(10) == content[CHUNK_SIZE - 5:CHUNK_SIZE + 5]  # across a chunk boundary
        fh.seek(0)
        assert fh.read() == content
        fh.seek(-3, io.SEEK_END)
        assert fh.read() == content[-3:]


def test_names_are_not_overwritten_and_delete_removes_the_chunks():
    storage = DatabaseStorage()
    first = storage.save("a/x.csv", ContentFile(b"one"))
    second = storage.save("a/x.csv", ContentFile(b"two"))
    assert first != second and storage.open(second).read() == b"two"
    assert storage.listdir("a") == ([], sorted([first.split("/")[1], second.split("/")[1]]))
    storage.delete(first)
    assert not storage.exists(first) and StoredFile.objects.count() == 1
    with pytest.raises(FileNotFoundError):
        storage.open(first)


def test_text_mode_and_an_empty_file():
    storage = DatabaseStorage()
    name = storage.save("t.csv", ContentFile("æøå;1\n".encode()))
    assert storage.open(name, "r").read() == "æøå;1\n"
    empty = storage.save("empty.csv", ContentFile(b""))
    assert storage.size(empty) == 0 and storage.open(empty).read() == b""
    with pytest.raises(ValueError):
        storage.open(name, "wb")
