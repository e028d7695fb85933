"""Keeping the password out of saved traces."""

from __future__ import annotations

import json
import os
import zipfile
from pathlib import Path
from urllib.parse import quote, quote_plus


def secret_forms(secret: str) -> list[bytes]:
    """The ways a password can be spelled inside a trace: raw, form-encoded, JSON."""
    forms = {secret, quote_plus(secret), quote(secret, safe=""), json.dumps(secret)[1:-1]}
    return sorted((f.encode() for f in forms if f), key=len, reverse=True)


def scrub_zip(path: Path, secret: str) -> None:
    """Rewrite a trace with every spelling of ``secret`` replaced by asterisks.

    Pausing the trace around the sign-in is not enough on its own: Playwright's network
    recorder may still write the login POST (form body included) into the next chunk
    once its response completes, which a test caught. So each chunk is scrubbed too."""
    forms = secret_forms(secret)
    with zipfile.ZipFile(path) as source:
        members = [(info, source.read(info)) for info in source.infolist()]
    if not any(form in data for _, data in members for form in forms):
        return
    tmp = path.with_suffix(".scrub")
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as target:
        for info, data in members:
            for form in forms:
                data = data.replace(form, b"***")
            target.writestr(info, data)
    os.replace(tmp, path)
