"""Operations: files shared between processes, and liveness of workers.

Web and worker processes share nothing but PostgreSQL and the broker (see
``docs/operations.md``). A file one process writes and another reads — an
uploaded police extract the worker imports — is therefore kept in the
database by default (``StoredFile`` in chunks, served through Django's
storage API by ``operations.storage.DatabaseStorage``); larger installations
can switch the storage to S3-compatible object storage by configuration.
"""
from django.db import models
from django.utils.translation import gettext_lazy as _


class StoredFile(models.Model):
    """A file kept in the database: its name in the storage and its size; the bytes are in chunks."""

    name = models.CharField(_("name"), max_length=255, unique=True)
    size = models.PositiveBigIntegerField(_("size (bytes)"), default=0)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("stored file")
        verbose_name_plural = _("stored files")

    def __str__(self):
        return self.name


class StoredFileChunk(models.Model):
    """One chunk of a stored file (``operations.storage.CHUNK_SIZE`` bytes, the last may be shorter)."""

    file = models.ForeignKey(StoredFile, on_delete=models.CASCADE, related_name="chunks")
    index = models.PositiveIntegerField()
    data = models.BinaryField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["file", "index"], name="uniq_stored_file_chunk")]

    def __str__(self):
        return f"{self.file_id}:{self.index}"


class WorkerHeartbeat(models.Model):
    """The last time a Celery worker was seen alive (the health endpoint reads it).

    Written by the worker when it starts and by the ``operations.worker_heartbeat``
    beat task, so a recent row proves that beat, the broker and a worker all work.
    """

    hostname = models.CharField(_("worker"), max_length=255, unique=True)
    seen_at = models.DateTimeField(_("last seen"))

    class Meta:
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")

    def __str__(self):
        return self.hostname
