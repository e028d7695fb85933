"""The legacy ERP and CMS that the bots, tests and demo drive: real web apps with their
own SQLite databases and faults that can be switched on at run time.

Public modules: ``server``, ``cli``, ``settings``, ``faults`` and the ``desktop``
subpackage; the web apps, their stores and the seed (``_erp``, ``_cms``, ``_*_store``,
``_seed``, ``_web``, ``_auth``, ``_erp_forms``) are private.
"""

from sandbox.faults import Faults, read_ledger, set_faults
from sandbox.settings import SandboxSettings

__all__ = ["Faults", "SandboxSettings", "read_ledger", "set_faults"]
