"""Run learner code in a child Python process that can only reach the sandbox.

The child gets a scrubbed environment (no AWS_* of the user's, fake credentials, empty config
files), the network guard, a time limit that kills the whole process group, and capped output.
Whatever the code does (exit, crash, hang, flood the terminal), the caller gets a RunResult.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

GUEST_DIR = Path(__file__).resolve().parent / "guest"
OUTPUT_CAP = 1_000_000  # bytes kept per stream
DEFAULT_TIMEOUT = 30.0
FAKE_ACCESS_KEY = "AKIATRAINERSANDBOX00"
FAKE_SECRET_KEY = "trainer-sandbox-not-a-real-secret"
REGION = "us-east-1"

# Variables from the user's shell that would steer the child somewhere it must not go.
_DROPPED = ("PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP", "PYTHONINSPECT", "VIRTUAL_ENV_PROMPT")
_PROXY_VARS = {"http_proxy", "https_proxy", "all_proxy", "no_proxy"}


@dataclass(frozen=True)
class RunResult:
    exit_code: int | None  # None when the process was killed
    timed_out: bool
    cancelled: bool
    stdout: str
    stderr: str
    seconds: float
    signal: str | None = None  # name of the signal that ended the process, if any

    @property
    def ok(self) -> bool:
        return self.exit_code == 0 and not self.timed_out and not self.cancelled

    def summary(self, timeout: float | None = None) -> str:
        """One line saying how the run ended, for the learner."""
        if self.timed_out:
            limit = f" {timeout:g} s" if timeout else ""
            return (
                f"your code was stopped after the{limit} time limit (it and everything it "
                "started were killed); look for a loop that never ends or a call that waits"
            )
        if self.cancelled:
            return "the run was cancelled"
        if self.signal:
            return f"your code was killed by {self.signal}"
        if self.exit_code == 0:
            return "your code ran to the end"
        return f"your code exited with code {self.exit_code}"

    def to_json(self) -> dict[str, object]:
        return {
            "exit_code": self.exit_code,
            "timed_out": self.timed_out,
            "stdout": self.stdout,
            "stderr": self.stderr,
        }


def child_environment(endpoint_url: str | None, scratch: Path) -> dict[str, str]:
    """The environment the learner's code sees: the user's, minus anything AWS or proxy."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("AWS_") and key not in _DROPPED and key.lower() not in _PROXY_VARS
    }
    empty_config = scratch / "aws-config"
    empty_credentials = scratch / "aws-credentials"
    empty_config.write_text("")
    empty_credentials.write_text("")
    # The SageMaker Python SDK v2 reads its defaults from an admin and a user config file. Point
    # both at one file of ours: it opts out of telemetry (fit() would otherwise try to reach a
    # real S3 host, which the guard blocks), and the learner's or the machine's own SDK defaults
    # (roles, subnets, KMS keys) cannot leak into a lab and make wrong code pass. The SDK needs
    # no other setup; without it installed these variables are inert.
    sagemaker_config = scratch / "sagemaker-config.yaml"
    sagemaker_config.write_text(
        "SchemaVersion: '1.0'\n"
        "SageMaker:\n"
        "  PythonSDK:\n"
        "    Modules:\n"
        "      TelemetryOptOut: true\n"
    )
    if endpoint_url is not None:  # else the guest sets it when it is told to go
        env["AWS_ENDPOINT_URL"] = endpoint_url
    env.update(
        AWS_ACCESS_KEY_ID=FAKE_ACCESS_KEY,
        AWS_SECRET_ACCESS_KEY=FAKE_SECRET_KEY,
        AWS_DEFAULT_REGION=REGION,
        AWS_REGION=REGION,
        AWS_CONFIG_FILE=str(empty_config),
        AWS_SHARED_CREDENTIALS_FILE=str(empty_credentials),
        AWS_EC2_METADATA_DISABLED="true",
        # A blocked call fails at once instead of retrying with back-off for seconds.
        AWS_MAX_ATTEMPTS="1",
        NO_PROXY="127.0.0.1,localhost,::1",
        PYTHONPATH=str(GUEST_DIR),
        PYTHONUNBUFFERED="1",
        PYTHONDONTWRITEBYTECODE="1",
        PYTHONIOENCODING="utf-8",
        SAGEMAKER_ADMIN_CONFIG_OVERRIDE=str(sagemaker_config),
        SAGEMAKER_USER_CONFIG_OVERRIDE=str(sagemaker_config),
        # The v2 -> v3 migration notice the SDK prints on import is about the SDK, not the lab.
        SAGEMAKER_SUPPRESS_V2_WARNING="1",
    )
    return env


