"""The application: the ``clerk`` command line and ``clerk demo``.

The top layer: it may import every other package of the project, and none imports it.
The console script is ``clerk_app.cli:main`` (also ``python -m clerk_app``). Its modules
are entry points, not a library.

Public modules: ``cli``, ``demo_cli``, ``errors_cli``, ``models_cli`` and
``understand_cli``; ``_demo``, ``_demo_summary``, ``_canary_cli`` and ``_retrain`` are
private (the end-to-end tests and ``bench`` still import ``_demo.DemoStack``).
"""

__all__: list[str] = []
