"""Every URI the catalogue writes, from one place.

``base_url`` is where the *output* folder is served (the catalogue is its ``catalogue/``
sub-folder, a package ``<document_id>/``). With it, every URI is absolute, which harvesters
need; without it, links are relative to the document that holds them, so a catalogue opened
from disk (file://) still works. ``here`` is that document's folder inside the catalogue
(``""`` for ``index.html`` and ``dcat.jsonld``, ``"dcat/pages/"`` for a DCAT page), which is
what relative links depend on.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from yusuan.catalogue.index import CATALOGUE_DIR


@dataclass(frozen=True)
class Links:
    base_url: str | None = None  # normalised: ends with "/"
    here: str = ""  # folder of the linking document inside the catalogue, ending with "/"

    def at(self, here: str) -> Links:
        """The same links as seen from another folder of the catalogue."""
        return Links(self.base_url, here)

    @property
    def _up(self) -> str:
        return "../" * self.here.count("/")

    def catalogue(self, path: str = "") -> str:
        """A file of the catalogue (``path`` relative to the catalogue folder, URL-quoted)."""
        if self.base_url:
            return f"{self.base_url}{CATALOGUE_DIR}/{path}"
        return f"{self._up}{path}" or "./"

    def package_file(self, folder: str, name: str) -> str:
        """A file of a package (``folder`` is the package's folder name)."""
        path = f"{quote(folder)}/{quote(name)}"
        return f"{self.base_url}{path}" if self.base_url else f"{self._up}../{path}"

    # The catalogue's own documents, in one place so pages, DCAT and index agree.
    def dataset_page(self, document_id: str) -> str:
        return self.catalogue(f"datasets/{quote(document_id)}.html")

    def dataset_uri(self, document_id: str) -> str:
        return self.dataset_page(document_id) + "#dataset"

    def dataset_dcat(self, document_id: str) -> str:
        return self.catalogue(f"dcat/datasets/{quote(document_id)}.jsonld")

    def dcat_page(self, number: int) -> str:
        return self.catalogue(f"dcat/pages/{number}.jsonld")

    def dataset_zip(self, document_id: str) -> str:
        return self.catalogue(f"downloads/{quote(document_id)}.zip")

    def catalogue_uri(self) -> str:
        return self.catalogue("index.html#catalogue")

    def licence(self, anchor: str) -> str:
        return self.catalogue(f"licence.html#{anchor}")
