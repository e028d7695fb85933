from pathlib import Path

import pytest

from clerk.errors import CODES, ApplicationError, BusinessError, ClerkError, error, errors_markdown
from clerk.paths import PROJECT_ROOT


def test_docs_list_every_code() -> None:
    docs = (PROJECT_ROOT / "docs" / "errors.md").read_text()
    assert docs == errors_markdown(), "regenerate: clerk errors --markdown > docs/errors.md"


def test_error_picks_the_class_of_its_code() -> None:
    assert isinstance(error("DUPLICATE", "x"), BusinessError)
    assert isinstance(error("ERP_TIMEOUT", "x"), ApplicationError)
    exc = error("ENCRYPTED_PDF", "the PDF asks for a password")
    assert exc.as_exception() == {
        "type": "BUSINESS",
        "code": "ENCRYPTED_PDF",
        "message": "the PDF asks for a password",
    }


def test_unknown_codes_are_refused() -> None:
    with pytest.raises(ValueError, match="unknown error code"):
        ClerkError("NOPE", "x")


def test_every_code_is_upper_snake_case() -> None:
    for code in CODES:
        assert code.isupper() and " " not in code


def test_paths_module_points_at_the_repo() -> None:
    assert (PROJECT_ROOT / "pyproject.toml").is_file()
    assert isinstance(PROJECT_ROOT, Path)


def test_errors_survive_pickling_across_processes() -> None:
    import pickle

    exc = error("MASTER_DATA_UNAVAILABLE", "the vendor master cannot be used")
    back = pickle.loads(pickle.dumps(exc))
    assert type(back) is type(exc)
    assert (back.code, back.message, str(back)) == (exc.code, exc.message, str(exc))
