"""``python -m sandbox.desktop``: run the desktop ERP client on ``$DISPLAY``."""

from sandbox.desktop.client import main

main()
