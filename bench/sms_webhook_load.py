"""The load side of bench/sms_webhook.py, run as its own process: POST prepared requests.

    python -m bench.sms_webhook_load REQUESTS.json RESULT.json --port P --concurrency 32

REQUESTS.json is a list of [path, form body, X-Twilio-Signature]; each of `concurrency`
clients takes the next request as soon as its previous one is answered (one connection per
request, as gunicorn's sync workers close them). RESULT.json gets the wall time, each
request's latency and status, and each reply body.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time


async def _post(port: int, path: str, body: str, signature: str) -> tuple[int, bytes]:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    payload = body.encode()
    head = (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n"
        "Content-Type: application/x-www-form-urlencoded\r\n"
        f"X-Twilio-Signature: {signature}\r\nContent-Length: {len(payload)}\r\n\r\n"
    )
    writer.write(head.encode() + payload)
    await writer.drain()
    raw = await reader.read()
    writer.close()
    status = int(raw.split(b" ", 2)[1]) if raw.startswith(b"HTTP/") else 0
    return status, raw.partition(b"\r\n\r\n")[2]


async def _run(requests: list, port: int, concurrency: int) -> dict:
    latencies = [0.0] * len(requests)
    statuses = [0] * len(requests)
    bodies = [""] * len(requests)
    next_index = iter(range(len(requests)))

    async def client():
        for i in next_index:
            started = time.perf_counter()
            try:
                statuses[i], body = await _post(port, *requests[i])
                bodies[i] = body.decode("utf-8", "replace")
            except OSError as e:
                statuses[i], bodies[i] = 0, repr(e)
            latencies[i] = time.perf_counter() - started

    started = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(concurrency)))
    return {
        "seconds": time.perf_counter() - started,
        "latencies": latencies,
        "statuses": statuses,
        "bodies": bodies,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("requests")
    parser.add_argument("result")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--concurrency", type=int, default=32)
    args = parser.parse_args()
    with open(args.requests) as f:
        requests = json.load(f)
    result = asyncio.run(_run(requests, args.port, args.concurrency))
    with open(args.result, "w") as f:
        json.dump(result, f)


if __name__ == "__main__":
    main()
