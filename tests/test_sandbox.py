"""The sandbox: learner code runs in a child that can only reach the simulated AWS."""

from __future__ import annotations

import os
import textwrap
import time
from pathlib import Path

import pytest

from trainer.sandbox import Sandbox, run_learner_code
from trainer.sandbox.runner import OUTPUT_CAP, child_environment


def run(tmp_path: Path, sandbox: Sandbox, source: str, **kwargs):
    path = tmp_path / "main.py"
    path.write_text(textwrap.dedent(source))
    return run_learner_code(path, sandbox.endpoint_url, **kwargs)


def test_learner_code_reaches_the_sandbox_with_plain_boto3(tmp_path, sandbox):
    sandbox.reset()
    result = run(
        tmp_path,
        sandbox,
        """
        import boto3
        boto3.client("s3").create_bucket(Bucket="made-by-learner")
        print("ok")
        """,
    )
    assert result.exit_code == 0, result.stderr
    names = [b["Name"] for b in sandbox.client("s3").list_buckets()["Buckets"]]
    assert names == ["made-by-learner"]


@pytest.mark.parametrize(
    "call",
    [
        # an explicit real endpoint, region and credentials must not get out
        'boto3.client("sts", endpoint_url="https://sts.amazonaws.com", region_name="eu-west-1",'
        ' aws_access_key_id="AKIAREAL", aws_secret_access_key="x").get_caller_identity()',
        'socket.create_connection(("52.94.236.248", 443), timeout=2)',
        'socket.getaddrinfo("sagemaker.us-east-1.amazonaws.com", 443)',
        'urllib.request.urlopen("http://169.254.169.254/latest/meta-data/", timeout=2)',
    ],
)
def test_network_guard_refuses_anything_but_loopback(tmp_path, sandbox, call):
    result = run(
        tmp_path,
        sandbox,
        f"""
        import socket, urllib.request, boto3
        try:
            {call}
        except Exception as exc:
            print("refused:", type(exc).__name__)
        else:
            print("CONNECTED")
        """,
    )
    assert "CONNECTED" not in result.stdout
    assert "refused:" in result.stdout
    assert "labs never reach real AWS" in result.stderr


def test_guard_also_covers_python_processes_the_code_starts(tmp_path, sandbox):
    result = run(
        tmp_path,
        sandbox,
        """
        import subprocess, sys
        child = 'import socket; socket.create_connection(("93.184.216.34", 80), timeout=2)'
        done = subprocess.run([sys.executable, "-c", child], capture_output=True, text=True)
        print(done.returncode, done.stderr)
        """,
    )
    assert "labs never reach real AWS" in result.stdout


