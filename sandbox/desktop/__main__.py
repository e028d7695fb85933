"""``python -m sandbox.desktop``: run the desktop ERP client on ``$DISPLAY``."""

from sandbox.desktop._client import main

main()
