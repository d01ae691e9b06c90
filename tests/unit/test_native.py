"""The optional C extensions' loading and switches (yusuan/core/native.py), shared by the
reader's, the content tokenizer's and the resource columns' extensions."""

from __future__ import annotations

import pytest

from yusuan.core import native


def test_a_module_that_is_not_built_loads_as_none_with_its_reason():
    module, error = native.load("yusuan.core._no_such_extension")
    assert module is None
    assert isinstance(error, ImportError)


def test_a_built_module_loads():
    module, error = native.load("json")  # any importable module stands for a built one
    assert module is not None and error is None


def test_a_missing_extension_falls_back_unless_required(monkeypatch):
    _, error = native.load("yusuan.core._no_such_extension")
    monkeypatch.delenv("YUSUAN_REQUIRE_NATIVE", raising=False)
    assert native.enabled(None, "yusuan.core._no_such_extension", error) is False
    monkeypatch.setenv("YUSUAN_REQUIRE_NATIVE", "1")
    with pytest.raises(RuntimeError, match=r"_no_such_extension was not built"):
        native.enabled(None, "yusuan.core._no_such_extension", error)


def test_a_built_extension_is_used_unless_turned_off(monkeypatch):
    module, _ = native.load("json")
    monkeypatch.delenv("YUSUAN_NATIVE", raising=False)
    assert native.enabled(module, "json", None) is True
    monkeypatch.setenv("YUSUAN_NATIVE", "0")
    assert native.enabled(module, "json", None) is False
    monkeypatch.setenv("YUSUAN_REQUIRE_NATIVE", "1")  # required means built, not used
    assert native.enabled(module, "json", None) is False
