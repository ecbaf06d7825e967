"""A small, safe arithmetic language for computed indicators (no ``eval``).

An expression uses numbers, ``+ - * /``, parentheses and references to other
indicators of the same programme as ``I<number>``: ``I9 / I14 * 1000``. It is
parsed with :mod:`ast` and only the node types below are accepted, so a
formula can never call a function or reach an attribute.
"""
import ast
import re
from decimal import Decimal, DivisionByZero, InvalidOperation

from django.utils.translation import gettext as _

REF = re.compile(r"^I(\d+)$")
_OPS = {
    ast.Add: lambda a, b: a + b,
    ast.Sub: lambda a, b: a - b,
    ast.Mult: lambda a, b: a * b,
    ast.Div: lambda a, b: a / b,
}


class FormulaError(ValueError):
    """The formula is not a valid expression in the indicator language."""


def _check(node) -> set[int]:
    if isinstance(node, ast.Expression):
        return _check(node.body)
    if isinstance(node, ast.BinOp) and type(node.op) in _OPS:
        return _check(node.left) | _check(node.right)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
        return _check(node.operand)
    if isinstance(node, ast.Constant) and isinstance(node.value, int | float) and not isinstance(node.value, bool):
        return set()
    if isinstance(node, ast.Name) and REF.match(node.id):
        return {int(REF.match(node.id).group(1))}
    raise FormulaError(_("Only numbers, + - * /, parentheses and indicator references such as I9 are allowed."))


def parse(formula: str) -> tuple[ast.Expression, set[int]]:
    """Parse a formula; returns the tree and the indicator numbers it uses."""
    if len(formula) > 200:
        raise FormulaError(_("The formula is too long."))
    try:
        tree = ast.parse(formula.strip(), mode="eval")
    except SyntaxError as exc:
        raise FormulaError(_("The formula is not a valid expression.")) from exc
    refs = _check(tree)
    if not refs:
        raise FormulaError(_("A formula must use at least one other indicator."))
    return tree, refs


def references(formula: str) -> set[int]:
    return parse(formula)[1]


def evaluate(formula: str, values: dict[int, Decimal]) -> Decimal | None:
    """The formula's value given each referenced indicator's value; None if an input is missing or ÷ 0."""
    tree, refs = parse(formula)
    if any(values.get(n) is None for n in refs):
        return None

    def ev(node):
        if isinstance(node, ast.Expression):
            return ev(node.body)
        if isinstance(node, ast.BinOp):
            return _OPS[type(node.op)](ev(node.left), ev(node.right))
        if isinstance(node, ast.UnaryOp):
            return -ev(node.operand) if isinstance(node.op, ast.USub) else ev(node.operand)
        if isinstance(node, ast.Constant):
            return Decimal(str(node.value))
        return values[int(REF.match(node.id).group(1))]

    try:
        return ev(tree)
    except (DivisionByZero, InvalidOperation, ZeroDivisionError):
        return None
