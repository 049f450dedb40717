"""The simulated AWS: one moto server on loopback, with clients for the toolkit's own use.

moto keeps its state in process-global backends, so a Sandbox resets that state when it starts
and whenever a lab begins. Clients made here ignore the user's AWS configuration entirely: fixed
fake credentials, the sandbox endpoint, no proxies.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import urllib.request
from typing import Any

from trainer.sandbox.runner import FAKE_ACCESS_KEY, FAKE_SECRET_KEY, REGION

ACCOUNT_ID = "123456789012"  # moto's default account


def _snake(operation: str) -> str:
    from botocore import xform_name

    return xform_name(operation)


class Sandbox:
    """A moto server bound to 127.0.0.1 on a free port. Use as a context manager."""

    region = REGION
    account_id = ACCOUNT_ID

    def __init__(self) -> None:
        self._server: Any = None
        self._session: Any = None
        self._clients: dict[str, Any] = {}
        self._lock = threading.Lock()
        self.endpoint_url = ""

    def start(self) -> Sandbox:
        if self._server is not None:
            return self
        # The dev server logs every request to stderr; the learner must not see that noise.
        werkzeug_log = logging.getLogger("werkzeug")
        werkzeug_log.setLevel(logging.ERROR)
        werkzeug_log.addHandler(logging.NullHandler())
        from moto.server import ThreadedMotoServer

        server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
        server.start()
        host, port = server.get_host_and_port()
        self._server = server
        self.endpoint_url = f"http://{host}:{port}"
        self.reset()
        return self

    def stop(self, wait: bool = False) -> None:
        """Shut the server down. The server notices only at its next poll (up to half a second
        later), so unless WAIT, that happens in the background and the caller goes on."""
        server, self._server = self._server, None
        if server is None:
            return
        if wait:
            server.stop()
        else:
            threading.Thread(target=server.stop, daemon=True).start()

    def __enter__(self) -> Sandbox:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def reset(self) -> None:
        """Forget every resource: the next lab starts from an empty account."""
        request = urllib.request.Request(f"{self.endpoint_url}/moto-api/reset", method="POST")
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        with opener.open(request, timeout=10) as response:
            response.read()

    def warm(self, service: str) -> None:
        """Make SERVICE's client and send it one read-only request, so moto loads that backend
        now and the checks' first call is not the slow one. Changes no state."""
        client = self.client(service)
        model = client.meta.service_model
        # List calls first: moto implements nearly all of them (not every Describe call).
        names = sorted(model.operation_names, key=lambda name: (not name.startswith("List"), name))
        for name in names:
            operation = model.operation_model(name)
            shape = operation.input_shape
            if name.startswith(("List", "Describe")) and not (shape and shape.required_members):
                with contextlib.suppress(Exception):  # warming is best effort
                    getattr(client, _snake(name))()
                return

    def client(self, service: str) -> Any:
        """A boto3 client for SERVICE talking to this sandbox (cached; thread-safe creation)."""
        with self._lock:
            if service not in self._clients:
                self._clients[service] = self._new_client(service)
            return self._clients[service]

    def _new_client(self, service: str) -> Any:
        if self._session is None:
            import boto3
            import botocore.session

            # A bare botocore session with explicit settings: the user's AWS_PROFILE, config
            # files and credential chain are never consulted.
            core = botocore.session.Session(session_vars={"profile": (None, None, None, None)})
            core.set_config_variable("config_file", "/dev/null")
            core.set_config_variable("credentials_file", "/dev/null")
            self._session = boto3.session.Session(
                aws_access_key_id=FAKE_ACCESS_KEY,
                aws_secret_access_key=FAKE_SECRET_KEY,
                region_name=REGION,
                botocore_session=core,
            )
        from botocore.config import Config

        return self._session.client(
            service,
            endpoint_url=self.endpoint_url,
            config=Config(proxies={}, retries={"max_attempts": 1}),
        )
