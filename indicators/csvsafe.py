"""CSV cells that spreadsheet programs will not run as formulas (CSV injection).

A text cell starting with ``= + - @`` (or a tab/CR) is prefixed with an
apostrophe, unless it is a plain number such as ``-5.5``.
"""
import re

NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?([eE][+-]?\d+)?$")


def cell(value):
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r") and not NUMBER.match(value):
        return "'" + value
    return value
