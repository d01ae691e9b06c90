"""Static files over loopback for download tests: an ETag per file, 304 to a matching
If-None-Match, 404 for any other path; counts the requests per path and the answers per status."""

from __future__ import annotations

import hashlib
import threading
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

CONTENT_TYPES = {
    ".shtml": "text/html; charset=utf-8",
    ".html": "text/html; charset=utf-8",
    ".pdf": "application/pdf",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
DEFAULT_TYPE = "text/plain; charset=utf-8"


class StaticSite:
    """``with StaticSite({"/a.pdf": data}) as site: site.url("/a.pdf")``."""

    def __init__(self, files: dict[str, bytes]):
        self.files = files
        self.requests: Counter[str] = Counter()  # per path asked
        self.sent: Counter[str] = Counter()  # per status answered: "200", "304", "404"
        site = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def answer(self, status: int, headers: dict[str, str], body: bytes = b"") -> None:
                site.sent[str(status)] += 1
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self):
                site.requests[self.path] += 1
                body = site.files.get(self.path)
                if body is None:
                    self.answer(404, {"Content-Type": "text/html", "Content-Length": "0"})
                    return
                etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
                if self.headers.get("If-None-Match") == etag:
                    self.answer(304, {"ETag": etag})
                    return
                suffix = "." + self.path.rsplit(".", 1)[-1] if "." in self.path.rsplit("/", 1)[-1] else ""
                content_type = CONTENT_TYPES.get(suffix, DEFAULT_TYPE)
                self.answer(200, {"Content-Type": content_type, "Content-Length": str(len(body)), "ETag": etag}, body)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def root(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def url(self, path: str) -> str:
        return self.root + path

    def __enter__(self) -> StaticSite:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
