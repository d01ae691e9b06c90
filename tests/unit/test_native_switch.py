"""The native switch read from os.environ's encoded dict (yusuan/core/native.py,
``turned_off``) against ``os.environ.get`` (stop 32, issue 14)."""

from __future__ import annotations

import os
from unittest import mock

import pytest

from yusuan.core import native

SETTINGS = [None, "0", "1", "", "00", " 0", "0 ", "false", "０"]


def _expected() -> bool:
    return os.environ.get("YUSUAN_NATIVE", "1") == "0"


@pytest.mark.parametrize("setting", SETTINGS)
def test_the_switch_reads_what_os_environ_reads(monkeypatch, setting):
    if setting is None:
        monkeypatch.delenv("YUSUAN_NATIVE", raising=False)
    else:
        monkeypatch.setenv("YUSUAN_NATIVE", setting)
    assert native.turned_off() is _expected()
    module, _ = native.load("json")
    assert native.enabled(module, "json", None) is (not _expected())


@pytest.mark.parametrize("setting", SETTINGS)
def test_the_fallback_reads_the_same(monkeypatch, setting):
    monkeypatch.setattr(native, "_ENCODED", False)
    if setting is None:
        monkeypatch.delenv("YUSUAN_NATIVE", raising=False)
    else:
        monkeypatch.setenv("YUSUAN_NATIVE", setting)
    assert native.turned_off() is _expected()


def test_a_change_of_the_environment_is_seen_at_once(monkeypatch):
    monkeypatch.setenv("YUSUAN_NATIVE", "1")
    assert not native.turned_off()
    with mock.patch.dict(os.environ, {"YUSUAN_NATIVE": "0"}):
        assert native.turned_off()
    assert not native.turned_off()
    os.environ["YUSUAN_NATIVE"] = "0"  # monkeypatch restores it
    assert native.turned_off()
    del os.environ["YUSUAN_NATIVE"]
    assert not native.turned_off()
