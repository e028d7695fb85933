"""``clerk demo`` exports the sandbox ERP's vendor master for the understand robot."""

from __future__ import annotations

import os
from pathlib import Path

from clerk.paths import PROJECT_ROOT
from clerk_app._demo import DemoOptions, DemoStack
from extractors.vendor_master import MasterVendor, VendorMaster
from sandbox._erp_store import ErpStore
from sandbox._seed import all_vendors


def test_the_demo_exports_the_erp_vendors_and_points_the_robots_at_them(tmp_path: Path) -> None:
    saved = dict(os.environ)
    try:
        stack = DemoStack(DemoOptions(home=tmp_path / "demo"))
        stack.prepare()
        samples = PROJECT_ROOT / "samples" / "expected"
        ErpStore(Path(stack.env["CLERK_SANDBOX_ERP_DB"]), samples)  # as the ERP seeds it
        path = stack.export_vendor_master()
        assert stack.env["CLERK_VENDOR_MASTER"] == str(path) == os.environ["CLERK_VENDOR_MASTER"]
        exported = VendorMaster.load(path).vendors
        seeded = [MasterVendor(v.number, v.name, v.vat_id, v.iban) for v in all_vendors(samples)]
        assert sorted(exported, key=lambda v: v.number) == sorted(seeded, key=lambda v: v.number)
        assert "AC-2025-0042" not in path.read_text(), "vendors only, never the entries"
    finally:
        os.environ.clear()
        os.environ.update(saved)


def test_a_callers_own_master_is_kept(tmp_path: Path) -> None:
    saved = dict(os.environ)
    try:
        own = tmp_path / "own.csv"
        options = DemoOptions(home=tmp_path / "demo", extra_env={"CLERK_VENDOR_MASTER": str(own)})
        stack = DemoStack(options)
        stack.prepare()
        assert stack.export_vendor_master() == own
        assert stack.env["CLERK_VENDOR_MASTER"] == str(own)
    finally:
        os.environ.clear()
        os.environ.update(saved)
