"""The sandbox's desktop ERP client (Tk) and its run-time faults.

Run it with ``python -m sandbox.desktop``. Its modules (``_client``, ``_dialogs``,
``_invoice_form``, ``_widgets``, ``_faults``) are private; this package exports the names
in ``__all__``.
"""

from sandbox.desktop._faults import DesktopFaults, set_desktop_faults

__all__ = ["DesktopFaults", "set_desktop_faults"]
