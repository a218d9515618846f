"""``platctl doctor``: checks a repository against its golden path.

The engine (``api``) lists and parses files once (``repo``), runs the rules of
``rules/`` (each one module owning its metadata, check, prefilter and fix),
applies configuration, suppressions, waivers and baselines, and hands a plain
``Report`` to a reporter of ``reporters/``. Nothing here prints.
"""
