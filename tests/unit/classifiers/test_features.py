from classifiers._features import MAX_CHARS, prepare


def test_prepare_lowercases_and_collapses_all_whitespace() -> None:
    assert prepare("  RECHNUNG\tNr.\n\n42\f Seite 1  ") == "rechnung nr. 42 seite 1"


def test_prepare_caps_length_without_trailing_space() -> None:
    text = "ab " * 10_000
    out = prepare(text)
    assert len(out) <= MAX_CHARS
    assert out == out.strip()
    assert prepare("abcd efgh", max_chars=5) == "abcd"


def test_prepare_of_blank_is_empty() -> None:
    assert prepare("") == ""
    assert prepare(" \n\f\t ") == ""


def test_prepare_lowercases_like_python_for_letters_onnx_would_not() -> None:
    assert prepare("İSTANBUL ÉCOLE STRASSE") == "İSTANBUL ÉCOLE STRASSE".lower()


def test_prepare_replaces_the_onnx_pad_character() -> None:
    assert prepare("Invoice # 12 ##") == "invoice № 12 №№"
