"""The application: the ``clerk`` command line and ``clerk demo``.

The top layer: it may import every other package of the project, and none imports it.
The console script is ``clerk_app.cli:main`` (also ``python -m clerk_app``). Its modules
are entry points, not a library: import the one you need (``clerk_app._demo.DemoStack``
for the end-to-end tests and the benchmark).
"""

__all__: list[str] = []
