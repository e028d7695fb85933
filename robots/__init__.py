"""The robots: robocorp-tasks entry points, one module per robot (``intake``,
``understand``, ``enter_erp``, ``enter_erp_desktop``, ``publish_cms``), the page objects
(``robots.bots``), the egress guard and the credential vault.

Each robot is run by ``python -m robocorp.tasks run robots/<name>.py``; nothing here is
imported as a library but ``robots.bots`` (see its ``__all__``).

Public modules: the five robots above, ``credentials`` and ``credentials_cli``, and
``robots.bots``; ``_common``, ``_egress``, ``_intake_ledger`` and ``_vendor_memory`` are
private to the package.
"""

__all__: list[str] = []
