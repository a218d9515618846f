"""``platctl adopt``: bring an existing repository onto a golden path without scaffolding it anew.

Detect before writing (``detect``, ``endpoints``: services, language, package
manager, CI, commands, port, probes, metrics), answer from what was detected
(``answers``), add only what fits (``plan``) and say what was kept, what
conflicts and what the app must still do (``report``, ``contract``).
"""

from __future__ import annotations

from platctl.adopt.detect import find_services
from platctl.adopt.infer import Inferred, choose_golden_path, infer
from platctl.adopt.plan import AdoptPlan, apply_adopt, plan_adopt
from platctl.adopt.tree import read_tree

__all__ = ["AdoptPlan", "Inferred", "apply_adopt", "choose_golden_path", "find_services", "infer", "plan_adopt",
           "read_tree"]
