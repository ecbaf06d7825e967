"""What the key-figure commands share: bad arguments end in one clear line (CommandError), never a traceback."""
from django.core.exceptions import ValidationError
from django.core.management.base import CommandError

from initiatives.models import Municipality


def municipality_or_error(code: str) -> Municipality:
    try:
        return Municipality.objects.get(code=code)
    except Municipality.DoesNotExist:
        known = ", ".join(Municipality.objects.order_by("code").values_list("code", flat=True)) or "none"
        raise CommandError(f"no municipality with code {code!r} (loaded: {known})") from None


def command_error(exc: ValidationError, prefix: str = "") -> CommandError:
    """A ValidationError from a service as one CommandError line."""
    return CommandError(prefix + "; ".join(str(m) for m in exc.messages))
