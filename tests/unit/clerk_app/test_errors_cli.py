"""``clerk errors``: code, type and meaning in columns that never run together."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from clerk.errors import CODES
from clerk_app.cli import app


def test_columns_are_apart_and_fit_the_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    result = CliRunner().invoke(app, ["errors"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["CODE", "TYPE", "MEANING"]
    assert max(len(line) for line in lines) <= 80
    type_at = lines[0].index("TYPE")
    meaning_at = lines[0].index("MEANING")
    rows = {line.split()[0]: line for line in lines[1:] if not line.startswith(" ")}
    assert set(rows) == set(CODES)  # the longest code too: nothing ran into its type
    for code, line in rows.items():
        assert line[:type_at].rstrip() == code and line[type_at - 2 : type_at] == "  "
        assert line[type_at:meaning_at].strip() == CODES[code].type
    wrapped = " ".join(
        line.strip() for line in lines[lines.index(rows["MASTER_DATA_UNAVAILABLE"]) :][:4]
    )
    assert CODES["MASTER_DATA_UNAVAILABLE"].meaning in wrapped.split("APPLICATION", 1)[1]
