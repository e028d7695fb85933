"""The legacy apps' "System message" modal, dismissed wherever it appears."""

from __future__ import annotations

from typing import Any

# Runs in every frame and popup of a context. A locator handler per frame was the
# first design; it costs one visibility check per handler before every action (in every
# frame, per invoice: see bench/bench_erp_entry.py), this costs nothing.
_DISMISS_MODALS = """
(() => {
  const dismiss = () => {
    const dialogs = document.querySelectorAll('[data-testid="system-message"][role="dialog"]');
    for (const dialog of dialogs) {
      if (getComputedStyle(dialog).display === 'none') continue;
      const buttons = Array.from(dialog.querySelectorAll('button'));
      const ok = buttons.find(b => b.textContent.trim() === 'OK');
      if (ok) { ok.click(); console.info('clerk: dismissed a system message'); }
    }
  };
  new MutationObserver(dismiss).observe(document, {subtree: true, childList: true, attributes: true,
                                                   attributeFilter: ['style', 'class', 'hidden']});
})();
"""


def dismiss_modals(context: Any) -> None:
    """Dismiss the app's "System message" modal (role dialog, test id system-message)
    the moment it appears, in every frame and popup window of ``context``."""
    context.add_init_script(_DISMISS_MODALS)
