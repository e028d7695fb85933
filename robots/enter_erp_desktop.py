"""Enter ERP (desktop): invoices into the sandbox's desktop ERP client, through its
windows (``robots.bots.desktop``: XTest keyboard and mouse, RPA.Desktop screenshots).

The same step as Enter ERP (``robots.enter_erp``), item for item: the same payloads in
and out, the same idempotency key (the work item's id, left in the invoice's internal
note), the same failure codes, and the failure's screenshot attached to the item. The
desktop client has no purchase-order screen: a purchase order fails ``UNKNOWN_TYPE``
(BUSINESS), so a person routes it; other types pass on untouched.

A display: ``$DISPLAY`` when set (``clerk worker`` starts an Xvfb for its robots when it
has none), else an Xvfb of the robot's own for the step run. The client is started by
the bot (``CLERK_DESKTOP_ERP_COMMAND``) and ends with it. Credentials from the vault
(``clerk credentials set ERP``).
"""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path

from robots import _common as common
from robots._common import task
from robots.enter_erp import enter_item

log = logging.getLogger("clerk.robots.enter_erp_desktop")


@task
def enter_erp_desktop() -> None:
    """Enter invoices into the desktop ERP; pass everything on."""
    from robots.bots import BotSettings
    from robots.bots.desktop import DesktopErpBot, ensure_display

    settings = BotSettings()
    common.start("enter_erp_desktop")  # the client is local: loopback and X only
    with (
        ensure_display(),
        DesktopErpBot(settings) as bot,
        tempfile.TemporaryDirectory() as tmp,
    ):
        tally = common.for_each_input(lambda item: enter_item(item, bot, Path(tmp)))
    log.info("enter_erp_desktop finished: %s", tally)
