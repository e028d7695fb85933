"""The proxy-bypass rules of the browser half of the egress guard (robots.bots.browser)."""

from __future__ import annotations

from robots._egress import AllowList
from robots.bots.browser import bypass_rules


def test_only_loopback_bypasses_by_default_and_implicit_rules_are_off() -> None:
    rules = bypass_rules(AllowList.parse("")).split(",")
    # "<-loopback>" drops Chromium's implicit bypasses (link-local 169.254/16 among them).
    assert rules[0] == "<-loopback>"
    assert set(rules[1:]) == {
        "localhost", "*.localhost", "localhost.localdomain", "127.0.0.1/8", "[::1]"
    }  # fmt: skip
    assert not [r for r in rules if r.startswith("169.254")]


def test_allow_listed_hosts_bypass_exactly_as_listed() -> None:
    rules = bypass_rules(AllowList.parse("erp.corp:8801, cr.corp ,[fd00::5]:443,10.1.2.3"))
    assert rules.split(",")[6:] == ["10.1.2.3", "cr.corp", "erp.corp:8801", "[fd00::5]:443"]


def test_entries_chromium_would_read_as_patterns_are_left_out() -> None:
    rules = bypass_rules(AllowList.parse("*.corp,10.0.0.0/8,http://x.corp,<local>,ok.corp"))
    assert rules.split(",")[6:] == ["ok.corp"]
