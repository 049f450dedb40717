"""Network guard for learner code: only loopback is reachable.

Loaded before the learner's code (and by sitecustomize in any Python the learner's code starts), so
that nothing in a lab, including libraries that phone home such as the SageMaker SDK's telemetry,
can reach real AWS, whatever endpoint_url, region or credentials the code passes.
Standard library only: this file runs inside the learner's interpreter.
"""

from __future__ import annotations

import ipaddress
import os
import socket
import sys

_PREFIX = "labs never reach real AWS"
_LOCAL_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"}
_reported: set[str] = set()


class RealNetworkBlocked(ConnectionRefusedError):
    """Raised instead of connecting anywhere but loopback."""


def _is_loopback_ip(host: str) -> bool:
    try:
        return ipaddress.ip_address(host.split("%", 1)[0]).is_loopback
    except ValueError:
        return False


def _is_local_name(host: object) -> bool:
    if host is None:
        return True  # getaddrinfo(None, port) means the local host
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    if not isinstance(host, str):
        return False
    name = host.strip("[]").rstrip(".").lower()
    return name in _LOCAL_NAMES or name.endswith(".localhost") or _is_loopback_ip(name)


def _refuse(what: str) -> RealNetworkBlocked:
    message = (
        f"{_PREFIX}: blocked {what}. Your code talks to the lab's simulated AWS at "
        f"{os.environ.get('AWS_ENDPOINT_URL', 'the sandbox')}; do not pass your own "
        "endpoint_url, and nothing here needs the internet."
    )
    # Libraries often wrap connection errors in their own message; say it once on stderr too.
    if what not in _reported:
        _reported.add(what)
        print(f"[trainer] {message}", file=sys.stderr, flush=True)
    return RealNetworkBlocked(message)


def _address_host(address: object) -> object:
    if isinstance(address, tuple) and address:
        return address[0]
    return None


def install() -> None:
    """Patch the socket module; idempotent."""
    if getattr(socket, "_trainer_guarded", False):
        return
    socket._trainer_guarded = True  # type: ignore[attr-defined]

    real_connect = socket.socket.connect
    real_connect_ex = socket.socket.connect_ex
    real_sendto = socket.socket.sendto
    real_getaddrinfo = socket.getaddrinfo
    real_gethostbyname = socket.gethostbyname
    real_gethostbyname_ex = socket.gethostbyname_ex

    def check_address(sock: socket.socket, address: object) -> None:
        if sock.family not in (socket.AF_INET, socket.AF_INET6):
            return  # Unix sockets and the like are local by nature
        host = _address_host(address)
        if not _is_local_name(host):
            port = address[1] if isinstance(address, tuple) and len(address) > 1 else "?"
            raise _refuse(f"a connection to {host}:{port}")

    def connect(self: socket.socket, address: object) -> None:
        check_address(self, address)
        return real_connect(self, address)

    def connect_ex(self: socket.socket, address: object) -> int:
        check_address(self, address)
        return real_connect_ex(self, address)

    def sendto(self: socket.socket, data: bytes, *args: object) -> int:
        check_address(self, args[-1])
        return real_sendto(self, data, *args)

    def getaddrinfo(host: object, *args: object, **kwargs: object) -> list:
        if not _is_local_name(host):
            raise _refuse(f"a name lookup of {host!s}")
        return real_getaddrinfo(host, *args, **kwargs)

    def gethostbyname(host: str) -> str:
        if not _is_local_name(host):
            raise _refuse(f"a name lookup of {host}")
        return real_gethostbyname(host)

    def gethostbyname_ex(host: str) -> tuple:
        if not _is_local_name(host):
            raise _refuse(f"a name lookup of {host}")
        return real_gethostbyname_ex(host)

    socket.socket.connect = connect  # type: ignore[method-assign]
    socket.socket.connect_ex = connect_ex  # type: ignore[method-assign]
    socket.socket.sendto = sendto  # type: ignore[method-assign]
    socket.getaddrinfo = getaddrinfo
    socket.gethostbyname = gethostbyname
    socket.gethostbyname_ex = gethostbyname_ex
