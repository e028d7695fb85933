"""Document data is text: markup in a field or a file name never becomes markup."""

from __future__ import annotations

from tests.unit.controlroom.console.conftest import Console
from tests.unit.controlroom.console.support import fail_for_review

SCRIPT = "<script>alert(1)</script>"


def test_script_in_a_field_and_a_file_name_renders_as_text(console: Console) -> None:
    name = '"><img src=x onerror=alert(1)>.pdf'
    _, item_id = fail_for_review(
        console.factory,
        console.client(),
        console.process_id,
        console.workspace_id,
        name=name,
        exception={"type": "BUSINESS", "code": "NEEDS_REVIEW", "message": SCRIPT},
    )
    client = console.logged_in("rita", "reviewer")
    for path in (f"/console/items/{item_id}", "/console/review"):
        html = client.get(path).text
        assert SCRIPT not in html
        assert "<img src=x" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    item_html = client.get(f"/console/items/{item_id}").text
    # The vendor field value from the document, escaped inside the input's value.
    assert 'value="ACME &lt;script&gt;alert(1)&lt;/script&gt; GmbH"' in item_html
    assert "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;.pdf" in item_html
