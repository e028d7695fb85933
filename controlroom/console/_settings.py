"""``ConsoleSettings``: the web console's ``CLERK_*`` knobs (listed in ``controlroom.console``)."""

from __future__ import annotations

import ipaddress
from pathlib import Path

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from clerk.paths import clerk_home
from controlroom import _limits as limits


def _default_inbox() -> Path:
    return clerk_home() / "inbox"


class ConsoleSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CLERK_", extra="ignore")

    # Secure cookies need TLS; the default deployment listens on loopback over plain HTTP.
    cookie_secure: bool = False
    session_seconds: int = Field(default=8 * 3600, ge=60, le=30 * limits.DAY_SECONDS)
    review_lock_seconds: int = Field(default=600, ge=10, le=limits.DAY_SECONDS)
    # Per account: this many failures in a row are free, then each attempt waits a
    # doubling delay after the last failure (backoff, up to the max); a success resets.
    login_max_failures: int = Field(default=5, ge=1, le=10_000)
    login_backoff_seconds: int = Field(default=30, ge=1, le=limits.DAY_SECONDS)
    login_max_backoff_seconds: int = Field(default=900, ge=1, le=limits.DAY_SECONDS)
    # Per client address, looser (an office behind one NAT shares it): failures of any
    # accounts within the window.
    login_address_max_failures: int = Field(default=50, ge=1, le=1_000_000)
    login_window_seconds: int = Field(default=300, ge=1, le=limits.DAY_SECONDS)
    inbox_dir: Path = Field(default_factory=_default_inbox)
    page_dpi: int = Field(default=110, ge=36, le=300)
    drift_psi_threshold: float = Field(default=0.2, gt=0, le=100)
    # Proxies whose X-Forwarded-For names the client: addresses or networks, comma
    # separated. None by default: a loopback peer is a client like any other.
    trusted_proxies: str = ""

    @field_validator("trusted_proxies")
    @classmethod
    def _networks(cls, value: str) -> str:
        proxy_networks(value)  # raises ValueError, which names the bad entry
        return value

    def proxies(self) -> tuple[IPNetwork, ...]:
        return proxy_networks(self.trusted_proxies)


IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


def proxy_networks(text: str) -> tuple[IPNetwork, ...]:
    """``CLERK_TRUSTED_PROXIES`` parsed: ``10.0.0.5, 10.1.0.0/16, ::1``."""
    networks = []
    for entry in (part.strip() for part in text.split(",")):
        if not entry:
            continue
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError:
            raise ValueError(
                f"CLERK_TRUSTED_PROXIES entry {entry!r} is not an IP address or network "
                "(e.g. 10.0.0.5 or 10.0.0.0/24)"
            ) from None
    return tuple(networks)
