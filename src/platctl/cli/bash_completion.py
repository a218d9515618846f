"""Bash completion that treats ``--set KEY=VALUE`` as one word.

Bash splits the word being completed at ``=`` and ``:`` (``COMP_WORDBREAKS``), so
typer's script would hand click ``--set ci_provider = gi``. This one sends the
line up to the cursor instead, lets click complete the whole word, and gives
bash back only the part after the last break; a completion that ends in ``=``
gets no trailing space. Loaded only while completing.
"""

from __future__ import annotations

import os

from typer._click.shell_completion import split_arg_string
from typer._completion_classes import BashComplete as TyperBashComplete

SCRIPT = """
%(complete_func)s() {
    local IFS=$'\\n'
    COMPREPLY=( $( env COMP_LINE="$COMP_LINE" COMP_POINT="$COMP_POINT" COMP_WORDBREAKS="$COMP_WORDBREAKS" \\
                   %(autocomplete_var)s=complete_bash $1 ) )
    if [[ ${#COMPREPLY[@]} -eq 1 && ${COMPREPLY[0]} == *= ]]; then
        compopt -o nospace 2>/dev/null
    fi
    return 0
}

complete -o default -F %(complete_func)s %(prog_name)s
"""


class BashComplete(TyperBashComplete):
    source_template = SCRIPT

    def get_completion_args(self) -> tuple[list[str], str]:
        line = os.environ.get("COMP_LINE", "")[: int(os.environ.get("COMP_POINT") or 10**6)]
        words = split_arg_string(line)
        if not line or line[-1].isspace():
            return words[1:], ""
        return words[1:-1], words[-1] if words else ""

    def complete(self) -> str:
        args, incomplete = self.get_completion_args()
        breaks = [c for c in "=:" if c in os.environ.get("COMP_WORDBREAKS", "=:")]
        cut = max((incomplete.rfind(c) for c in breaks), default=-1) + 1
        values = [item.value for item in self.get_completions(args, incomplete)]
        return "\n".join(v[cut:] if v.startswith(incomplete[:cut]) else v for v in values)
