#!/usr/bin/env python3
"""Writes a Disqus XML export for bench/import.sh: THREADS threads and
COMMENTS posts, deterministic (seeded). Bodies are HTML with entities, in
French and Arabic; a third of the posts answer an earlier post of their
thread, one in a hundred answers a post that comes later in the file; 2 % are
spam, 1 % deleted; 100,000 authors (--authors), one in five without an
e-mail.

usage: gen_disqus.py OUT [--threads 50000] [--comments 1000000] [--authors 100000]
"""
import argparse
import random

FR = [
    "C&#39;est l&rsquo;&eacute;t&eacute; &agrave; la mairie&nbsp;!",
    "Je ne suis <b>pas</b> d&#39;accord avec l&#39;auteur &amp; je le dis.",
    "Tr&egrave;s bon article, merci pour ce travail de fond.",
    "Les chiffres cit&eacute;s sont-ils v&eacute;rifi&eacute;s&nbsp;? <a href=\"https://example.org/source\">source</a>",
    "<i>Enfin</i> quelqu&#39;un qui pose les bonnes questions sur le budget.",
]
AR = [
    "&#1605;&#1602;&#1575;&#1604; &#1605;&#1605;&#1578;&#1575;&#1586; &laquo;&#1588;&#1603;&#1585;&#1575;&raquo;",
    "هذا رأيي <b>الشخصي</b> &amp; أحترم الآراء الأخرى.",
    "أتفق مع الكاتب في معظم النقاط، لكن الأرقام تحتاج إلى مراجعة.",
    "<p>سؤال:</p><p>من أين جاءت هذه المعلومات؟</p>",
]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("out")
    p.add_argument("--threads", type=int, default=50_000)
    p.add_argument("--comments", type=int, default=1_000_000)
    # A smaller file with the same proportions: --comments 200000 --threads 10000 --authors 20000.
    p.add_argument("--authors", type=int, default=100_000)
    a = p.parse_args()
    rnd = random.Random(15)
    per = a.comments // a.threads
    extra = a.comments - per * a.threads
    with open(a.out, "w", encoding="utf-8", buffering=1 << 20) as f:
        w = f.write
        w('<?xml version="1.0" encoding="utf-8"?>\n')
        w('<disqus xmlns="http://disqus.com" xmlns:dsq="http://disqus.com/disqus-internals" '
          'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n')
        w('  <category dsq:id="1"><forum>bench</forum><title>General</title><isDefault>true</isDefault></category>\n')
        for t in range(a.threads):
            w(f'  <thread dsq:id="{10_000_000 + t}">\n    <id>article-{t}</id>\n    <forum>bench</forum>\n'
              f'    <category dsq:id="1"/>\n    <link>https://journal.example/2020/article-{t}/?ref=home</link>\n'
              f'    <title>Article num&#233;ro {t}</title>\n    <message/>\n'
              f'    <createdAt>2020-01-01T00:00:00Z</createdAt>\n'
              f'    <author><name>R&#233;daction</name><isAnonymous>false</isAnonymous><username>redaction</username></author>\n'
              f'    <isClosed>false</isClosed>\n    <isDeleted>false</isDeleted>\n  </thread>\n')
        post = 0
        for t in range(a.threads):
            n = per + (1 if t < extra else 0)
            first = post
            answered_early = False
            for i in range(n):
                pid = 20_000_000 + post
                parent = ""
                r = rnd.random()
                if answered_early:
                    # Answered by the post before it: stays at the top (no cycle).
                    answered_early = False
                elif i > 0 and r < 0.33:
                    parent = f'\n    <parent dsq:id="{20_000_000 + rnd.randrange(first, post)}"/>'
                elif i < n - 1 and r > 0.99:
                    parent = f'\n    <parent dsq:id="{20_000_000 + post + 1}"/>'
                    answered_early = True
                author = rnd.randrange(a.authors)
                email = "" if author % 5 == 0 else f"<email>lecteur{author}@example.com</email>"
                name = f"Lecteur {author}" if author % 3 else f"قارئ {author}"
                body = rnd.choice(AR if author % 3 == 0 else FR)
                spam = "true" if rnd.random() < 0.02 else "false"
                deleted = "true" if rnd.random() < 0.01 else "false"
                sec = i % 60
                minute = (i // 60) % 60
                w(f'  <post dsq:id="{pid}">\n    <id/>\n    <message><![CDATA[<p>{body}</p><p>Commentaire {post}.</p>]]></message>\n'
                  f'    <createdAt>2020-02-{1 + t % 28:02d}T10:{minute:02d}:{sec:02d}Z</createdAt>\n'
                  f'    <isDeleted>{deleted}</isDeleted>\n    <isSpam>{spam}</isSpam>\n'
                  f'    <author>{email}<name>{name}</name><isAnonymous>false</isAnonymous></author>\n'
                  f'    <thread dsq:id="{10_000_000 + t}"/>{parent}\n  </post>\n')
                post += 1
        w("</disqus>\n")


if __name__ == "__main__":
    main()
