"""Write the app servers' part of the Varnish configuration (``dateline-backends.vcl``).

    python3 deploy/varnish/backends.py HOST:PORT [HOST:PORT ...] > DIR/dateline-backends.vcl

One backend per address, each health-checked on ``/healthz/process``, all in the round-robin director
``app`` that ``dateline.vcl`` sends requests to. ``make stack`` writes one for its app servers
(``STACK_APP_PORTS``) into ``var/stack-vcl/`` and puts that folder first on ``vcl_path``; for
another layout write one into a folder of your own put first on the path
(docs/operations.md, "The front cache"). The shipped ``dateline-backends.vcl`` is this script's
output for ``127.0.0.1:8001 127.0.0.1:8002`` (a test checks it). Standard library only: runs
with any Python 3.
"""

from __future__ import annotations

import argparse
import re
import sys

HEADER = """\
# The application servers behind deploy/varnish/dateline.vcl, written by
# deploy/varnish/backends.py (`python3 deploy/varnish/backends.py HOST:PORT ...`); `make stack`
# writes its own for STACK_APP_PORTS. One backend and one add_backend() line per server; Varnish
# sends each request to the next healthy one (a server that fails its health check gets none).
# The check asks whether the server answers, not whether the database does: the database is
# every server's, and the site answers better without it than Varnish would (decision 0095).
probe dateline_health {
    .url = "/healthz/process";
    .interval = 2s;
    .timeout = 2s;
    .window = 3;
    .threshold = 2;
}
"""

BACKEND = """
backend app{n} {{
    .host = "{host}";
    .port = "{port}";
    .probe = dateline_health;
    .connect_timeout = 1s;
    .first_byte_timeout = 30s;
}}
"""

HOST = re.compile(r"^[A-Za-z0-9.-]+$|^\[[0-9A-Fa-f:]+\]$")


def parse_address(text: str) -> tuple[str, int]:
    """``HOST:PORT`` (a bare port means 127.0.0.1; an IPv6 host in brackets)."""
    host, _, port = text.rpartition(":")
    host = host or "127.0.0.1"
    if not HOST.match(host) or not port.isdigit() or not 0 < int(port) < 65536:
        raise ValueError(f"not HOST:PORT: {text!r}")
    return host.strip("[]"), int(port)


def backends_vcl(addresses: list[tuple[str, int]]) -> str:
    """The VCL naming these app servers, in this order."""
    if not addresses:
        raise ValueError("at least one app server is needed")
    parts = [HEADER]
    parts += [
        BACKEND.format(n=n, host=host, port=port) for n, (host, port) in enumerate(addresses, 1)
    ]
    adds = "".join(f"    app.add_backend(app{n});\n" for n in range(1, len(addresses) + 1))
    parts.append(f"\nsub vcl_init {{\n    new app = directors.round_robin();\n{adds}}}\n")
    return "".join(parts)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("addresses", nargs="*", metavar="HOST:PORT")
    args = parser.parse_args(argv)
    try:
        vcl = backends_vcl([parse_address(a) for a in args.addresses])
    except ValueError as error:
        parser.error(str(error))
    sys.stdout.write(vcl)
    return 0


if __name__ == "__main__":
    sys.exit(main())
