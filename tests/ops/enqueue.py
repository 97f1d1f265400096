"""Queue outgoing SMS from a process of its own, as the app's flows do (`queue_sms` in a unit
of work), while the outbox worker sends: the outbound side of the fault tests and the bench.

    python -m tests.ops.enqueue COUNT TAG [--per-commit 5] [--pause 0.05]

Settings come from the environment (DATABASE_URL, …). Message n of TAG goes to its own phone
with its own body, so the fake API can count each one's sends.
"""

from __future__ import annotations

import argparse
import time

from nghedan import create_app
from nghedan.database import unit_of_work
from nghedan.extensions import db
from nghedan.services.sms.outbox import queue_sms


def outbound(tag: int, n: int) -> tuple[str, str]:
    """(phone, body) of message n of series `tag`."""
    # Short enough for one UCS-2 segment at any n, so queue_sms keeps it as written.
    return f"+8498{tag:01d}{n:06d}", f"Xã trả lời ý kiến {n} đợt {tag}: đã sửa xong."


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("count", type=int)
    parser.add_argument("tag", type=int, help="a digit naming this series of messages")
    parser.add_argument("--per-commit", type=int, default=5)
    parser.add_argument("--pause", type=float, default=0.05, help="seconds between commits")
    args = parser.parse_args()
    app = create_app()
    with app.app_context():
        for start in range(0, args.count, args.per_commit):
            with unit_of_work():
                for n in range(start, min(args.count, start + args.per_commit)):
                    queue_sms(*outbound(args.tag, n), kind="reply")
            time.sleep(args.pause)
        db.engine.dispose()
    print(f"queued {args.count}")


if __name__ == "__main__":
    main()
