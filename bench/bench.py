#!/usr/bin/env python3
"""Tribune benchmark harness (see bench/README.md). Run through bench/run.sh.

One run, one machine: seeds the workload, then for each round runs every
target (Tribune, Isso, the ceiling) one after the other, in a rotating order,
and reports the median over rounds. Standard library only.
"""

import argparse
import datetime
import hashlib
import json
import os
import platform
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

BENCH = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(BENCH)
LUA = os.path.join(BENCH, "lua")
PASSWORD = "banc-d-essai-2026"
READERS_W1 = 16
CURRENT = None  # the server under test, for settle()
PORTS = {"tribune": 18080, "isso": 18081, "ceiling": 18082, "tribune-1M": 18083}
ARTICLES = 1000  # a1..a1000, plus a0
L1_SECONDS = 30
R2_KEYS = ["a%d" % i for i in range(20)]


def log(msg):
    print(time.strftime("%H:%M:%S"), msg, flush=True)


# ---------------------------------------------------------------- processes


class Server:
    """A server process in its own session, stopped by its own process group."""

    def __init__(self, name, argv, env=None, cwd=None, ready_url=None):
        self.name = name
        self.logpath = os.path.join(ARGS.work, "%s.log" % name)
        self.logfile = open(self.logpath, "ab")
        full_env = dict(os.environ)
        full_env.update(env or {})
        if ready_url:
            # Something already listening there would answer in this server's
            # place, and every figure would be its.
            where = urllib.parse.urlsplit(ready_url)
            with socket.socket() as probe:
                if probe.connect_ex((where.hostname, where.port)) == 0:
                    raise RuntimeError("%s: port %d is taken already" % (name, where.port))
        self.proc = subprocess.Popen(
            argv, env=full_env, cwd=cwd, stdout=self.logfile, stderr=subprocess.STDOUT, start_new_session=True
        )
        deadline = time.time() + 60
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError("%s exited at start, see %s" % (name, self.logpath))
            try:
                with urllib.request.urlopen(ready_url, timeout=2) as r:
                    r.read()
                break
            except urllib.error.HTTPError:
                break
            except Exception:
                if time.time() > deadline:
                    self.stop()
                    raise RuntimeError("%s not ready after 60 s, see %s" % (name, self.logpath))
                time.sleep(0.1)
        global CURRENT
        CURRENT = self

    def pids(self):
        """The server and its descendants (gunicorn workers)."""
        parents = {}
        for d in os.listdir("/proc"):
            if d.isdigit():
                try:
                    with open("/proc/%s/stat" % d) as f:
                        ppid = int(f.read().rsplit(")", 1)[1].split()[1])
                    parents.setdefault(ppid, []).append(int(d))
                except (OSError, IndexError, ValueError):
                    pass
        out, todo = [], [self.proc.pid]
        while todo:
            p = todo.pop()
            out.append(p)
            todo.extend(parents.get(p, []))
        return out

    def stop(self):
        global CURRENT
        if CURRENT is self:
            CURRENT = None
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
            except ProcessLookupError:
                pass
        self.logfile.close()


def status_kb(pid, field):
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def rss_mb(pids, field="VmRSS"):
    return sum(status_kb(p, field) for p in pids) / 1024.0


class RssSampler(threading.Thread):
    """Largest summed VmRSS of `pids`, sampled every `every` seconds (100 ms) until stopped."""

    def __init__(self, pids, every=0.1):
        super().__init__(daemon=True)
        self.pids, self.peak, self.every, self.halt = pids, 0.0, every, threading.Event()
        self.start()

    def run(self):
        while not self.halt.is_set():
            self.peak = max(self.peak, rss_mb(self.pids))
            time.sleep(self.every)

    def finish(self):
        self.halt.set()
        self.join()
        return self.peak


# ---------------------------------------------------------------- HTTP and wrk


def http(method, url, body=None, token=None, raw=False):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, method=method)
    if data is not None:
        req.add_header("Content-Type", "application/json")
    if token:
        req.add_header("Authorization", "Bearer " + token)
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            payload = r.read()
            return r.status, (payload if raw else json.loads(payload or b"null"))
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def wrk_cmd(url, conns, secs, threads, script, env):
    argv = [
        "wrk", "-t%d" % threads, "-c%d" % conns, "-d%ds" % secs, "--timeout", "30s",
        "--latency", "-s", os.path.join(LUA, script), url,
    ]
    full_env = dict(os.environ, BENCH_LUA_DIR=LUA)
    full_env.update(env or {})
    return argv, full_env


def parse_wrk(out, label):
    for line in out.splitlines():
        if line.startswith("BENCHJSON "):
            r = json.loads(line[len("BENCHJSON "):])
            secs = r["duration_us"] / 1e6
            r["rps"] = r["requests"] / secs if secs else 0.0
            r["errors"] = r["err_connect"] + r["err_read"] + r["err_write"] + r["err_status"] + r["err_timeout"]
            r["secs"] = secs
            if r["requests"] == 0:  # no answer at all: no latency to speak of
                for k in ("p50_us", "p90_us", "p99_us", "max_us", "mean_us"):
                    r[k] = None
            return r
    raise RuntimeError("wrk gave no summary for %s:\n%s" % (label, out))


def stat_cpu(path, name=None):
    """User + system clock ticks of a /proc stat file; 0 when gone, or when
    `name` is given and the task is called otherwise."""
    try:
        with open(path) as f:
            head, tail = f.read().rsplit(")", 1)
        if name is not None and head.split("(", 1)[1] != name:
            return 0
        fields = tail.split()
        return int(fields[11]) + int(fields[12])
    except (OSError, IndexError, ValueError):
        return 0


def cpu_secs(pids):
    return sum(stat_cpu("/proc/%d/stat" % p) for p in pids) / os.sysconf("SC_CLK_TCK")


def thread_cpu_secs(pids, name):
    """CPU of the threads called `name` (e.g. SQLite's one writer) in these processes."""
    total = 0
    for p in pids:
        try:
            tasks = os.listdir("/proc/%d/task" % p)
        except OSError:
            continue
        total += sum(stat_cpu("/proc/%d/task/%s/stat" % (p, t), name) for t in tasks)
    return total / os.sysconf("SC_CLK_TCK")


def settle(label=""):
    """Waits until the server under test is idle (under 10 % of a core for 0.5 s), so
    requests queued by a finished wrk run (gunicorn's backlog) do not eat into the next one."""
    if CURRENT is None:
        return
    t0 = time.time()
    pids = CURRENT.pids()
    last = cpu_secs(pids)
    while time.time() - t0 < 180:
        time.sleep(0.5)
        now = cpu_secs(pids)
        if now - last < 0.05:
            break
        last = now
    waited = time.time() - t0
    if waited > 2:
        log("  (waited %.0f s for %s to drain after %s)" % (waited, CURRENT.name, label))
    return waited


def wrk(url, conns, secs, threads=2, script="static.lua", env=None, label=""):
    argv, full_env = wrk_cmd(url, conns, secs, threads, script, env)
    settle("the previous step")
    p = subprocess.run(argv, env=full_env, capture_output=True, text=True)
    if p.returncode != 0:
        raise RuntimeError("wrk failed for %s: %s" % (label, p.stderr))
    r = parse_wrk(p.stdout, label)
    with open(os.path.join(ARGS.work, "wrk.log"), "a") as f:
        f.write("### %s %s\n%s\n" % (label, url, p.stdout))
    return r


