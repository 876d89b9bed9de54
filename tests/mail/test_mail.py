"""The mail flows as a reader follows them: mails caught by a real SMTP
server (aiosmtpd), links and tokens taken from them."""

import re
import tempfile
import time
from urllib.parse import parse_qs, urlparse

import requests

from conftest import PASSWORD, Sink, Tribune, parts, plain


def link_in(text, path):
    match = re.search(r"https?://\S*" + re.escape(path) + r"\S*", text)
    assert match, f"no link to {path} in:\n{text}"
    return match.group(0)


def token_of(link):
    return parse_qs(urlparse(link).query)["token"][0]


def verify(tribune, sink, name):
    mail = sink.wait_for(f"{name}@example.com")[0]
    text, _ = parts(mail)
    res = tribune.post("/auth/verify-email", {"token": token_of(link_in(text, "/account/verify-email"))})
    assert res.status_code == 204, res.text


def quiet(seconds=1.5):
    """Leaves the worker time to send what it would (it polls every 100 ms)."""
    time.sleep(seconds)


def test_registration_sends_a_link_that_verifies_the_address(tribune, sink):
    token = tribune.register("amina")["token"]
    mail = sink.wait_for("amina@example.com")[0]
    assert mail["From"] == "Tribune <tribune@journal.example>"
    assert mail["Message-ID"]
    assert mail.get_content_type() == "multipart/alternative"
    text, html = parts(mail)
    link = link_in(text, "/account/verify-email")
    assert link.startswith(tribune.base)
    assert '<html lang="fr" dir="ltr">' in html

    # Opening the link shows a form and changes nothing (mail scanners open links).
    page = requests.get(link, timeout=10)
    assert page.status_code == 200 and "text/html" in page.headers["Content-Type"]
    assert 'name="token"' in page.text
    assert tribune.get("/me", token).json()["email_verified"] is False
    # The form's button.
    done = requests.post(tribune.base + "/account/verify-email", data={"token": token_of(link)}, timeout=10)
    assert done.status_code == 200
    assert tribune.get("/me", token).json()["email_verified"] is True

    again = tribune.post("/auth/verify-email", {"token": token_of(link)})
    assert again.status_code == 422
    assert "token" in again.json()["error"]["fields"]


def test_password_reset_from_the_mail(tribune, sink):
    old = tribune.register("bilal")["token"]
    assert tribune.post("/auth/password-reset", {"email": "bilal@example.com"}).status_code == 202
    unknown = tribune.post("/auth/password-reset", {"email": "nobody@example.com"})
    assert unknown.status_code == 202 and unknown.text == ""

    mail = sink.wait_for("bilal@example.com", subject_part="mot de passe")[0]
    text, _ = parts(mail)
    link = link_in(text, "/account/reset-password")
    page = requests.get(link, timeout=10)
    assert page.status_code == 200 and 'type="password"' in page.text
    token = token_of(link)

    res = tribune.post("/auth/password-reset/confirm", {"token": token, "password": "un tout nouveau mot"})
    assert res.status_code == 204, res.text
    assert tribune.get("/me", old).status_code == 401, "every session is revoked"
    assert tribune.login("bilal").status_code == 401
    assert tribune.login("bilal", "un tout nouveau mot").status_code == 200

    reused = tribune.post("/auth/password-reset/confirm", {"token": token, "password": "encore un autre mot"})
    assert reused.status_code == 422
    assert "token" in reused.json()["error"]["fields"]
    assert tribune.login("bilal", "un tout nouveau mot").status_code == 200

    quiet()
    assert sink.to("nobody@example.com") == []


def test_an_expired_reset_link_is_refused(sink):
    with tempfile.TemporaryDirectory() as directory:
        short = Tribune(f"sqlite://{directory}/t.db", sink.port, mail__reset_token_seconds=1).start()
        try:
            short.register("expire")
            assert short.post("/auth/password-reset", {"email": "expire@example.com"}).status_code == 202
            mail = sink.wait_for("expire@example.com", subject_part="mot de passe")[0]
            token = token_of(link_in(parts(mail)[0], "/account/reset-password"))
            time.sleep(1.5)
            res = short.post("/auth/password-reset/confirm", {"token": token, "password": "trop tard pour moi"})
            assert res.status_code == 422
            assert "expir" in res.json()["error"]["fields"]["token"][0]
            assert short.login("expire").status_code == 200, "the password did not change"
        finally:
            short.stop()


