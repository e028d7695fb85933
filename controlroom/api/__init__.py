"""The Control Room's HTTP API (FastAPI): ``create_app`` builds it.

/process-v1, /json-v1   the stock robocorp-workitems client's protocol (_robocorp.py)
/files-v1               signed, token-less file transfer URLs (_robocorp.py)
/api/v1                 the JSON operator API (_operator.py)

Public modules: ``metrics`` and ``workers`` (extensions ``create_app`` installs by name);
the modules named ``_*`` are private to the package.
"""

from controlroom.api._app import create_app

__all__ = ["create_app"]
