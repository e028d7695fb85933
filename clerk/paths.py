"""Where Clerk keeps its state on a machine.

``CLERK_HOME`` (default ``~/.clerk``) holds the model registry, the Control Room's
SQLite database and file store, and the credential vault. Each service's settings
default to a folder below it, and each can be moved on its own.
"""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def clerk_home() -> Path:
    return Path(os.environ.get("CLERK_HOME", str(Path.home() / ".clerk"))).expanduser()


def models_dir() -> Path:
    """The model registry (``CLERK_MODELS_DIR``, default ``$CLERK_HOME/models``)."""
    default = clerk_home() / "models"
    return Path(os.environ.get("CLERK_MODELS_DIR", str(default))).expanduser()