def test_a_reply_notification_with_its_headers_then_one_click_unsubscribe(tribune, sink, admin_token):
    res = tribune.post("/admin/articles", {"key": "budget", "title": "Le budget 2027"}, admin_token)
    assert res.status_code == 201, res.text
    nadia = tribune.register("nadia")["token"]
    karim = tribune.register("karim")["token"]
    verify(tribune, sink, "nadia")
    assert tribune.patch("/me", {"notify_replies": True}, nadia).json()["notify_replies"] is True

    parent = tribune.post("/articles/budget/comments", {"body": "Un budget prudent."}, nadia).json()["id"]
    tribune.post("/articles/budget/comments", {"body": "Je me réponds.", "parent_id": parent}, nadia)
    reply = tribune.post(
        "/articles/budget/comments", {"body": "<b>Merci</b> & bravo", "parent_id": parent}, karim
    )
    assert reply.status_code == 201 and reply.json()["status"] == "approved"

    mail = sink.wait_for("nadia@example.com", subject_part="karim")[0]
    text, html = parts(mail)
    assert "> <b>Merci</b> & bravo" in text
    assert "&lt;b&gt;Merci&lt;/b&gt; &amp; bravo" in html and "<b>Merci" not in html
    assert "Le budget 2027" in plain(text)
    assert link_in(text, "/embed/budget")
    unsubscribe = mail["List-Unsubscribe"]
    assert re.fullmatch(r"<http://127\.0\.0\.1:\d+/api/v1/unsubscribe/\d+\.r\.[0-9a-f]{32}>", unsubscribe)
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = unsubscribe.strip("<>")
    quiet()
    assert len(sink.to("nadia@example.com", subject_part="karim")) == 1, "one mail, not for her own reply"

    # The link in a browser: a page that asks, and changes nothing.
    page = requests.get(url, timeout=10)
    assert page.status_code == 200 and "<form" in page.text
    assert tribune.get("/me", nadia).json()["notify_replies"] is True
    # What the mail client sends: no sign-in.
    one_click = requests.post(url, data="List-Unsubscribe=One-Click", timeout=10,
                              headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert one_click.status_code == 204
    assert tribune.get("/me", nadia).json()["notify_replies"] is False
    tribune.post("/articles/budget/comments", {"body": "Une autre réponse", "parent_id": parent}, karim)
    quiet()
    assert len(sink.to("nadia@example.com", subject_part="karim")) == 1


def test_a_held_reply_is_mailed_once_approved(tribune, sink, admin_token):
    tribune.post("/admin/articles", {"key": "premod", "title": "Sous surveillance", "moderation": "pre"}, admin_token)
    moderator = tribune.register("garde")
    res = tribune.patch(f"/admin/users/{moderator['user']['id']}", {"role": "moderator"}, admin_token)
    assert res.status_code == 200
    mod = moderator["token"]
    yasmine = tribune.register("yasmine")["token"]
    omar = tribune.register("omar")["token"]
    verify(tribune, sink, "yasmine")
    tribune.patch("/me", {"notify_replies": True}, yasmine)
    first = tribune.post("/articles/premod/comments", {"body": "Mon avis"}, yasmine).json()
    tribune.post(f"/mod/comments/{first['id']}/approve", {}, mod)
    held = tribune.post("/articles/premod/comments", {"body": "Réponse tenue", "parent_id": first["id"]}, omar).json()
    assert held["status"] == "pending"
    quiet()
    assert sink.to("yasmine@example.com", subject_part="omar") == []
    assert tribune.post(f"/mod/comments/{held['id']}/approve", {}, mod).status_code == 200
    sink.wait_for("yasmine@example.com", subject_part="omar")
    quiet()
    assert len(sink.to("yasmine@example.com", subject_part="omar")) == 1


def test_the_moderator_digest(tribune, sink, admin_token):
    tribune.post("/admin/articles", {"key": "file", "title": "File", "moderation": "pre"}, admin_token)
    modo = tribune.register("vigie")
    tribune.patch(f"/admin/users/{modo['user']['id']}", {"role": "moderator"}, admin_token)
    verify(tribune, sink, "vigie")
    me = tribune.patch("/me", {"notify_queue": True}, modo["token"])
    assert me.status_code == 200 and me.json()["notify_queue"] is True
    writer = tribune.register("plume")["token"]
    for n in range(2):
        assert tribune.post("/articles/file/comments", {"body": f"En attente {n}"}, writer).json()["status"] == "pending"
    mail = sink.wait_for("vigie@example.com", subject_part="attente")[0]
    text, _ = parts(mail)
    assert re.search(r"\d+ commentaires", plain(mail["Subject"]))
    assert link_in(text, "/console/")
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # More comments in the same period: no second digest.
    tribune.post("/articles/file/comments", {"body": "En attente 3"}, writer)
    quiet(6)
    assert len(sink.to("vigie@example.com", subject_part="attente")) == 1


def test_arabic_mails_are_right_to_left(tribune, sink, admin_token):
    salma = tribune.register("salma", locale="ar")["token"]
    mail = sink.wait_for("salma@example.com")[0]
    text, html = parts(mail)
    assert re.search(r"[\u0600-\u06ff]", plain(mail["Subject"]))
    assert '<html lang="ar" dir="rtl">' in html and '<body dir="rtl">' in html
    verify(tribune, sink, "salma")
    tribune.patch("/me", {"notify_replies": True}, salma)
    tribune.post("/admin/articles", {"key": "maqal", "title": "مقال"}, admin_token)
    hamid = tribune.register("hamid", locale="ar")["token"]
    parent = tribune.post("/articles/maqal/comments", {"body": "تعليق أول"}, salma).json()["id"]
    tribune.post("/articles/maqal/comments", {"body": "شكرا على **التعليق**", "parent_id": parent}, hamid)
    reply = sink.wait_for("salma@example.com", subject_part="hamid")[0]
    text, html = parts(reply)
    assert '<html lang="ar" dir="rtl">' in html
    assert '<blockquote dir="rtl">' in html
    assert "شكرا على **التعليق**" in text


def test_a_notice_without_an_account_hears_back_and_the_author_is_told_why(tribune, sink, admin_token):
    """DSA Art. 16 and 17: the notifier's acknowledgement, then the decision;
    the author's statement of reasons, in Arabic, right to left."""
    tribune.post("/admin/articles", {"key": "dsa", "title": "Le budget"}, admin_token)
    youssef = tribune.register("youssef", locale="ar")["token"]
    verify(tribune, sink, "youssef")
    comment = tribune.post("/articles/dsa/comments", {"body": "Untel est un escroc notoire"}, youssef).json()["id"]
    notice = {
        "category": "illegal_or_harmful_speech",
        "explanation": "Ce commentaire diffame nommément une personne privée.",
        "name": "Samia",
        "email": "samia@example.org",
        "good_faith": True,
    }
    res = tribune.post(f"/comments/{comment}/notices", notice, headers={"Accept-Language": "fr"})
    assert res.status_code == 201, res.text
    assert res.json()["status"] == "received"
    ack = sink.wait_for("samia@example.org", subject_part="reçu")[0]
    text, html = parts(ack)
    assert "illegal_or_harmful_speech" in plain(text)
    assert "> Untel est un escroc notoire" in text
    assert '<html lang="fr" dir="ltr">' in html

    res = tribune.post(f"/mod/comments/{comment}/reject", {"reason": "diffamation"}, admin_token)
    assert res.status_code == 200, res.text
    decided = sink.wait_for("samia@example.org", subject_part="décision")[0]
    text, _ = parts(decided)
    assert "nous avons retiré le commentaire" in plain(text)
    assert "sans moyen automatisé" in plain(text)

    told = sink.wait_for("youssef@example.com", subject_part="أُزيل")[0]
    text, html = parts(told)
    assert '<html lang="ar" dir="rtl">' in html and '<body dir="rtl">' in html
    assert "diffamation" in text


def test_a_queued_mail_survives_kill_9(sink):
    with tempfile.TemporaryDirectory() as directory:
        url = f"sqlite://{directory}/t.db"
        dead = Sink().port  # nothing listens there
        # A send cut by the kill keeps its lease (3 × timeout + 10 s) before
        # it is due again: a short timeout keeps the wait short.
        first = Tribune(url, dead, mail__timeout_seconds=1).start()
        first.register("durable")
        quiet(1)
        first.stop(kill=True)
        assert sink.to("durable@example.com") == []
        second = Tribune(url, sink.port, mail__timeout_seconds=1).start()
        try:
            sink.wait_for("durable@example.com", timeout=40)
            quiet()
            assert len(sink.to("durable@example.com")) == 1
        finally:
            second.stop()
