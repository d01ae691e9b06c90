"""Run inside the CKAN venv (not the project's): read a DCAT catalogue over HTTP the way
ckanext-dcat's harvester does (RDFParser, DCAT-AP profile, following hydra:next from page to
page) and print the CKAN dataset dicts it makes, as JSON, on stdout.

    <ckan venv>/bin/python ckanext_dcat_harvest.py http://127.0.0.1:PORT/catalogue/dcat.jsonld
"""

import json
import sys
import urllib.request

from ckanext.dcat.processors import RDFParser


def harvest(url):
    datasets, pages = [], []
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # loopback only
    while url and url not in pages:
        pages.append(url)
        with opener.open(url, timeout=30) as response:
            data = response.read().decode("utf-8")
        parser = RDFParser(profiles=["euro_dcat_ap_2"])
        parser.parse(data, _format="json-ld")
        datasets.extend(parser.datasets())
        url = parser.next_page()
    return {"pages": pages, "datasets": datasets}


if __name__ == "__main__":
    json.dump(harvest(sys.argv[1]), sys.stdout, ensure_ascii=False)
