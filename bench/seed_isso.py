"""Seed an Isso SQLite database with the comments bench_seed exported.

Usage: seed_isso.py <export.jsonl> <isso.db> <isso.cfg>

Isso creates its own schema (through isso.db.SQLite3, exactly as the server
would); rows then go in directly, in one transaction, the way Isso's own
Comments.add writes them (mode 1 = accepted, 2 = pending; voters = a Bloom
filter of the remote address; text = the raw Markdown, rendered per read).
"""

import json
import sqlite3
import sys

from isso import config
from isso.db import SQLite3
from isso.utils import Bloomfilter


def main(export, dbpath, cfgpath):
    conf = config.load(config.default_file(), cfgpath)
    SQLite3(dbpath, conf)  # schema, user_version, trigger
    addr = "127.0.0.0"
    voters = memoryview(Bloomfilter(iterable=[addr]).array).tobytes()
    con = sqlite3.connect(dbpath)
    con.execute("PRAGMA journal_mode = DELETE")
    threads = {}
    rows = []
    with open(export, encoding="utf-8") as f:
        for line in f:
            c = json.loads(line)
            uri = "/" + c["article"]
            if uri not in threads:
                threads[uri] = len(threads) + 1
            rows.append(
                (
                    threads[uri],
                    None,
                    c["created"] / 1000.0,
                    None,
                    1 if c["status"] == "approved" else 2,
                    addr,
                    c["body"],
                    c["author"],
                    None,
                    None,
                    0,
                    0,
                    voters,
                    0,
                )
            )
    with con:
        con.executemany(
            "INSERT INTO threads (id, uri, title) VALUES (?, ?, ?)",
            [(tid, uri, "Article " + uri[2:]) for uri, tid in threads.items()],
        )
        con.executemany(
            "INSERT INTO comments (tid, parent, created, modified, mode, remote_addr, text,"
            " author, email, website, likes, dislikes, voters, notification)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
    con.close()
    print(f"isso: {len(threads)} threads, {len(rows)} comments in {dbpath}")


if __name__ == "__main__":
    main(*sys.argv[1:4])