def wrk_async(url, conns, secs, threads=1, script="static.lua", env=None, settled=False):
    argv, full_env = wrk_cmd(url, conns, secs, threads, script, env)
    if not settled:
        settle("the previous step")
    return subprocess.Popen(argv, env=full_env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def ms(us):
    return None if us is None else us / 1000.0


# ---------------------------------------------------------------- seeding


def run(argv, **kw):
    log("$ " + " ".join(argv))
    subprocess.run(argv, check=True, **kw)


def copy_db(src, dst):
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(dst + suffix):
            os.remove(dst + suffix)
        if os.path.exists(src + suffix):
            shutil.copyfile(src + suffix, dst + suffix)


def seed_base():
    db = os.path.join(ARGS.work, "base.db")
    export = os.path.join(ARGS.work, "base.jsonl")
    for p in (db, db + "-wal", db + "-shm", export):
        if os.path.exists(p):
            os.remove(p)
    t = time.time()
    run([BIN["seed"], "--db", db, "--hot", "200", "--articles", "1000", "--per-article", "20",
         "--pending", "200", "--export", export, "--hot-reactions"])
    seed_secs = time.time() - t
    if "isso" not in ARGS.only.split(","):
        return db, None, seed_secs, 0.0  # not a target of this run: not seeded
    isso_db = os.path.join(ARGS.work, "isso-base.db")
    if os.path.exists(isso_db):
        os.remove(isso_db)
    cfg = isso_config(isso_db)
    t = time.time()
    run([os.path.join(BENCH, ".venv", "bin", "python"), os.path.join(BENCH, "seed_isso.py"), export, isso_db, cfg])
    return db, isso_db, seed_secs, time.time() - t


def seed_scale():
    """The 1M-comment database, reused while the seeder binary and its arguments are the same."""
    db = os.path.join(ARGS.work, "scale.db")
    argv = [BIN["seed"], "--db", db, "--hot", "200", "--articles", "49999", "--per-article", "20",
            "--pending", "10000"]
    h = hashlib.sha256()
    with open(BIN["seed"], "rb") as f:
        h.update(f.read())
    h.update(" ".join(argv[1:]).encode())
    stamp = h.hexdigest()
    stamp_path = db + ".stamp"
    if os.path.exists(db) and os.path.exists(stamp_path) and open(stamp_path).read() == stamp:
        log("scale database is up to date, reused: %s" % db)
        return db, None
    for p in (db, db + "-wal", db + "-shm", stamp_path):
        if os.path.exists(p):
            os.remove(p)
    t = time.time()
    run(argv)
    with open(stamp_path, "w") as f:
        f.write(stamp)
    return db, time.time() - t


def isso_config(dbpath):
    cfg = dbpath + ".cfg"
    with open(cfg, "w") as f:
        f.write(
            "[general]\n"
            "dbpath = %s\n"
            "host = http://127.0.0.1:%d/\n"
            "[moderation]\nenabled = false\n"
            "[guard]\nenabled = false\n"
            "[server]\nlisten = http://127.0.0.1:%d/\n" % (dbpath, PORTS["isso"], PORTS["isso"])
        )
    return cfg


# ---------------------------------------------------------------- targets


def tribune_env(db, port):
    return {
        "TRIBUNE_DATABASE__URL": "sqlite://" + db,
        "TRIBUNE_SERVER__BIND": "127.0.0.1:%d" % port,
        "TRIBUNE_RATE_LIMIT__ENABLED": "false",
        "TRIBUNE_LOG__LEVEL": "warn",
    }


def start_tribune(db, port, name, binary=None):
    return Server(name, [binary or BIN["tribune"], "serve"], env=tribune_env(db, port), cwd=ARGS.work,
                  ready_url="http://127.0.0.1:%d/healthz" % port)


def login(base, who):
    st, body = http("POST", base + "/api/v1/auth/login", {"login": who, "password": PASSWORD})
    if st != 200:
        raise RuntimeError("login %s: %s %s" % (who, st, body))
    return body["token"]


def tribune_stored(base, admin):
    st, s = http("GET", base + "/api/v1/admin/stats", token=admin)
    if st != 200:
        raise RuntimeError("stats: %s %s" % (st, s))
    return sum(s["comments"].values())


def check_tribune(db):
    """Preflight: the seeded rows are what the API shows; capture the R1 body for the ceiling."""
    port = PORTS["tribune"]
    base = "http://127.0.0.1:%d" % port
    srv = start_tribune(db, port, "tribune-check")
    try:
        st, body = http("GET", base + R1_PATH, raw=True)
        thread = json.loads(body)
        st2, counts = http("GET", base + "/api/v1/counts?articles=a0,a1,a1000")
        problems = []
        if st != 200 or len(thread.get("comments", [])) != 200:
            problems.append("R1 gave %s with %s comments (want 200)" % (st, len(thread.get("comments", []))))
        if st2 != 200 or counts.get("counts") != {"a0": 200, "a1": 20, "a1000": 20}:
            problems.append("counts gave %s %s (want a0=200, a1=20, a1000=20)" % (st2, counts))
        unmarked = [c["id"] for c in thread.get("comments", []) if not c.get("reactions")]
        if unmarked:
            problems.append("%d comments of a0 without reactions (want none)" % len(unmarked))
        st3, mine = http("GET", base + R1_PATH, token=login(base, R1S_READER))
        marked = [c for c in (mine.get("comments", []) if st3 == 200 else []) if c.get("reacted") is True]
        if st3 != 200 or not marked or len(marked) == len(mine.get("comments", [])):
            problems.append("R1 signed in gave %s with %d of its comments marked (want some, not all)"
                            % (st3, len(marked)))
        if problems and not ARGS.no_check:
            raise RuntimeError("seeded data is not what the API shows: " + "; ".join(problems))
        for p in problems:
            log("WARNING: " + p)
        path = os.path.join(ARGS.work, "r1-body.json")
        with open(path, "wb") as f:
            f.write(body)
        log("R1 body: %d bytes, %d comments" % (len(body), len(thread.get("comments", []))))
        return path, len(body)
    finally:
        srv.stop()


R1_PATH = "/api/v1/articles/a0/comments?limit=200"
# R1S's reader: marked a quarter of a0's comments (bench_seed --hot-reactions).
R1S_READER = "lecteur1"
R1S_SLICES = 3
R2_PATH = "/api/v1/counts?articles=" + ",".join(R2_KEYS)


def measure_reads(res, srv, url_r1, url_r2, r2_env=None, r1_env=None):
    """R1 (with the RSS peak) then R2, each after a warm-up, 64 connections."""
    pids = srv.pids()
    res["rss_idle_mb"] = rss_mb(pids)
    wrk(url_r1, 64, ARGS.warmup, env=r1_env, label="%s R1 warm-up" % srv.name)
    sampler = RssSampler(pids)
    r = wrk(url_r1, 64, ARGS.duration, env=r1_env, label="%s R1" % srv.name)
    res["rss_r1_peak_mb"] = sampler.finish()
    res["rss_hwm_mb"] = rss_mb(pids, "VmHWM")
    res.update(r1_rps=r["rps"], r1_p50_ms=ms(r["p50_us"]), r1_p99_ms=ms(r["p99_us"]), r1_errors=r["errors"])
    log("  %s R1: %.0f req/s, p99 %s ms, errors %d, RSS idle %.1f MB peak %.1f MB"
        % (srv.name, r["rps"], fmt(ms(r["p99_us"])), r["errors"], res["rss_idle_mb"], res["rss_r1_peak_mb"]))
    if url_r2:
        wrk(url_r2, 64, max(1, ARGS.warmup // 2), env=r2_env, label="%s R2 warm-up" % srv.name)
        r = wrk(url_r2, 64, ARGS.duration, env=r2_env, label="%s R2" % srv.name)
        res.update(r2_rps=r["rps"], r2_p50_ms=ms(r["p50_us"]), r2_p99_ms=ms(r["p99_us"]), r2_errors=r["errors"])
        log("  %s R2: %.0f req/s, p99 %s ms, errors %d" % (srv.name, r["rps"], fmt(ms(r["p99_us"])), r["errors"]))


def measure_r1s(res, srv, base):
    """R1S: R1 by a signed-in reader (who marked some of a0's comments, all of
    which carry reactions), against anonymous R1, in interleaved slices of the
    same length so that both see the same load; each after its own warm-up."""
    url = base + R1_PATH
    signed = {"BENCH_AUTH": login(base, R1S_READER)}
    wrk(url, 64, max(1, ARGS.warmup // 2), env=signed, label="%s R1S warm-up" % srv.name)
    secs = max(1, ARGS.duration // R1S_SLICES)
    totals = {"anon": [0, 0.0, []], "signed": [0, 0.0, []]}
    for i in range(R1S_SLICES):
        order = [("anon", None), ("signed", signed)]
        for who, env in (order if i % 2 == 0 else order[::-1]):
            r = wrk(url, 64, secs, env=env, label="%s R1S slice %d %s" % (srv.name, i + 1, who))
            t = totals[who]
            t[0] += r["requests"]
            t[1] += r["secs"]
            t[2].append(ms(r["p99_us"]))
            res["r1s_errors"] = res.get("r1s_errors", 0) + r["errors"]
    for who, key in (("anon", "r1p"), ("signed", "r1s")):
        n, total_secs, p99s = totals[who]
        res[key + "_rps"] = n / total_secs if total_secs else None
        res[key + "_p99_ms"] = statistics.median([p for p in p99s if p is not None] or [None])
    res["r1s_ratio"] = res["r1s_rps"] / res["r1p_rps"] if res["r1p_rps"] else None
    res["r1s_load"] = " ".join(open("/proc/loadavg").read().split()[:3])
    log("  %s R1S: signed in %.0f req/s (p99 %s ms) against anonymous %.0f req/s (p99 %s ms): %.2f×, load %s"
        % (srv.name, res["r1s_rps"], fmt(res["r1s_p99_ms"]), res["r1p_rps"], fmt(res["r1p_p99_ms"]),
           res["r1s_ratio"] or 0, res["r1s_load"]))


def postgres_pids():
    """Every PostgreSQL process on the machine (the server, its backends, its workers)."""
    found = []
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                with open("/proc/%s/comm" % d) as f:
                    if f.read().strip() == "postgres":
                        found.append(int(d))
            except OSError:
                pass
    return found


def measure_w1(res, name, base, w1_env, stored, pids=None, database_pids=None):
    """W1 alone; acknowledged = 201 answers, checked against the store; RSS peak when `pids`;
    the database's own CPU when `database_pids` (a function: PostgreSQL forks a backend per
    connection, so its processes are listed again at the end)."""
    wrk(base, 16, max(1, ARGS.warmup // 2), script="w1.lua", env=w1_env, label="%s W1 warm-up" % name)
    settle("W1 warm-up")
    before = stored()
    sampler = RssSampler(pids) if pids else None
    cpu_before = cpu_secs(pids) if pids else None
    writer_before = thread_cpu_secs(pids, "tribune-writer") if pids else None
    db_before = {p: cpu_secs([p]) for p in database_pids()} if database_pids else None
    r = wrk(base, 16, ARGS.duration, script="w1.lua", env=w1_env, label="%s W1" % name)
    if sampler:
        res["rss_w1_peak_mb"] = sampler.finish()
    res["w1_drain_s"] = settle("W1")
    after = stored()
    acked = r["statuses"].get("201", 0)
    if pids and after > before:
        # Until the server is idle again: what a post owes later (its
        # deliveries) is counted with it.
        res["w1_cpu_ms_per_post"] = (cpu_secs(pids) - cpu_before) * 1000.0 / (after - before)
        writer = thread_cpu_secs(pids, "tribune-writer") - writer_before
        if writer > 0:
            res["w1_writer_ms_per_post"] = writer * 1000.0 / (after - before)
        if db_before is not None:
            db = sum(cpu_secs([p]) - db_before.get(p, 0.0) for p in database_pids())
            res["w1_db_cpu_ms_per_post"] = db * 1000.0 / (after - before)
    res.update(
        w1_ack_s=acked / r["secs"], w1_p50_ms=ms(r["p50_us"]), w1_p99_ms=ms(r["p99_us"]), w1_acked=acked,
        w1_stored=after - before, w1_lost=max(0, acked - (after - before)),
        w1_other=r["requests"] - acked, w1_statuses=r["statuses"], w1_errors=r["errors"],
    )
    log("  %s W1: %.0f acknowledged/s, p99 %s ms, acked %d stored %d, statuses %s, socket errors %d"
        % (name, res["w1_ack_s"], fmt(res["w1_p99_ms"]), acked, after - before, r["statuses"],
           r["errors"] - r["err_status"]))
    if "rss_w1_peak_mb" in res:
        log("  %s W1: RSS peak %.1f MB" % (name, res["rss_w1_peak_mb"]))


def measure_writes(res, name, base, url_r1, r1_env, w1_env, stored, pids=None):
    """W1 alone, then MIX (R1 and W1 at once)."""
    measure_w1(res, name, base, w1_env, stored, pids)
    if ARGS.w1_only:
        return
    settle("W1")
    before = stored()
    sampler = RssSampler(pids) if pids else None
    pr = wrk_async(url_r1, 64, ARGS.duration, threads=1, env=r1_env)
    pw = wrk_async(base, 16, ARGS.duration, threads=1, script="w1.lua", env=w1_env, settled=True)
    out_w, err_w = pw.communicate()
    out_r, err_r = pr.communicate()
    if sampler:
        res["rss_mix_peak_mb"] = sampler.finish()
        log("  %s MIX: RSS peak %.1f MB" % (name, res["rss_mix_peak_mb"]))
    settle("MIX")
    after = stored()
    with open(os.path.join(ARGS.work, "wrk.log"), "a") as f:
        f.write("### %s MIX R1\n%s\n### %s MIX W1\n%s\n" % (name, out_r, name, out_w))
    rr, rw = parse_wrk(out_r, "MIX R1 " + err_r), parse_wrk(out_w, "MIX W1 " + err_w)
    acked = rw["statuses"].get("201", 0)
    res.update(
        mix_w1_ack_s=acked / rw["secs"], mix_w1_p99_ms=ms(rw["p99_us"]), mix_w1_acked=acked,
        mix_w1_lost=max(0, acked - (after - before)), mix_r1_rps=rr["rps"], mix_r1_p99_ms=ms(rr["p99_us"]),
    )
    log("  %s MIX: W1 %.0f acknowledged/s p99 %s ms (lost %d); R1 %.0f req/s p99 %s ms"
        % (name, res["mix_w1_ack_s"], fmt(res["mix_w1_p99_ms"]), res["mix_w1_lost"], rr["rps"], fmt(ms(rr["p99_us"]))))


def scrape_metrics(base):
    """The page cache's counters from /metrics, or {} when the build has none."""
    st, text = http("GET", base + "/metrics", raw=True)
    out = {}
    if st == 200:
        for line in text.decode().splitlines():
            name, _, value = line.partition(" ")
            if name.startswith("tribune_page_cache_"):
                out[name[len("tribune_page_cache_"):]] = float(value)
    return out


C1_SORTS = ("oldest", "newest")
C1_LIMITS = (10, 20, 50, 100)


def crawl(port, paths, workers=8):
    """GETs every path once over `workers` keep-alive connections; returns (seconds, non-200 answers)."""
    import http.client

    todo, lock, bad = list(paths), threading.Lock(), [0]

    def worker():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while True:
            with lock:
                if not todo:
                    break
                path = todo.pop()
            try:
                conn.request("GET", path)
                r = conn.getresponse()
                r.read()
                if r.status != 200:
                    with lock:
                        bad[0] += 1
            except (OSError, http.client.HTTPException):
                with lock:
                    bad[0] += 1
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        conn.close()

    t = time.time()
    threads = [threading.Thread(target=worker) for _ in range(workers)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    return time.time() - t, bad[0]


E1_PATH = "/embed/a0?lang=fr"


def measure_e1(res, srv, base):
    """E1: the widget's page of the 200-comment thread for anonymous readers, as R1 (builds without it: skipped)."""
    st, _ = http("GET", base + E1_PATH, raw=True)
    if st != 200:
        log("  %s E1: %s answers %s, skipped" % (srv.name, E1_PATH, st))
        return
    wrk(base + E1_PATH, 64, max(1, ARGS.warmup // 2), label="%s E1 warm-up" % srv.name)
    r = wrk(base + E1_PATH, 64, ARGS.duration, label="%s E1" % srv.name)
    res.update(e1_rps=r["rps"], e1_p99_ms=ms(r["p99_us"]), e1_errors=r["errors"])
    log("  %s E1: %.0f req/s, p99 %s ms, errors %d" % (srv.name, r["rps"], fmt(ms(r["p99_us"])), r["errors"]))


def measure_c1(res, srv, base, port):
    """C1: a crawler reads every article's thread in 2 sorts x 4 limits, twice."""
    paths = ["/api/v1/articles/a%d/comments?sort=%s&limit=%d" % (a, s, l)
             for a in range(ARTICLES + 1) for s in C1_SORTS for l in C1_LIMITS]
    settle("before C1")
    sampler = RssSampler(srv.pids())
    m0 = scrape_metrics(base)
    secs1, bad1 = crawl(port, paths)
    m1 = scrape_metrics(base)
    secs2, bad2 = crawl(port, paths)
    m2 = scrape_metrics(base)
    res["rss_c1_peak_mb"] = sampler.finish()
    res.update(c1_requests=2 * len(paths), c1_bad=bad1 + bad2, c1_rps=2 * len(paths) / (secs1 + secs2))

    def hit_rate(a, b):
        if "hits_total" not in a or "hits_total" not in b:
            return None
        hits = b["hits_total"] - a["hits_total"]
        misses = b["misses_total"] - a["misses_total"]
        return 100.0 * hits / (hits + misses) if hits + misses else None

    res["c1_hit_pct"] = hit_rate(m0, m2)
    res["c1_pass2_hit_pct"] = hit_rate(m1, m2)
    res["c1_cache_mb"] = m2.get("bytes", 0) / 1048576 if m2 else None
    log("  %s C1: %d GETs at %.0f/s (%d not 200), hit rate %s %% (second pass %s %%), cache %s MB, RSS peak %.1f MB"
        % (srv.name, res["c1_requests"], res["c1_rps"], res["c1_bad"], fmt(res["c1_hit_pct"]),
           fmt(res["c1_pass2_hit_pct"]), fmt(res["c1_cache_mb"]), res["rss_c1_peak_mb"]))


def measure_l1(res, srv, base):
    """L1: 16 connections sign in for 30 s, half with a wrong password; RSS during and 10 s after."""
    env = {"BENCH_PASSWORD": PASSWORD, "BENCH_READERS": "64"}
    settle("before L1")
    pids = srv.pids()
    # What the flood starts from (all that came before it), and of that what
    # is the binary and other files rather than the heap: the peak less the
    # start is the flood's own memory.
    res["rss_l1_start_mb"] = rss_mb(pids)
    res["rss_l1_start_file_mb"] = rss_mb(pids, "RssFile")
    sampler = RssSampler(pids)
    r = wrk(base, 16, ARGS.l1_seconds, script="l1.lua", env=env, label="%s L1" % srv.name)
    res["rss_l1_peak_mb"] = sampler.finish()
    time.sleep(10)
    res["rss_l1_after_mb"] = rss_mb(pids)
    answered = r["statuses"].get("200", 0) + r["statuses"].get("401", 0)
    res.update(l1_logins_s=answered / r["secs"], l1_p99_ms=ms(r["p99_us"]), l1_statuses=r["statuses"],
               l1_other=r["requests"] - answered)
    log("  %s L1: %.0f logins/s, p99 %s ms, statuses %s, RSS peak %.1f MB, 10 s after %.1f MB"
        % (srv.name, res["l1_logins_s"], fmt(res["l1_p99_ms"]), r["statuses"], res["rss_l1_peak_mb"],
           res["rss_l1_after_mb"]))


def tribune_w1_setup(base):
    """Signs in W1's readers (their tokens go to a file for wrk) and the admin who counts what is stored."""
    tokens = [login(base, "lecteur%d" % i) for i in range(1, READERS_W1 + 1)]
    tokfile = os.path.join(ARGS.work, "tokens.txt")
    with open(tokfile, "w") as f:
        f.write("\n".join(tokens) + "\n")
    admin = login(base, "chef")
    env = {"BENCH_TARGET": "tribune", "BENCH_TOKENS": tokfile, "BENCH_ARTICLES": "100", "BENCH_FIRST": "1"}
    return env, lambda: tribune_stored(base, admin)


def session_tribune(db_pristine, rnd, name="tribune"):
    port = PORTS["tribune"]
    base = "http://127.0.0.1:%d" % port
    db = os.path.join(ARGS.work, "tribune-run.db")
    copy_db(db_pristine, db)
    srv = start_tribune(db, port, name, BIN[name])
    res = {}
    try:
        time.sleep(1)
        if not ARGS.w1_only:
            measure_reads(res, srv, base + R1_PATH, base + R2_PATH)
            measure_r1s(res, srv, base)
            measure_e1(res, srv, base)
        w1_env, stored = tribune_w1_setup(base)
        measure_writes(res, name, base, base + R1_PATH, None, w1_env, stored,
                       srv.pids())
        if ARGS.w1_only:
            return res
        measure_c1(res, srv, base, port)
        measure_l1(res, srv, base)
        res["rss_after_mb"] = rss_mb(srv.pids())
    finally:
        srv.stop()
    return res


# ---------------------------------------------------------------- PostgreSQL

PG_BASE = "tribune_bench_base"
PG_RUN = "tribune_bench_run"


def pg_url(database):
    """ARGS.postgres with its database replaced by `database`."""
    scheme, _, rest = ARGS.postgres.partition("://")
    server = rest.split("/", 1)[0]
    return "%s://%s/%s" % (scheme, server, database)


def pg_sql(sql):
    run(["psql", "-q", "-v", "ON_ERROR_STOP=1", pg_url("postgres"), "-c", sql])


def seed_postgres():
    """The same dataset as seed_base, in a database each session copies (a template)."""
    pg_sql('DROP DATABASE IF EXISTS %s WITH (FORCE)' % PG_BASE)
    pg_sql('CREATE DATABASE %s' % PG_BASE)
    t = time.time()
    run([BIN["seed"], "--db", pg_url(PG_BASE), "--hot", "200", "--articles", "1000", "--per-article", "20",
         "--pending", "200", "--hot-reactions"])
    return time.time() - t


def session_postgres(rnd, name):
    """R1, R2 and W1 of `name` (a Tribune build) on PostgreSQL, on a fresh copy of the dataset."""
    pg_sql('DROP DATABASE IF EXISTS %s WITH (FORCE)' % PG_RUN)
    pg_sql('CREATE DATABASE %s TEMPLATE %s' % (PG_RUN, PG_BASE))
    port = PORTS["tribune"]
    base = "http://127.0.0.1:%d" % port
    env = dict(tribune_env("", port), TRIBUNE_DATABASE__URL=pg_url(PG_RUN))
    srv = Server(name + "-pg", [BIN[name], "serve"], env=env, cwd=ARGS.work,
                 ready_url=base + "/healthz")
    res = {}
    try:
        time.sleep(1)
        measure_reads(res, srv, base + R1_PATH, base + R2_PATH)
        w1_env, stored = tribune_w1_setup(base)
        measure_w1(res, name + "-pg", base, w1_env, stored, srv.pids(), postgres_pids)
    finally:
        srv.stop()
        pg_sql('DROP DATABASE IF EXISTS %s WITH (FORCE)' % PG_RUN)
    return res


def postgres_rows(results, builds):
    """Each build's PostgreSQL figures against its SQLite ones from the same run."""
    rows = []
    targets = {"r1_rps": 0.8, "r2_rps": 0.8, "w1_ack_s": 0.6}
    for build in builds:
        for label, key in (("R1 thread of 200, req/s", "r1_rps"), ("R1 p99 ms", "r1_p99_ms"),
                           ("R2 counts of 20, req/s", "r2_rps"), ("R2 p99 ms", "r2_p99_ms"),
                           ("W1 acknowledged/s", "w1_ack_s"), ("W1 p99 ms", "w1_p99_ms")):
            lite, pg = med(results, build, key), med(results, build + "-pg", key)
            r = ratio(pg, lite)
            goal = targets.get(key)
            rows.append([build, label, fmt(lite), fmt(pg), fmt_ratio(r),
                         "≥ %.1f×" % goal if goal else "", verdict(None if goal is None or r is None else r >= goal)])
        # Where a post's time goes: Tribune's CPU on each, and PostgreSQL's own processes.
        for label, key in (("W1 Tribune CPU ms per stored post", "w1_cpu_ms_per_post"),
                           ("W1 writer thread CPU ms per stored post", "w1_writer_ms_per_post")):
            lite, pg = med(results, build, key), med(results, build + "-pg", key)
            rows.append([build, label, fmt(lite, 3), fmt(pg, 3), fmt_ratio(ratio(pg, lite)), "", "—"])
        pg_own = med(results, build + "-pg", "w1_db_cpu_ms_per_post")
        rows.append([build, "W1 PostgreSQL processes' CPU ms per stored post", "", fmt(pg_own, 3), "", "", "—"])
        lost = sum(r.get("w1_lost", 0) for r in results.get(build + "-pg", []))
        rows.append([build, "W1 acknowledged but not stored (all rounds)", "", fmt(lost, 0), "", "0", verdict(lost == 0)])
    return rows


def session_isso(db_pristine, rnd):
    port = PORTS["isso"]
    base = "http://127.0.0.1:%d" % port
    db = os.path.join(ARGS.work, "isso-run.db")
    copy_db(db_pristine, db)
    cfg = isso_config(db)
    srv = Server(
        "isso",
        [os.path.join(BENCH, ".venv", "bin", "gunicorn"), "-b", "127.0.0.1:%d" % port, "-w", "2", "--preload",
         "--log-level", "warning", "isso.run"],
        env={"ISSO_SETTINGS": cfg},
        cwd=ARGS.work,
        ready_url=base + "/?uri=%2Fa0&limit=1",
    )
    res = {}

    def stored():
        con = sqlite3.connect(db, timeout=30)
        try:
            return con.execute("SELECT COUNT(*) FROM comments").fetchone()[0]
        finally:
            con.close()

    try:
        time.sleep(1)
        r2_env = {"BENCH_METHOD": "POST", "BENCH_CTYPE": "application/json",
                  "BENCH_BODY": json.dumps(["/" + k for k in R2_KEYS])}
        r1 = base + "/?uri=%2Fa0&limit=200"
        measure_reads(res, srv, r1, base + "/count", r2_env=r2_env)
        w1_env = {"BENCH_TARGET": "isso", "BENCH_ARTICLES": "100", "BENCH_FIRST": "1"}
        measure_writes(res, "isso", base, r1, None, w1_env, stored)
        res["rss_after_mb"] = rss_mb(srv.pids())
    finally:
        srv.stop()
    return res


def session_ceiling(body_file, rnd):
    port = PORTS["ceiling"]
    base = "http://127.0.0.1:%d" % port
    srv = Server("ceiling", [BIN["ceiling"], body_file, "127.0.0.1:%d" % port], cwd=ARGS.work,
                 ready_url=base + "/")
    res = {}
    try:
        time.sleep(1)
        measure_reads(res, srv, base + R1_PATH, None)
    finally:
        srv.stop()
    return res


def session_scale(name, db, port):
    base = "http://127.0.0.1:%d" % port
    work_db = db + ".run"
    copy_db(db, work_db)  # W1 writes: each round starts from the same rows
    srv = start_tribune(work_db, port, name)
    res = {}
    try:
        time.sleep(1)
        measure_reads(res, srv, base + R1_PATH, base + R2_PATH)
        w1_env, stored = tribune_w1_setup(base)
        measure_w1(res, name, base, w1_env, stored, srv.pids())
        modo = login(base, "modo")
        env = {"BENCH_AUTH": modo}
        url = base + "/api/v1/mod/queue?limit=50"
        st, page = http("GET", url, token=modo)
        if st != 200:
            raise RuntimeError("queue: %s %s" % (st, page))
        res["queue_total"] = page.get("total")
        res["queue_items"] = len(page.get("items", []))
        wrk(url, 64, max(1, ARGS.warmup // 2), env=env, label="%s queue warm-up" % name)
        sampler = RssSampler(srv.pids())
        r = wrk(url, 64, ARGS.duration, env=env, label="%s queue" % name)
        res["rss_q_peak_mb"] = sampler.finish()
        log("  %s queue: RSS peak %.1f MB" % (name, res["rss_q_peak_mb"]))
        res.update(q_rps=r["rps"], q_p50_ms=ms(r["p50_us"]), q_p99_ms=ms(r["p99_us"]), q_errors=r["errors"])
        log("  %s queue: %.0f req/s, p99 %s ms, errors %d (total %s)"
            % (name, r["rps"], fmt(ms(r["p99_us"])), r["errors"], res["queue_total"]))
    finally:
        srv.stop()
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(work_db + suffix):
                os.remove(work_db + suffix)
    return res


# ---------------------------------------------------------------- report


def med(results, target, key):
    vals = [r[key] for r in results.get(target, []) if r.get(key) is not None]
    return statistics.median(vals) if vals else None


def fmt(v, digits=None):
    if v is None:
        return "—"
    if digits is None:
        digits = 0 if abs(v) >= 100 else (1 if abs(v) >= 10 else 2)
    return "{:,.{}f}".format(v, digits)


def ratio(a, b):
    return None if a is None or b is None or b == 0 else a / b


def fmt_ratio(r):
    if r is None:
        return "—"
    return "%s×" % fmt(r, 0 if r >= 100 else (1 if r >= 10 else 2))


def verdict(ok):
    return "—" if ok is None else ("met" if ok else "**not met**")


def machine():
    def sh(cmd):
        try:
            return subprocess.run(cmd, shell=True, capture_output=True, text=True, cwd=REPO).stdout.strip()
        except OSError:
            return ""

    cpu = sh("grep -m1 'model name' /proc/cpuinfo | cut -d: -f2").strip() or platform.processor()
    mem = sh("grep MemTotal /proc/meminfo | awk '{printf \"%.1f GB\", $2/1048576}'")
    osname = sh(". /etc/os-release && echo $PRETTY_NAME")
    commit, dirty = COMMIT_AT_START
    load = open("/proc/loadavg").read().split()[:3]
    isso_v = sh("%s -c 'import importlib.metadata as m; print(m.version(\"isso\"), m.version(\"gunicorn\"))'"
                % os.path.join(BENCH, ".venv", "bin", "python"))
    return {
        "cpu": cpu, "cores": os.cpu_count(), "memory": mem, "os": osname, "kernel": platform.release(),
        "rustc": sh("rustc --version"), "wrk": sh("wrk -v 2>&1 | head -1"),
        "isso_gunicorn": isso_v, "commit": commit + dirty, "load_end": " ".join(load),
    }


def build_rows(results):
    """(scenario, metric, tribune, isso, ceiling, t/isso, t/ceiling, target, met, chart-label, chart-value, goal)"""
    T = lambda k: med(results, "tribune", k)
    I = lambda k: med(results, "isso", k)
    C = lambda k: med(results, "ceiling", k)
    rows = []

    def row(scen, metric, key, target_text="", met=None, ceiling=True, digits=None):
        t, i, c = T(key), I(key), (C(key) if ceiling else None)
        rows.append([scen, metric, fmt(t, digits), fmt(i, digits), fmt(c, digits),
                     fmt_ratio(ratio(t, i)), fmt_ratio(ratio(t, c)), target_text, verdict(met)])

    r1c = ratio(T("r1_rps"), C("r1_rps"))
    row("R1 thread of 200", "req/s", "r1_rps", "≥ 50 % of ceiling", None if r1c is None else r1c >= 0.5)
    row("R1 thread of 200", "p50 ms", "r1_p50_ms")
    row("R1 thread of 200", "p99 ms", "r1_p99_ms")
    r2i = ratio(T("r2_rps"), I("r2_rps"))
    row("R2 counts of 20", "req/s", "r2_rps", "≥ 100× Isso", None if r2i is None else r2i >= 100, ceiling=False)
    row("R2 counts of 20", "p99 ms", "r2_p99_ms", ceiling=False)
    w = T("w1_ack_s")
    row("W1 post", "acknowledged/s", "w1_ack_s", "≥ 3,000/s", None if w is None else w >= 3000, ceiling=False)
    w = T("w1_p99_ms")
    row("W1 post", "p99 ms", "w1_p99_ms", "≤ 50 ms", None if w is None else w <= 50, ceiling=False)
    lost = [r.get("w1_lost", 0) + r.get("mix_w1_lost", 0) for r in results.get("tribune", [])]
    lost_i = [r.get("w1_lost", 0) + r.get("mix_w1_lost", 0) for r in results.get("isso", [])]
    rows.append(["W1 post", "acknowledged but not stored (all rounds)", fmt(sum(lost) if lost else None, 0),
                 fmt(sum(lost_i) if lost_i else None, 0), "—", "—", "—", "0", verdict(None if not lost else sum(lost) == 0)])
    w = T("mix_w1_p99_ms")
    row("MIX R1 + W1", "W1 p99 ms", "mix_w1_p99_ms", "≤ 100 ms", None if w is None else w <= 100, ceiling=False)
    row("MIX R1 + W1", "W1 acknowledged/s", "mix_w1_ack_s", ceiling=False)
    row("MIX R1 + W1", "R1 req/s", "mix_r1_rps", ceiling=False)
    row("RSS", "idle MB", "rss_idle_mb")
    w = T("rss_r1_peak_mb")
    row("RSS", "peak under R1 MB", "rss_r1_peak_mb", "≤ 64 MB", None if w is None else w <= 64)
    return rows


def scale_rows(results):
    rows = []
    for label, k in (("R1 thread of 200", "r1"), ("R2 counts of 20", "r2"), ("mod queue page of 50", "q")):
        a_rps, b_rps = med(results, "tribune-20k", k + "_rps"), med(results, "tribune-1M", k + "_rps")
        a99, b99 = med(results, "tribune-20k", k + "_p99_ms"), med(results, "tribune-1M", k + "_p99_ms")
        r = ratio(b99, a99)
        rows.append([label, fmt(a_rps), fmt(b_rps), fmt(a99), fmt(b99), fmt_ratio(r), "≤ 1.5×",
                     verdict(None if r is None else r <= 1.5)])
    return rows


TRIBUNES = ("tribune-before", "tribune")  # the memory table's columns, in this order, then variants


def memory_rows(results):
    """Issue 10's figures: each Tribune build of the run side by side, with the targets."""
    cols = [t for t in TRIBUNES if t in results] + sorted(
        t for t in results if t.startswith("tribune-") and t not in TRIBUNES and t not in ("tribune-20k", "tribune-1M") and not t.endswith("-pg"))
    before = "tribune-before" if "tribune-before" in results else None
    rows = []

    def row(label, key, target=None, check=None, digits=None, vs_before=False):
        vals = [med(results, c, key) for c in cols]
        now = med(results, "tribune", key)
        met = None
        if check and now is not None:
            ref = med(results, before, key) if (vs_before and before) else None
            met = check(now, ref) if (not vs_before or ref is not None) else None
        rows.append([label] + [fmt(v, digits) for v in vals] + [target or "", verdict(met)])

    row("R1 req/s", "r1_rps", "≥ 90 % of before", lambda a, b: a >= 0.9 * b, vs_before=True)
    e1, r1 = med(results, "tribune", "e1_rps"), med(results, "tribune", "r1_rps")
    if e1 is not None:
        rows.append(["E1 widget page of a0, req/s (from cache)"]
                    + [fmt(med(results, c, "e1_rps")) for c in cols]
                    + ["≥ 50 %% of R1 (%s)" % fmt(r1), verdict(e1 >= 0.5 * r1 if r1 else None)])
    row("R1S: R1 by a signed-in reader, reactions on every comment, req/s", "r1s_rps")
    row("R1 anonymous in the same slices as R1S, req/s", "r1p_rps")
    row("R1S p99 ms", "r1s_p99_ms")
    row("R1 anonymous p99 ms, same slices", "r1p_p99_ms")
    row("R1S / R1 in the same slices", "r1s_ratio", "≥ 0.90×", lambda a, b: a >= 0.9, digits=2)
    row("W1 acknowledged/s", "w1_ack_s", "≥ 90 % of before", lambda a, b: a >= 0.9 * b, vs_before=True)
    w1 = med(results, "tribune", "w1_ack_s")
    for c in cols:
        v = med(results, c, "w1_ack_s")
        if c.startswith("tribune-") and c != "tribune-before" and w1 and v is not None:
            # A variant is the same build configured otherwise: compared with plain `tribune`.
            cells = ["%.2f×" % (v / w1) if x == c else "" for x in cols]
            rows.append(["W1 of %s against tribune" % c] + cells + ["≥ 0.90×", verdict(v >= 0.9 * w1)])
            w1_before = med(results, "tribune-before", "w1_ack_s")
            if w1_before:
                cells = ["%.2f×" % (v / w1_before) if x == c else "" for x in cols]
                rows.append(["W1 of %s against tribune-before" % c] + cells
                            + ["≥ 0.90×", verdict(v >= 0.9 * w1_before)])
    row("server CPU ms per stored W1 post (until idle again)", "w1_cpu_ms_per_post", digits=2)
    row("of which SQLite's writer thread", "w1_writer_ms_per_post", digits=3)
    row("seconds from W1's end until the server is idle (work owed, caught up)", "w1_drain_s", digits=1)
    lost = {c: sum(r.get("w1_lost", 0) + r.get("mix_w1_lost", 0) for r in results.get(c, [])) for c in cols}
    rows.append(["W1 acknowledged but not stored (all rounds)"] + [fmt(lost[c], 0) for c in cols]
                + ["0", verdict(lost.get("tribune") == 0 if "tribune" in lost else None)])
    for label, key in (("peak RSS under R1, MB", "rss_r1_peak_mb"), ("peak RSS under W1, MB", "rss_w1_peak_mb"),
                       ("peak RSS under MIX, MB", "rss_mix_peak_mb"), ("peak RSS under C1, MB", "rss_c1_peak_mb"),
                       ("peak RSS under L1, MB", "rss_l1_peak_mb")):
        row(label, key, "≤ 96 MB", lambda a, b: a <= 96)
    row("RSS when L1 starts, MB", "rss_l1_start_mb")
    row("of which files (the binary, SQLite's shared memory), MB", "rss_l1_start_file_mb")
    row("RSS 10 s after L1, MB", "rss_l1_after_mb", "≤ 80 MB", lambda a, b: a <= 80)
    row("L1 logins answered/s", "l1_logins_s")
    row("L1 p99 ms", "l1_p99_ms")
    row("C1 GETs/s (crawler, 8 connections)", "c1_rps")
    row("C1 cache hit rate, both passes, %", "c1_hit_pct")
    row("C1 cache hit rate, second pass, %", "c1_pass2_hit_pct")
    row("C1 page cache at the end, MB", "c1_cache_mb")
    return ["Figure"] + cols + ["Target", "Met?"], rows


def scale_memory_rows(results):
    rows = []
    for label, key in (("peak RSS under R1, MB", "rss_r1_peak_mb"), ("peak RSS under W1, MB", "rss_w1_peak_mb"),
                       ("peak RSS under the queue, MB", "rss_q_peak_mb")):
        a, b = med(results, "tribune-20k", key), med(results, "tribune-1M", key)
        rows.append([label, fmt(a), fmt(b), "≤ 96 MB", verdict(None if b is None else max(a or 0, b) <= 96)])
    a, b = med(results, "tribune-20k", "w1_ack_s"), med(results, "tribune-1M", "w1_ack_s")
    rows.append(["W1 acknowledged/s", fmt(a), fmt(b), "", "—"])
    lost = sum(r.get("w1_lost", 0) for t in ("tribune-20k", "tribune-1M") for r in results.get(t, []))
    rows.append(["W1 acknowledged but not stored (all rounds)", fmt(lost, 0), "", "0", verdict(lost == 0)])
    return rows


def md_table(header, rows):
    out = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    out += ["| " + " | ".join(str(c) for c in r) + " |" for r in rows]
    return "\n".join(out)


def chart_svg(results, path):
    """Horizontal bars of the ratios on a log axis, each with its target mark."""
    import math

    T = lambda k: med(results, "tribune", k)
    I = lambda k: med(results, "isso", k)
    C = lambda k: med(results, "ceiling", k)
    bars = [
        ("R1 req/s, Tribune / ceiling", ratio(T("r1_rps"), C("r1_rps")), 0.5, True),
        ("R1 req/s, Tribune / Isso", ratio(T("r1_rps"), I("r1_rps")), None, True),
        ("R2 req/s, Tribune / Isso", ratio(T("r2_rps"), I("r2_rps")), 100, True),
        ("W1 acknowledged/s, Tribune / Isso", ratio(T("w1_ack_s"), I("w1_ack_s")), None, True),
        ("W1 acknowledged/s, Tribune / 3,000", ratio(T("w1_ack_s"), 3000), 1, True),
        ("W1 p99, 50 ms / Tribune", ratio(50, T("w1_p99_ms")), 1, True),
        ("MIX W1 p99, 100 ms / Tribune", ratio(100, T("mix_w1_p99_ms")), 1, True),
        ("RSS at R1 peak, 64 MB / Tribune", ratio(64, T("rss_r1_peak_mb")), 1, True),
    ]
    if "tribune-1M" in results:
        for label, k in (("R1", "r1"), ("R2", "r2"), ("queue", "q")):
            bars.append(("%s p99 at 1M, 1.5 × 20k / 1M" % label,
                         ratio(1.5 * (med(results, "tribune-20k", k + "_p99_ms") or 0),
                               med(results, "tribune-1M", k + "_p99_ms")), 1, True))
    bars = [b for b in bars if b[1] is not None and b[1] > 0]
    lo, hi = -2, 4  # 0.01× .. 10,000×
    vals = [math.log10(b[1]) for b in bars]
    lo = min(lo, math.floor(min(vals)) if vals else lo)
    hi = max(hi, math.ceil(max(vals)) if vals else hi)
    left, width, bar_h, gap, top = 290, 520, 20, 10, 50
    height = top + len(bars) * (bar_h + gap) + 50
    x = lambda v: left + (math.log10(v) - lo) / (hi - lo) * width
    out = ['<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" font-family="sans-serif" font-size="12">'
           % (left + width + 90, height),
           '<rect width="100%" height="100%" fill="white"/>',
           '<text x="10" y="22" font-size="15" font-weight="bold">Tribune benchmark ratios (log scale; '
           'right of the black tick = target met)</text>']
    for e in range(lo, hi + 1):
        xe = x(10 ** e)
        out.append('<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="#ddd"/>' % (xe, top - 5, xe, height - 35))
        out.append('<text x="%.1f" y="%d" text-anchor="middle" fill="#555">%s×</text>'
                   % (xe, height - 20, ("%g" % (10 ** e))))
    x1 = x(1)
    for n, (label, v, goal, _) in enumerate(bars):
        y = top + n * (bar_h + gap)
        met = None if goal is None else v >= goal
        color = "#7a8fa6" if met is None else ("#2e8b57" if met else "#c0392b")
        xv = x(v)
        out.append('<text x="%d" y="%d" text-anchor="end">%s</text>' % (left - 8, y + 14, label))
        out.append('<rect x="%.1f" y="%d" width="%.1f" height="%d" fill="%s"/>'
                   % (min(x1, xv), y, max(1.0, abs(xv - x1)), bar_h, color))
        out.append('<text x="%.1f" y="%d" fill="#222">%s</text>' % (max(x1, xv) + 4, y + 14, fmt_ratio(v)))
        if goal is not None:
            xg = x(goal)
            out.append('<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="black" stroke-width="3"/>'
                       % (xg, y - 3, xg, y + bar_h + 3))
    out.append('<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="#333"/>' % (x1, top - 8, x1, height - 35))
    out.append("</svg>")
    with open(path, "w") as f:
        f.write("\n".join(out) + "\n")


def report(results, info, out_md, out_svg, out_json):
    # The raw figures first: a fault in the tables below must not lose a run.
    with open(out_json, "w") as f:
        json.dump({"info": info, "results": results}, f, indent=1)
    rows = build_rows(results)
    header = ["Scenario", "Metric", "Tribune", "Isso", "Ceiling", "Tribune/Isso", "Tribune/ceiling", "Target", "Met?"]
    table = md_table(header, rows)
    parts = [
        "# Tribune benchmark results",
        "",
        "Written by `bench/run.sh%s` on %s; medians over %d round(s) of %d s per measurement "
        "(after a %d s warm-up), targets interleaved. See [README.md](README.md) for what each figure means."
        % (info["flags"], info["date"], ARGS.rounds, ARGS.duration, ARGS.warmup),
        "",
        "Machine: %(cpu)s, %(cores)s cores, %(memory)s RAM, %(os)s, kernel %(kernel)s; %(rustc)s; %(wrk)s; "
        "isso + gunicorn %(isso_gunicorn)s; Tribune at commit %(commit)s." % info["machine"],
        "Load generator (wrk) and servers share the machine. Load average before the run %s, after it %s. "
        "Whole run: %s." % (info["load_start"], info["machine"]["load_end"], info["wall"]),
        "",
        "![ratios](%s)" % os.path.basename(out_svg),
        "",
        "## Tribune against Isso and the ceiling",
        "",
        "20,200 approved comments (a0: 200; a1..a1000: 20 each) plus 200 pending. "
        "For latencies and memory, a ratio below 1 is Tribune's advantage.",
        "",
        table,
        "",
    ]
    pg_builds = [t[:-3] for t in results if t.endswith("-pg")]
    if pg_builds:
        parts += [
            "## PostgreSQL against SQLite, same run",
            "",
            "The same dataset copied into PostgreSQL on the same machine (`--postgres`), a fresh copy per "
            "session; R1, R2 and W1 as above, each build's PostgreSQL figure against its own SQLite one.",
            "",
            md_table(["Build", "Figure", "SQLite", "PostgreSQL", "PostgreSQL/SQLite", "Target", "Met?"],
                     postgres_rows(results, pg_builds)),
            "",
        ]
    if any(t in results for t in TRIBUNES):
        header_m, rows_m = memory_rows(results)
        parts += [
            "## Memory, and the change against the build before it",
            "",
            "Each Tribune build runs R1, R2, W1, MIX, then C1 (a crawler: every article's thread in "
            "2 sorts × 4 limits, 8,008 GETs, then the same again) and L1 (16 connections sign in for "
            "%d s over the 64 readers, half with a wrong password), in one process; RSS is sampled every "
            "100 ms through each phase. `tribune-before` is commit %s, built the same way; `tribune` is "
            "this tree; other columns are this tree with another global allocator. Default configuration "
            "(rate limits off, as everywhere in this harness)." % (ARGS.l1_seconds, ARGS.baseline_name or "—"),
            "",
            md_table(header_m, rows_m),
            "",
        ]
    if "tribune-1M" in results:
        parts += [
            "## Scale: 20,200 against 1,000,180 comments",
            "",
            "Small: the database above. Large: a0 with 200 comments, 49,999 articles with 20 each, "
            "10,000 pending (1,010,180 rows). Queue = `GET /api/v1/mod/queue?limit=50` as a moderator "
            "(pending: %s small, %s large)."
            % (fmt(med(results, "tribune-20k", "queue_total"), 0), fmt(med(results, "tribune-1M", "queue_total"), 0)),
            "",
            md_table(["Route", "req/s 20k", "req/s 1M", "p99 ms 20k", "p99 ms 1M", "p99 1M / 20k", "Target", "Met?"],
                     scale_rows(results)),
            "",
            md_table(["Memory", "20k", "1M", "Target", "Met?"], scale_memory_rows(results)),
            "",
        ]
    parts += ["## Per round", "", "Raw figures of every round: `%s`." % os.path.relpath(out_json, BENCH), ""]
    per = []
    for target, rounds in results.items():
        for n, r in enumerate(rounds):
            keys = [k for k in ("r1_rps", "r1_p99_ms", "r1p_rps", "r1s_rps", "r1s_ratio", "r2_rps", "r2_p99_ms", "w1_ack_s", "w1_p99_ms",
                                "mix_w1_p99_ms", "e1_rps", "q_rps", "q_p99_ms", "rss_r1_peak_mb", "rss_w1_peak_mb",
                                "rss_mix_peak_mb", "rss_c1_peak_mb", "rss_l1_peak_mb", "rss_l1_after_mb",
                                "rss_q_peak_mb", "l1_logins_s", "c1_pass2_hit_pct") if r.get(k) is not None]
            figures = ", ".join("%s %s" % (k, fmt(r[k])) for k in keys)
            if r.get("r1s_load"):
                figures += ", load during R1S %s" % r["r1s_load"]
            per.append([target, n + 1, figures])
    parts += [md_table(["Target", "Round", "Figures"], per), ""]
    text = "\n".join(parts)
    with open(out_md, "w") as f:
        f.write(text)
    chart_svg(results, out_svg)
    with open(out_json, "w") as f:
        json.dump({"info": info, "results": results}, f, indent=1)
    print()
    print(table)
    if "tribune-1M" in results:
        print()
        print(md_table(["Route", "req/s 20k", "req/s 1M", "p99 ms 20k", "p99 ms 1M", "p99 1M / 20k", "Target", "Met?"],
                       scale_rows(results)))
    print()
    log("wrote %s, %s, %s" % (out_md, out_svg, out_json))


# ---------------------------------------------------------------- main


def main():
    global ARGS, BIN
    p = argparse.ArgumentParser(description="Tribune benchmark harness")
    p.add_argument("--quick", action="store_true", help="smoke run: 1 round, 3 s measurements, 1 s warm-up")
    p.add_argument("--scale", action="store_true", help="also part 2: the 1M-comment database")
    p.add_argument("--w1-only", action="store_true", help="Tribune targets run only W1 (a quick comparison of writes)")
    p.add_argument("--rounds", type=int, default=None)
    p.add_argument("--duration", type=int, default=None, help="seconds per measurement (15)")
    p.add_argument("--warmup", type=int, default=None, help="seconds of warm-up (5)")
    p.add_argument("--only", default="tribune,isso,ceiling", help="targets of part 1 (comma-separated)")
    p.add_argument("--target-dir", default=os.environ.get("CARGO_TARGET_DIR", os.path.join(REPO, "target", "bench")))
    p.add_argument("--work", default=os.path.join(BENCH, "work"))
    p.add_argument("--out", default=None, help="results file (bench/RESULTS.md; quick runs: work/RESULTS-quick.md)")
    p.add_argument("--no-check", action="store_true", help="go on when the seeded data looks wrong through the API")
    p.add_argument("--variant", action="append", default=[], metavar="NAME=BINARY",
                   help="another Tribune build to run like `tribune` (bench/run.sh --baseline adds tribune-before)")
    p.add_argument("--l1-seconds", type=int, default=L1_SECONDS, help="length of the login flood (30)")
    p.add_argument("--postgres", default=None, metavar="URL",
                   help="also R1, R2 and W1 of each Tribune build on PostgreSQL (a server where the bench may "
                        "create databases), reported against SQLite's figures of the same run")
    p.add_argument("--baseline-name", default=None, help="the commit tribune-before was built from, for the report")
    ARGS = p.parse_args()
    ARGS.rounds = ARGS.rounds or (1 if ARGS.quick else 2)
    ARGS.duration = ARGS.duration or (3 if ARGS.quick else 15)
    ARGS.warmup = ARGS.warmup if ARGS.warmup is not None else (1 if ARGS.quick else 5)
    os.makedirs(ARGS.work, exist_ok=True)
    if os.path.exists(os.path.join(ARGS.work, "wrk.log")):
        os.remove(os.path.join(ARGS.work, "wrk.log"))
    rel = os.path.join(os.path.abspath(ARGS.target_dir), "release")
    BIN = {"tribune": os.path.join(rel, "tribune"), "seed": os.path.join(rel, "bench_seed"),
           "ceiling": os.path.join(rel, "bench_ceiling")}
    for v in ARGS.variant:
        name, _, path = v.partition("=")
        if not name.startswith("tribune-") or not path:
            sys.exit("--variant wants tribune-NAME=PATH, got %r" % v)
        BIN[name] = os.path.abspath(path)
    for b in BIN.values():
        if not os.path.exists(b):
            sys.exit("missing %s: build first (bench/run.sh does)" % b)
    out_md = ARGS.out or (os.path.join(ARGS.work, "RESULTS-quick.md") if ARGS.quick else os.path.join(BENCH, "RESULTS.md"))
    # Next to the report, named after it unless it is the main one.
    stem = os.path.splitext(os.path.basename(out_md))[0]
    svg_name = "ratios.svg" if stem == "RESULTS" else "ratios-%s.svg" % stem.replace("RESULTS-", "").lower()
    out_svg = os.path.join(os.path.dirname(out_md), svg_name)
    out_json = os.path.join(ARGS.work, "results-quick.json" if ARGS.quick else "results.json")

    global COMMIT_AT_START
    # Read now: the binaries were built from this tree, whatever happens to it during the run.
    git = lambda *a: subprocess.run(["git"] + list(a), capture_output=True, text=True, cwd=REPO).stdout.strip()
    COMMIT_AT_START = (os.environ.get("BENCH_COMMIT") or git("rev-parse", "--short", "HEAD"),
                       " + uncommitted changes" if git("status", "--porcelain", "--", "src", "migrations", "Cargo.toml") else "")
    started = time.time()
    load_start = " ".join(open("/proc/loadavg").read().split()[:3])
    targets = [t for t in ARGS.only.split(",") if t]
    targets += [v.partition("=")[0] for v in ARGS.variant if v.partition("=")[0] not in targets]
    base_db, isso_db, seed_t, seed_i = seed_base()
    log("seeded Tribune in %.1f s, Isso in %.1f s" % (seed_t, seed_i))
    body_file, _ = check_tribune(base_db)
    scale_db = None
    if ARGS.scale:
        scale_db, secs = seed_scale()
        if secs:
            log("seeded the 1M database in %.1f s" % secs)

    sessions = {
        "tribune": lambda r: session_tribune(base_db, r),
        "isso": lambda r: session_isso(isso_db, r),
        "ceiling": lambda r: session_ceiling(body_file, r),
    }
    for v in ARGS.variant:
        name = v.partition("=")[0]
        sessions[name] = lambda r, name=name: session_tribune(base_db, r, name)
    builds = [t for t in targets if t.startswith("tribune")]
    if ARGS.postgres:
        log("seeded PostgreSQL in %.1f s" % seed_postgres())
        for build in builds:
            sessions[build + "-pg"] = lambda r, build=build: session_postgres(r, build)
        targets += [b + "-pg" for b in builds]
    results = {}
    for rnd in range(ARGS.rounds):
        order = targets[rnd % len(targets):] + targets[:rnd % len(targets)]
        log("round %d/%d: %s" % (rnd + 1, ARGS.rounds, ", ".join(order)))
        for t in order:
            log(" %s" % t)
            results.setdefault(t, []).append(sessions[t](rnd))
    if scale_db:
        scale_base = os.path.join(ARGS.work, "scale-small.db")
        copy_db(base_db, scale_base)
        for rnd in range(ARGS.rounds):
            order = [("tribune-20k", scale_base, PORTS["tribune"]), ("tribune-1M", scale_db, PORTS["tribune-1M"])]
            if rnd % 2:
                order.reverse()
            log("scale round %d/%d" % (rnd + 1, ARGS.rounds))
            for name, db, port in order:
                log(" %s" % name)
                results.setdefault(name, []).append(session_scale(name, db, port))
    wall = time.time() - started
    flags = (" --quick" if ARGS.quick else "") + (" --scale" if ARGS.scale else "")
    info = {
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": machine(), "flags": flags, "load_start": load_start,
        "wall": "%d min %02d s (seeding: Tribune %.1f s, Isso %.1f s)" % (wall // 60, wall % 60, seed_t, seed_i),
        "rounds": ARGS.rounds, "duration": ARGS.duration, "warmup": ARGS.warmup,
    }
    report(results, info, out_md, out_svg, out_json)


if __name__ == "__main__":
    main()