def test_environment_is_scrubbed_of_the_users_aws_settings(tmp_path, sandbox, monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAUSERREALKEY")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "user-real-secret")
    monkeypatch.setenv("AWS_SESSION_TOKEN", "user-token")
    monkeypatch.setenv("AWS_PROFILE", "production")
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.example:3128")
    result = run(
        tmp_path,
        sandbox,
        """
        import os, json
        print(json.dumps({k: v for k, v in os.environ.items()
                          if k.startswith("AWS_") or "proxy" in k.lower()}))
        """,
    )
    import json

    env = json.loads(result.stdout)
    assert env["AWS_ENDPOINT_URL"] == sandbox.endpoint_url
    assert env["AWS_DEFAULT_REGION"] == "us-east-1"
    assert env["AWS_ACCESS_KEY_ID"] != "AKIAUSERREALKEY"
    assert "user-real-secret" not in result.stdout
    assert "AWS_SESSION_TOKEN" not in env and "AWS_PROFILE" not in env
    assert "HTTPS_PROXY" not in env
    for name in ("AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE"):
        assert Path(env[name]).name.startswith("aws-") and env[name] != ""


def test_child_environment_points_config_files_at_empty_files(tmp_path, monkeypatch):
    monkeypatch.setenv("AWS_REGION", "eu-central-1")
    env = child_environment("http://127.0.0.1:1", tmp_path)
    assert Path(env["AWS_CONFIG_FILE"]).read_text() == ""
    assert Path(env["AWS_SHARED_CREDENTIALS_FILE"]).read_text() == ""
    assert env["AWS_REGION"] == "us-east-1"
    assert {k for k in env if k.startswith("AWS_")} >= {"AWS_ENDPOINT_URL", "AWS_ACCESS_KEY_ID"}
    assert all(not k.startswith("AWS_") or k in env for k in os.environ)


def test_time_limit_kills_the_code_and_everything_it_started(tmp_path, sandbox):
    marker = tmp_path / "grandchild-alive"
    source = f"""
        import subprocess, sys, time
        # a grandchild that would outlive a naive kill and write the marker later
        subprocess.Popen([sys.executable, "-c",
                          "import time; time.sleep(1.5); open({str(marker)!r}, 'w').write('x')"])
        while True:
            time.sleep(0.1)
        """
    started = time.monotonic()
    result = run(tmp_path, sandbox, source, timeout=1.0)
    assert time.monotonic() - started < 10
    assert result.timed_out and result.exit_code is None
    assert "time limit" in result.summary(1.0)
    time.sleep(1.0)
    assert not marker.exists(), "a process the code started survived the time limit"


def test_huge_output_is_capped_with_a_visible_note(tmp_path, sandbox):
    result = run(
        tmp_path, sandbox, 'import sys\nfor _ in range(3000):\n    sys.stdout.write("x" * 1000)\n'
    )
    assert result.exit_code == 0
    assert len(result.stdout) < OUTPUT_CAP + 200
    assert "output truncated" in result.stdout
    assert "2,000,000 more bytes" in result.stdout


@pytest.mark.parametrize(
    ("source", "expected_code", "summary"),
    [
        ("import sys\nsys.exit(3)\n", 3, "exited with code 3"),
        ("import os\nos._exit(4)\n", 4, "exited with code 4"),
        ("import os, signal\nos.kill(os.getpid(), signal.SIGKILL)\n", None, "killed by SIGKILL"),
    ],
)
def test_exits_and_kills_are_reported_not_propagated(
    tmp_path, sandbox, source, expected_code, summary
):
    result = run(tmp_path, sandbox, source)
    assert result.exit_code == expected_code
    assert summary in result.summary()


def test_traceback_points_at_the_learners_own_lines(tmp_path, sandbox):
    result = run(tmp_path, sandbox, "x = 1\n\n\ndef f():\n    return {}['missing']\n\nf()\n")
    assert result.exit_code == 1
    assert f'File "{tmp_path / "main.py"}", line 7' in result.stderr
    assert "line 5, in f" in result.stderr
    assert "_trainer_run" not in result.stderr
    assert "KeyError: 'missing'" in result.stderr


def test_syntax_error_names_file_and_line(tmp_path, sandbox):
    result = run(tmp_path, sandbox, "import boto3\n\ndef broken(:\n    pass\n")
    assert result.exit_code == 1
    assert "main.py" in result.stderr and "line 3" in result.stderr
    assert "SyntaxError" in result.stderr


def test_cancel_stops_a_running_child(tmp_path, sandbox):
    import threading

    cancel = threading.Event()
    threading.Timer(0.5, cancel.set).start()
    result = run(tmp_path, sandbox, "import time\ntime.sleep(30)\n", cancel=cancel)
    assert result.cancelled and not result.timed_out
    assert result.seconds < 5


def test_reset_forgets_every_resource(sandbox):
    sandbox.reset()
    sandbox.client("s3").create_bucket(Bucket="left-over")
    sandbox.reset()
    assert sandbox.client("s3").list_buckets()["Buckets"] == []


def test_sandbox_clients_ignore_the_users_aws_profile(monkeypatch):
    monkeypatch.setenv("AWS_PROFILE", "does-not-exist")
    monkeypatch.setenv("HTTP_PROXY", "http://10.255.255.1:3128")
    with Sandbox() as box:
        assert box.endpoint_url.startswith("http://127.0.0.1:")
        assert box.client("iam").list_roles()["Roles"] == []


def test_learner_code_sees_an_empty_stdin(tmp_path, sandbox):
    result = run(tmp_path, sandbox, "import sys\nprint(repr(sys.stdin.read()))\ninput()\n")
    assert result.stdout.startswith("''")
    assert "EOFError" in result.stderr


def test_the_time_limit_counts_from_go_not_from_the_early_start(tmp_path, sandbox):
    from trainer.sandbox import LearnerProcess

    path = tmp_path / "main.py"
    path.write_text("import time\ntime.sleep(1.0)\nprint('done')\n")
    with LearnerProcess(path) as process:
        time.sleep(1.5)  # the sandbox and the lab's setup taking their time
        result = process.run(sandbox.endpoint_url, timeout=2.0)
    assert not result.timed_out and result.stdout == "done\n"


def test_a_process_never_told_to_go_is_cleaned_up(tmp_path):
    from trainer.sandbox import LearnerProcess

    path = tmp_path / "main.py"
    marker = tmp_path / "ran"
    path.write_text(f"open({str(marker)!r}, 'w').write('x')\n")
    with LearnerProcess(path) as process:
        pid = process._process.pid
    assert not marker.exists()
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)
