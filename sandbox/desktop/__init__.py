"""The sandbox's desktop ERP client (Tk) and its run-time faults."""

from sandbox.desktop._faults import DesktopFaults, set_desktop_faults

__all__ = ["DesktopFaults", "set_desktop_faults"]
