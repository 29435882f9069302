"""Settings modules: ``dev`` (default for manage.py), ``production`` and ``test``.

All of them read the environment through :mod:`dateline.settings.base`.
"""
