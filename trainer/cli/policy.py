"""`trainer policy lint` and `trainer policy simulate`: thin front ends over trainer.policy."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from trainer.cli.output import print_json
from trainer.errors import ContentError, UsageError
from trainer.policy import Policy, Request, evaluate, lint, parse_policy
from trainer.policy.lint import KINDS


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "policy",
        help="lint IAM policies and simulate requests against them",
        description="Lint IAM policies for least privilege and simulate requests against them.",
    )
    commands = parser.add_subparsers(dest="policy_command", metavar="COMMAND", required=True)

    lint_parser = commands.add_parser(
        "lint",
        help="report least-privilege problems in a policy file",
        description="Exit 0 when nothing at warning or above is found, 1 when something is, "
        "2 when the file is unreadable or malformed.",
    )
    lint_parser.add_argument("file", metavar="FILE", help="policy JSON file")
    lint_parser.add_argument(
        "--kind",
        choices=KINDS,
        default="identity",
        help="what the policy is attached as (default: identity)",
    )
    lint_parser.add_argument(
        "--account-id", metavar="ID", help="flag trust of principals outside this account"
    )
    lint_parser.add_argument("--json", action="store_true", help="print findings as JSON")
    lint_parser.set_defaults(func=run_lint)

    sim = commands.add_parser(
        "simulate",
        help="decide one request against identity policies and a resource policy",
        description="Exit 0 when the request is allowed, 1 when denied, 2 on bad input.",
    )
    sim.add_argument("policies", metavar="POLICY_FILE", nargs="+", help="identity policy files")
    sim.add_argument("--action", required=True, help="e.g. s3:GetObject")
    sim.add_argument("--resource", required=True, metavar="ARN", help='resource ARN, or "*"')
    sim.add_argument("--resource-policy", metavar="FILE", help="the resource's policy file")
    sim.add_argument(
        "--principal", metavar="ARN_OR_SERVICE", help="caller: ARN, account id or service"
    )
    sim.add_argument(
        "--context",
        metavar="KEY=VALUE",
        action="append",
        default=[],
        help="condition key; true/false are booleans; repeat a key for several values",
    )
    sim.add_argument("--json", action="store_true", help="print the decision as JSON")
    sim.set_defaults(func=run_simulate)


def _read(path_text: str) -> str:
    path = Path(path_text)
    try:
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise UsageError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise UsageError(f"{path}: is a directory, not a policy file") from None
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "not UTF-8 text"
        raise ContentError(f"{path}: cannot read ({reason})") from None


def _load(path_text: str) -> Policy:
    return parse_policy(_read(path_text), source=path_text)


def run_lint(args: argparse.Namespace) -> int:
    policy = _load(args.file)
    findings = lint(policy, args.kind, account_id=args.account_id)
    if args.json:
        print_json({"findings": [f.to_dict() for f in findings]})
    elif findings:
        for finding in findings:
            print(f"{args.file}: {finding}")
    else:
        print(f"{args.file}: no findings")
    return 1 if any(f.severity in ("error", "warning") for f in findings) else 0


def _parse_context(items: list[str]) -> dict[str, Any]:
    context: dict[str, Any] = {}
    for item in items:
        key, sep, raw = item.partition("=")
        key = key.strip()
        if not sep or not key:
            raise UsageError(f"--context {item!r}: write KEY=VALUE, e.g. aws:SecureTransport=true")
        value: str | bool = {"true": True, "false": False}.get(raw.lower(), raw)
        # Keys compare case-insensitively, so aws:SourceIp and aws:sourceip are one key.
        existing = next((k for k in context if k.lower() == key.lower()), None)
        if existing is None:
            context[key] = value
        else:
            previous = context[existing]
            context[existing] = (
                [*previous, value]
                if isinstance(previous, list)
                else [
                    previous,
                    value,
                ]
            )
    return context


def run_simulate(args: argparse.Namespace) -> int:
    identity = [_load(p) for p in args.policies]
    resource_policy = _load(args.resource_policy) if args.resource_policy else None
    request = Request(
        args.action,
        args.resource,
        args.principal,
        _parse_context(args.context),
    )
    decision = evaluate(request, identity, resource_policy)
    if args.json:
        print_json(decision.to_dict())
    else:
        print(f"{decision.decision}: {decision.reason}")
        for ref in decision.statements:
            sid = f" ({ref.sid})" if ref.sid else ""
            print(f"  {ref.effect} {ref.source} statement {ref.index}{sid}")
    sys.stdout.flush()
    return 0 if decision.allowed else 1
