#!/usr/bin/env python3
"""What idle live-thread streams cost: opens N Server-Sent Events clients on
one article of a running `tribune serve`, and reads the server's resident
memory (VmRSS) before, with them open, and after they close; then posts one
comment and times how long until every client has it. Standard library only.

    bench/sse.py --pid PID --base http://127.0.0.1:PORT --token TOKEN [--clients 1000]
"""

import argparse
import asyncio
import json
import time
import urllib.request


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise RuntimeError("no VmRSS")


async def settle(pid, seconds=3.0):
    """RSS once it stops moving (the allocator gives memory back lazily)."""
    await asyncio.sleep(seconds)
    return rss_kib(pid)


class Client:
    def __init__(self, reader, writer):
        self.reader = reader
        self.writer = writer
        self.buffer = b""

    async def until(self, marker):
        while marker not in self.buffer:
            chunk = await self.reader.read(65536)
            if not chunk:
                raise ConnectionError("stream closed")
            self.buffer += chunk
        self.buffer = self.buffer.split(marker, 1)[1]


async def open_client(host, port, key):
    reader, writer = await asyncio.open_connection(host, port)
    writer.write(
        f"GET /api/v1/articles/{key}/events HTTP/1.1\r\nHost: {host}\r\n"
        "Accept: text/event-stream\r\n\r\n".encode()
    )
    await writer.drain()
    client = Client(reader, writer)
    await client.until(b"200 OK")
    await client.until(b"event: count")
    return client


def post(base, token, key, body):
    req = urllib.request.Request(
        f"{base}/api/v1/articles/{key}/comments",
        data=json.dumps({"body": body}).encode(),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(req) as res:
        return json.load(res)


async def main():
    p = argparse.ArgumentParser()
    p.add_argument("--pid", type=int, required=True)
    p.add_argument("--base", required=True)
    p.add_argument("--token", required=True)
    p.add_argument("--key", default="live")
    p.add_argument("--clients", type=int, default=1000)
    a = p.parse_args()
    host, port = a.base.split("//")[1].split(":")
    port = int(port)

    # Warm up: a few streams and a post, so one-time allocations are made.
    warm = [await open_client(host, port, a.key) for _ in range(10)]
    post(a.base, a.token, a.key, "échauffement")
    for c in warm:
        await c.until(b"event: comment")
        c.writer.close()
    # The writer gives its page cache back after a second idle, and malloc
    # its free memory: let both happen before the baseline.
    before = await settle(a.pid, 6.0)

    started = time.monotonic()
    clients = []
    for i in range(0, a.clients, 100):
        batch = [open_client(host, port, a.key) for _ in range(min(100, a.clients - i))]
        clients += await asyncio.gather(*batch)
    opened_s = time.monotonic() - started
    with_clients = await settle(a.pid)

    sent = time.monotonic()
    await asyncio.get_running_loop().run_in_executor(
        None, post, a.base, a.token, a.key, "un commentaire pour mille lecteurs"
    )
    await asyncio.gather(*(c.until(b"event: comment") for c in clients))
    fanout_ms = (time.monotonic() - sent) * 1000

    for c in clients:
        c.writer.close()
    after = await settle(a.pid, 6.0)
    delta = with_clients - before
    print(
        json.dumps(
            {
                "clients": len(clients),
                "rss_before_kib": before,
                "rss_with_clients_kib": with_clients,
                "rss_after_close_kib": after,
                "delta_kib": delta,
                "per_client_bytes": round(delta * 1024 / len(clients)),
                "open_seconds": round(opened_s, 2),
                "fanout_ms": round(fanout_ms, 1),
            }
        )
    )


asyncio.run(main())
