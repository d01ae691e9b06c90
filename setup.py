"""Build details pyproject.toml cannot say: where two folders of the fixed top level go.

- ``flows/`` (the Prefect flows, a fixed top-level folder of the repository) is installed as
  the subpackage ``yusuan.flows``, not as a generic top-level ``flows`` package.
- ``schemas/`` (the single source of field names, titles and vocabularies) is copied into the
  built package as ``yusuan/_schemas``, so a wheel (``pip install .``) carries it; an editable
  install reads the checkout's ``schemas/`` directly (``yusuan.core.schema_files.schemas_dir``).
- ``yusuan/extract/_pdfium_chars.c`` (the PDFium reader's per-character loop in C, issue 14)
  is compiled as the optional extension ``yusuan.extract._pdfium_chars``: it needs a C
  compiler and the Python headers; without them the install still succeeds and the reader
  runs its Python loop (yusuan/extract/pdfium_native.py). FMA contraction is off so that the
  C arithmetic rounds every operation as Python does (the same bits in published data).
- ``yusuan/extract/_layout_loops.c`` (loops of the layout functions in C: the word splitting
  of every text line and table cell, the characters' centres) is the optional extension
  ``yusuan.extract._layout_loops``, built the same way (with ``_layout_tables.c``, a page's
  cells grouped into tables, ``_close_chars.c``, the characters that may be duplicates, and
  ``_layout_cells.c``, a page's ruled cells from its rulings, ``_layout_table_text.c``, the text of a table's cells, in the same module); without it the layout functions run their Python code
  (yusuan/extract/layout_native.py).
- ``yusuan/extract/_pdf_content.c`` (the content-stream tokenizer of ``pdfium_content`` in C,
  issue 14) is compiled as the optional extension ``yusuan.extract._pdf_content`` on the same
  terms: without it ``pdfium_content`` reads the content with its regular expression
  (yusuan/extract/pdf_content_native.py).
- ``yusuan/core/_resource_columns.c`` (a resource's columns taken out of its rows in one pass,
  for the package writer, issue 14) is the optional extension ``yusuan.core._resource_columns``
  on the same terms: without it ``yusuan.core.resource_columns`` takes them in Python.
"""

import shutil
from pathlib import Path

from setuptools import Extension, find_packages, setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent


class BuildWithSchemas(build_py):
    def run(self) -> None:
        super().run()
        if not self.editable_mode:
            target = Path(self.build_lib) / "yusuan" / "_schemas"
            shutil.rmtree(target, ignore_errors=True)
            shutil.copytree(HERE / "schemas", target)


setup(
    packages=[*find_packages(include=["yusuan", "yusuan.*"]), "yusuan.flows"],
    package_dir={"yusuan.flows": "flows"},
    cmdclass={"build_py": BuildWithSchemas},
    ext_modules=[
        Extension(
            "yusuan.extract._pdfium_chars",
            ["yusuan/extract/_pdfium_chars.c"],
            depends=["yusuan/extract/_char_object.h"],
            extra_compile_args=["-O2", "-ffp-contract=off", "-fno-fast-math"],
            libraries=["m"],
            optional=True,
        ),
        Extension(
            "yusuan.extract._layout_loops",
            ["yusuan/extract/_layout_loops.c", "yusuan/extract/_layout_tables.c", "yusuan/extract/_close_chars.c", "yusuan/extract/_layout_cells.c", "yusuan/extract/_layout_table_text.c"],
            depends=["yusuan/extract/_layout_loops.h", "yusuan/extract/_layout_sort.h", "yusuan/extract/_char_object.h"],
            extra_compile_args=["-O2", "-ffp-contract=off", "-fno-fast-math"],
            optional=True,
        ),
        Extension(
            "yusuan.extract._pdf_content",
            ["yusuan/extract/_pdf_content.c"],
            extra_compile_args=["-O2"],
            optional=True,
        ),
        Extension(
            "yusuan.core._resource_columns",
            ["yusuan/core/_resource_columns.c"],
            extra_compile_args=["-O2"],
            optional=True,
        ),
    ],
)
