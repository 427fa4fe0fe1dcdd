"""Runs inside the badgecheck virtualenv: 1EdTech's OB 2.0 validator, offline but for loopback."""

# Usage: python badgecheck_runner.py SOURCE CONTEXT_FILE, where SOURCE is an assertion URL or
# a baked PNG. Prints the validator's report as JSON. The OB 2.0 JSON-LD context, which the
# validator always downloads, is answered from CONTEXT_FILE; other non-local URLs fail.

import json
import sys

import requests

CONTEXTS = ("https://w3id.org/openbadges/v2", "https://openbadgespec.org/v2/context.json")


def main() -> None:
    source, context_file = sys.argv[1], sys.argv[2]
    with open(context_file, "rb") as handle:
        context = handle.read()
    original = requests.Session.request

    def request(self, method, url, *args, **kwargs):
        if url.rstrip("/").startswith(CONTEXTS):
            response = requests.models.Response()
            response.status_code, response._content, response.url = 200, context, url
            response.headers["Content-Type"] = "application/ld+json"
            response.encoding = "utf-8"
            return response
        if not url.startswith(("http://127.0.0.1", "http://localhost")):
            raise requests.ConnectionError("offline test run: refusing " + url)
        return original(self, method, url, *args, **kwargs)

    requests.Session.request = request  # type: ignore[method-assign]  # the offline patch
    from openbadges import verify

    if source.endswith(".png"):
        with open(source, "rb") as image:
            report = verify(image, use_cache=False, cache_backend=None)
    else:
        report = verify(source, use_cache=False, cache_backend=None)
    print(json.dumps(report["report"], default=str))


if __name__ == "__main__":
    main()
