"""A real SMTP server (aiosmtpd) and a real `tribune serve` for the mail flows.

The server binary comes from TRIBUNE_BIN; the database is a fresh SQLite file,
or the PostgreSQL database named by TRIBUNE_MAIL_DATABASE_URL.
"""

import email
import email.policy
import os
import socket
import subprocess
import tempfile
import threading
import time

import pytest
import requests
from aiosmtpd.controller import Controller

ADMIN_PASSWORD = "a long admin password"
PASSWORD = "a long password"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Sink:
    """An SMTP server that keeps every message it accepts."""

    def __init__(self):
        self.messages = []
        self.lock = threading.Lock()
        self.port = free_port()
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.lock:
            self.messages.append((envelope.rcpt_tos, message))
        return "250 OK"

    def to(self, address, subject_part=None):
        with self.lock:
            return [
                m
                for rcpt, m in self.messages
                if address in rcpt and (subject_part is None or subject_part in plain(m["Subject"]))
            ]

    def wait_for(self, address, count=1, subject_part=None, timeout=15):
        deadline = time.time() + timeout
        while time.time() < deadline:
            found = self.to(address, subject_part)
            if len(found) >= count:
                return found
            time.sleep(0.05)
        raise AssertionError(f"no mail to {address} ({subject_part}); got {self.summary()}")

    def summary(self):
        with self.lock:
            return [(rcpt, plain(m["Subject"])) for rcpt, m in self.messages]


def plain(text):
    """Without Fluent's bidi isolation marks."""
    return str(text).replace("\u2068", "").replace("\u2069", "")


def parts(message):
    """(text, html) of a multipart/alternative message."""
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    return text, html


class Tribune:
    """A `tribune serve` process; `stop(kill=True)` is kill -9."""

    def __init__(self, database_url, smtp_port, **settings):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.api = self.base + "/api/v1"
        self.env = dict(os.environ)
        self.env.update(
            {
                "TRIBUNE_DATABASE__URL": database_url,
                "TRIBUNE_SERVER__BIND": f"127.0.0.1:{self.port}",
                "TRIBUNE_SERVER__PUBLIC_URL": self.base,
                "TRIBUNE_SERVER__WORKERS": "2",
                "TRIBUNE_MAIL__SMTP_URL": f"smtp://127.0.0.1:{smtp_port}",
                "TRIBUNE_MAIL__FROM": "Tribune <tribune@journal.example>",
                "TRIBUNE_MAIL__POLL_MS": "100",
                "TRIBUNE_MAIL__RETRY_BASE_MS": "300",
                "TRIBUNE_MAIL__TIMEOUT_SECONDS": "5",
                "TRIBUNE_RATE_LIMIT__ENABLED": "false",
                "TRIBUNE_AUTH__ARGON2_MEMORY_KIB": "64",
                "TRIBUNE_AUTH__ARGON2_ITERATIONS": "1",
                "TRIBUNE_ADMIN_PASSWORD": ADMIN_PASSWORD,
                "RUST_LOG": "warn",
            }
        )
        for key, value in settings.items():
            self.env[f"TRIBUNE_{key.upper()}"] = str(value)
        self.process = None

    def run(self, *args):
        return subprocess.run(
            [os.environ["TRIBUNE_BIN"], *args], env=self.env, check=True, capture_output=True, text=True
        )

    def start(self):
        self.process = subprocess.Popen([os.environ["TRIBUNE_BIN"], "serve"], env=self.env)
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                if requests.get(self.base + "/healthz", timeout=1).status_code == 200:
                    return self
            except requests.ConnectionError:
                pass
            if self.process.poll() is not None:
                raise AssertionError("tribune exited")
            time.sleep(0.1)
        raise AssertionError("tribune did not start")

    def stop(self, kill=False):
        if self.process and self.process.poll() is None:
            if kill:
                self.process.kill()
            else:
                self.process.terminate()
            self.process.wait(timeout=30)

    # --- the API, as a client would use it
    def post(self, path, body=None, token=None, **kw):
        headers = kw.pop("headers", {})
        if token:
            headers["Authorization"] = f"Bearer {token}"
        return requests.post(self.api + path, json=body, headers=headers, timeout=10, **kw)

    def get(self, path, token=None, headers=None):
        headers = dict(headers or {})
        if token:
            headers["Authorization"] = f"Bearer {token}"
        return requests.get(self.api + path, headers=headers, timeout=10)

    def patch(self, path, body, token):
        return requests.patch(
            self.api + path, json=body, headers={"Authorization": f"Bearer {token}"}, timeout=10
        )

    def register(self, name, locale="fr"):
        res = self.post(
            "/auth/register",
            {"username": name, "email": f"{name}@example.com", "password": PASSWORD, "locale": locale},
        )
        assert res.status_code == 201, res.text
        return res.json()

    def login(self, login, password=PASSWORD):
        return self.post("/auth/login", {"login": login, "password": password})


def database_url(directory):
    return os.environ.get("TRIBUNE_MAIL_DATABASE_URL") or f"sqlite://{directory}/tribune.db"


@pytest.fixture(scope="session")
def sink():
    s = Sink()
    s.controller.start()
    yield s
    s.controller.stop()


@pytest.fixture(scope="session")
def tribune(sink):
    with tempfile.TemporaryDirectory() as directory:
        server = Tribune(database_url(directory), sink.port, mail__moderator_digest_minutes=60)
        server.run("migrate")
        server.run("create-admin", "--username", "chef", "--email", "chef@example.com")
        server.start()
        yield server
        server.stop()


@pytest.fixture(scope="session")
def admin_token(tribune):
    res = tribune.login("chef", ADMIN_PASSWORD)
    assert res.status_code == 200, res.text
    return res.json()["token"]
