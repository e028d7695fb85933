"""Bots for desktop target screens on an X display (Xvfb on a worker), driven through
XTest and python-xlib with rpaframework's RPA.Desktop for screenshots: the desktop ERP
client of the sandbox.

Its modules (``_erp_desktop``, ``_desk``, ``_client``, ``_windows``, ...) are private;
this package exports the names in ``__all__``.
"""

from clerk.display import VirtualDisplay, display_lock, ensure_display
from robots.bots.desktop._erp_desktop import DesktopErpBot

__all__ = ["DesktopErpBot", "VirtualDisplay", "display_lock", "ensure_display"]
