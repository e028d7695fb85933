"""Bots for desktop target screens, driven with rpaframework's RPA.Desktop on an X
display (Xvfb on a worker): the desktop ERP client of the sandbox."""

from clerk.display import VirtualDisplay, display_lock, ensure_display
from robots.bots.desktop.erp_desktop import DesktopErpBot

__all__ = ["DesktopErpBot", "VirtualDisplay", "display_lock", "ensure_display"]
