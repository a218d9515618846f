"""When a variable applies: its manifest ``when:`` expression, evaluated in the sandbox.

``when: ci_provider == 'gitlab'`` is a Jinja expression over the answers to the
variables before it (by bare name, or as ``cookiecutter.<name>``). It is
compiled and evaluated in the same sandboxed environment templates render in,
never with ``eval``; a template's own ``_extensions`` never take part. A
variable that does not apply is neither asked, recorded nor validated.
"""

from __future__ import annotations

from typing import Any, Mapping

from platctl.scaffold.catalog import GoldenPath, Variable


def applies(golden_path: GoldenPath, variable: Variable, context: Mapping[str, Any]) -> bool:
    """Whether ``variable`` applies, given the template's ``context`` (answers and rendered defaults)."""
    if not variable.when:
        return True
    from platctl.scaffold.sandbox import environment, guarded

    env = environment(golden_path.context, trusted_code=False)
    where = f"the 'when' of {variable.name!r} ({variable.when})"

    def evaluate() -> bool:
        expression = env.compile_expression(variable.when, undefined_to_none=False)
        return bool(expression(**{**context, "cookiecutter": dict(context)}))

    return guarded(golden_path.source, where, evaluate)


def inapplicable(golden_path: GoldenPath, context: Mapping[str, Any]) -> frozenset[str]:
    """The variables whose ``when`` is false in ``context``."""
    return frozenset(v.name for v in golden_path.variables if not applies(golden_path, v, context))


def when_problems(golden_path: GoldenPath) -> list[str]:
    """What is wrong with each ``when``: it does not parse, or names a variable not asked before it."""
    from jinja2 import TemplateSyntaxError

    from platctl.scaffold.sandbox import environment

    env = environment(golden_path.context, trusted_code=False)
    problems: list[str] = []
    earlier: set[str] = {k for k in golden_path.context if k.startswith("_")}
    for variable in asking_order(golden_path):
        if variable.when:
            try:
                names = expression_names(env, variable.when)
            except TemplateSyntaxError as error:
                problems.append(f"{variable.name}: when {variable.when!r} does not parse: {error.message}")
            else:
                problems += [
                    _unknown(golden_path, variable, name) for name in sorted(names - earlier - set(env.globals))
                ]
        earlier.add(variable.name)
    return problems


def _unknown(golden_path: GoldenPath, variable: Variable, name: str) -> str:
    if golden_path.variable(name) is not None:
        return f"{variable.name}: when {variable.when!r} names {name!r}, which is asked after it; move it earlier"
    return f"{variable.name}: when {variable.when!r} names {name!r}, which is not a variable of this golden path"


def expression_names(env: Any, expression: str) -> set[str]:
    """The variables an expression reads (bare names and ``cookiecutter.<name>``); a syntax error raises."""
    from jinja2 import TemplateSyntaxError, nodes
    from jinja2.parser import Parser

    parser = Parser(env, expression, state="variable")
    tree = parser.parse_expression()
    if not parser.stream.eos:
        raise TemplateSyntaxError("unexpected text after the expression", parser.stream.current.lineno)
    names = {n.name for n in tree.find_all(nodes.Name) if n.ctx == "load" and n.name != "cookiecutter"}
    for node in tree.find_all(nodes.Getattr):
        if isinstance(node.node, nodes.Name) and node.node.name == "cookiecutter":
            names.add(node.attr)
    return names


def asking_order(golden_path: GoldenPath) -> list[Variable]:
    """The variables in the order they are asked: group by group, each group where it first appears."""
    groups: list[str] = []
    for variable in golden_path.variables:
        if variable.group not in groups:
            groups.append(variable.group)
    return sorted(golden_path.variables, key=lambda v: groups.index(v.group))


def describe_values(golden_path: GoldenPath, variable: Variable, context: Mapping[str, Any]) -> str:
    """`` (here ci_provider is 'github')``: the values a ``when`` read, to say why it is false."""
    from jinja2 import TemplateSyntaxError

    from platctl.scaffold.sandbox import environment

    try:
        names = expression_names(environment(golden_path.context, trusted_code=False), variable.when)
    except TemplateSyntaxError:
        return ""
    shown = [f"{n} is {context[n]!r}" for n in sorted(names) if n in context]
    return f" (here {', '.join(shown)})" if shown else ""
