"""The Control Room's HTTP API (FastAPI): ``create_app`` builds it.

/process-v1, /json-v1   the stock robocorp-workitems client's protocol (robocorp.py)
/files-v1               signed, token-less file transfer URLs (robocorp.py)
/api/v1                 the JSON operator API (operator.py)
"""

from controlroom.api._app import create_app

__all__ = ["create_app"]