class _CappedReader(threading.Thread):
    """Drains one pipe to the end, keeping the first OUTPUT_CAP bytes."""

    def __init__(self, pipe) -> None:  # noqa: ANN001 - a binary file object
        super().__init__(daemon=True)
        self._pipe = pipe
        self._kept = bytearray()
        self._dropped = 0

    def run(self) -> None:
        read = self._pipe.read1 if hasattr(self._pipe, "read1") else self._pipe.read
        while chunk := read(65536):
            room = OUTPUT_CAP - len(self._kept)
            if room > 0:
                self._kept += chunk[:room]
            self._dropped += max(0, len(chunk) - max(room, 0))
        self._pipe.close()

    def text(self) -> str:
        text = self._kept.decode("utf-8", errors="replace")
        if self._dropped:
            text += f"\n[trainer: output truncated, {self._dropped:,} more bytes not shown]\n"
        return text


class LearnerProcess:
    """One run of learner code in a child interpreter, started early.

    The child starts at once and loads Python and boto3 while the caller starts the sandbox and
    runs the lab's setup; ``run`` then hands it the sandbox's endpoint and lets the code go. The
    time limit counts from that moment. Use as a context manager: leaving it kills whatever is
    left of the child and its process group.
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path).resolve()
        self._scratch = tempfile.TemporaryDirectory(prefix="trainer-run-")
        self._closed = False
        env = child_environment(None, Path(self._scratch.name))
        self._process = subprocess.Popen(
            [sys.executable, str(GUEST_DIR / "_trainer_run.py"), "--wait", str(self.path)],
            cwd=self.path.parent,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,  # its own process group, so a kill reaches what it started
        )
        self._readers = [_CappedReader(self._process.stdout), _CappedReader(self._process.stderr)]
        for reader in self._readers:
            reader.start()

    def __enter__(self) -> LearnerProcess:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """End the child and all it started, and clean up; later calls do nothing."""
        if self._closed:
            return
        self._closed = True
        # Anything the code left running in the background goes too, and releases the pipes.
        _kill_group(self._process.pid)
        self._process.wait()
        for reader in self._readers:
            reader.join(timeout=5)
        self._scratch.cleanup()

    def run(
        self,
        endpoint_url: str,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        cancel: threading.Event | None = None,
    ) -> RunResult:
        """Let the code run against the sandbox at ENDPOINT_URL and wait for it to end.

        Never raises for anything the learner's code does; the caller gets exit code, timeout
        flag and captured output (each stream capped at about 1 MB, with a note when truncated).
        """
        process = self._process
        started = time.perf_counter()
        try:
            process.stdin.write(f"{endpoint_url}\n".encode())
            process.stdin.close()
        except BrokenPipeError:
            pass  # the interpreter already ended (it could not start); reported below
        timed_out = cancelled = False
        deadline = started + timeout
        while True:
            try:
                process.wait(timeout=0.05)
                break
            except subprocess.TimeoutExpired:
                if time.perf_counter() >= deadline:
                    timed_out = True
                elif cancel is not None and cancel.is_set():
                    cancelled = True
                else:
                    continue
                _kill_group(process.pid)
                process.wait()
                break
        seconds = time.perf_counter() - started
        self.close()
        code = process.returncode
        signal_name = None
        if code is not None and code < 0:
            number = -code
            signal_name = (
                signal.Signals(number).name if number in signal.valid_signals() else str(number)
            )
            code = None
        return RunResult(
            exit_code=code,
            timed_out=timed_out,
            cancelled=cancelled,
            stdout=self._readers[0].text(),
            stderr=self._readers[1].text(),
            seconds=seconds,
            signal=None if (timed_out or cancelled) else signal_name,
        )


def run_learner_code(
    path: Path,
    endpoint_url: str,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    cancel: threading.Event | None = None,
) -> RunResult:
    """Run PATH as `python PATH` would, against the sandbox at ENDPOINT_URL (see LearnerProcess)."""
    with LearnerProcess(path) as process:
        return process.run(endpoint_url, timeout=timeout, cancel=cancel)


def _kill_group(pgid: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, signal.SIGKILL)
