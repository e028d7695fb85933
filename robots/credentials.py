"""Credentials for the target systems (ERP, CMS), kept in an encrypted keyring file.

Backend: ``keyrings.cryptfile``'s ``CryptFileKeyring`` (AES-GCM, key stretched with
Argon2), chosen explicitly because it works unattended; the desktop backends do not exist
on a headless worker and ``PlaintextKeyring`` would keep passwords in clear text.

Where the vault key comes from, and the trade-off:

- ``CLERK_VAULT_KEY`` (preferred in production): the key lives in the service manager's
  secret store or environment, never on the same disk as the vault, so a copied disk or
  backup does not give away the passwords. Anyone who can read the worker's environment
  can read the key.
- otherwise ``$CLERK_HOME/vault.key``, created with mode 0600 on the first ``clerk
  credentials set``. Convenient for one machine, but key and vault sit side by side: it
  protects against other local users and accidental disclosure (a vault file mailed or
  committed), not against someone who can read this account's files. Clerk refuses a key
  file that others may read.

``CLERK_VAULT_FILE`` moves the vault (default ``$CLERK_HOME/vault.cfg``).

Argon2 makes each read slow on purpose (a key stretch per ``get_password``, two per
system), so ``credential()`` reads a system once per process and caches it. A
``Credential`` never prints its password (repr, str, logs).
"""

from __future__ import annotations

import os
import secrets
import stat
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from clerk.errors import ApplicationError
from clerk.paths import clerk_home

SYSTEMS = ("ERP", "CMS")
_USER_KEY = "@username"


@dataclass(frozen=True)
class Credential:
    system: str
    username: str
    password: str = field(repr=False)

    def __str__(self) -> str:
        return f"{self.system} user {self.username!r}"


def vault_file() -> Path:
    return Path(os.environ.get("CLERK_VAULT_FILE", str(clerk_home() / "vault.cfg")))


def key_file() -> Path:
    return clerk_home() / "vault.key"


def _read_key(create: bool) -> str:
    env = os.environ.get("CLERK_VAULT_KEY")
    if env:
        return env
    path = key_file()
    if not path.exists():
        if not create:
            raise ApplicationError(
                "CREDENTIALS_MISSING",
                f"no vault key: neither CLERK_VAULT_KEY is set nor {path} exists; "
                "run `clerk credentials set ERP` first",
            )
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as out:
            out.write(secrets.token_urlsafe(32))
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        raise ApplicationError(
            "CREDENTIALS_MISSING",
            f"the vault key file {path} is readable by others (mode {mode:o}); "
            f"run `chmod 600 {path}`",
        )
    return path.read_text(encoding="utf-8").strip()


def _keyring(create: bool) -> Any:
    from keyrings.cryptfile.cryptfile import CryptFileKeyring

    ring = CryptFileKeyring()
    ring.file_path = str(vault_file())
    ring.keyring_key = _read_key(create)
    return ring


def _service(system: str) -> str:
    system = system.upper()
    if system not in SYSTEMS:
        raise ValueError(f"unknown system {system!r}; expected one of {', '.join(SYSTEMS)}")
    return f"clerk:{system}"


def store(system: str, username: str, password: str) -> None:
    """Save (or replace) a system's credentials in the vault."""
    if not username or not password:
        raise ValueError("both a user name and a password are required")
    ring = _keyring(create=True)
    vault_file().parent.mkdir(parents=True, exist_ok=True)
    ring.set_password(_service(system), _USER_KEY, username)
    ring.set_password(_service(system), username, password)
    os.chmod(vault_file(), 0o600)
    forget()


def _load(system: str) -> Credential:
    missing = ApplicationError(
        "CREDENTIALS_MISSING",
        f"no credentials stored for {system.upper()} in {vault_file()}; "
        f"run `clerk credentials set {system.upper()}`",
    )
    if not vault_file().exists():
        raise missing
    ring = _keyring(create=False)
    username = ring.get_password(_service(system), _USER_KEY)
    password = ring.get_password(_service(system), username) if username else None
    if not username or not password:
        raise missing
    return Credential(system.upper(), username, password)


_cache: dict[str, Credential] = {}
_lock = threading.Lock()


def credential(system: str) -> Credential:
    """A system's credentials, read from the vault once per process."""
    key = system.upper()
    with _lock:
        if key not in _cache:
            _cache[key] = _load(key)
        return _cache[key]


def forget() -> None:
    """Drop the per-process cache (after a change of the vault)."""
    with _lock:
        _cache.clear()
