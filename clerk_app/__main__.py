"""``python -m clerk_app``: the ``clerk`` command without the installed console script."""

from clerk_app.cli import app

app(prog_name="clerk")
