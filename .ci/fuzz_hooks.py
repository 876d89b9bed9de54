"""Schemathesis hooks for .ci/fuzz.sh: the few places where JSON Schema
cannot say what api.md says, each tolerated narrowly.

1. Lengths count the *stored* form of a text (NFC, C0/C1 controls and bidi
   embeddings removed, trimmed; api.md "Conventions"). A string over
   `maxLength` that fits once normalized is rightly accepted: such a
   "schema-violating request accepted" failure is dropped when the body,
   normalized as the server does, is valid against the request schema.
2. Rules no schema keyword states (a username's script and confusables, an
   email per the `validator` crate, a single-word pattern, a ban ending in
   the future, an absolute http(s) URL): a "schema-valid request rejected"
   failure is dropped when the answer is a 422 naming only those fields of
   that operation.
3. A cursor is opaque: one the server never issued answers 400
   `invalid_cursor` even though it matches the documented alphabet.
4. A body sent as raw bytes is read as the server reads it: an empty body
   as `{}` (a documented deviation), anything else as JSON; bytes that are
   not JSON are never tolerated.
5. A "schema-valid request rejected" whose body, checked here against the
   operation's documented schema, is not valid (the fuzzer once labelled a
   body with an unknown field as valid) is no finding: refusing it is
   what the schema says.
Every other failure is kept.
"""

import json
import os
import unicodedata

import jsonschema_rs
import schemathesis

# Loaded now, near the bottom of the stack. Schemathesis otherwise imports its
# ASGI transport (and with it anyio) lazily, deep inside data generation, and
# anyio compiles a module's source when first imported, which CPython 3.11
# before 3.11.9 can fail with "SystemError: AST constructor recursion depth
# mismatch" when the stack is that deep: a runtime error of the fuzzer, not a
# finding about Tribune.
try:
    import schemathesis.transport.asgi  # noqa: F401
except ImportError:
    pass

# (METHOD, path) -> fields whose rules JSON Schema cannot express.
SEMANTIC_FIELDS = {
    # A display name may not pass for another account (its skeleton), nor
    # be invisible or hold blanks such as U+200B or U+00AD.
    ("POST", "/api/v1/auth/register"): {"username", "email", "display_name"},
    ("PATCH", "/api/v1/me"): {"display_name"},
    # The site's rules are configuration; a date range must not end before it starts.
    ("GET", "/api/v1/mod/statements"): {"rule"},
    ("GET", "/api/v1/admin/transparency"): {"from", "to", "format"},
    ("POST", "/api/v1/admin/words"): {"pattern"},
    # A decision's ground names one of the site's rules, which are
    # configuration (`[moderation] rules`), not schema.
    ("POST", "/api/v1/mod/users/{id}/ban"): {"until", "ground"},
    ("POST", "/api/v1/mod/comments/{id}/reject"): {"ground"},
    ("POST", "/api/v1/mod/comments/{id}/delete"): {"ground"},
    ("POST", "/api/v1/mod/bulk"): {"ground"},
    ("POST", "/api/v1/admin/articles"): {"url"},
    ("PATCH", "/api/v1/admin/articles/{key}"): {"url"},
    # A public host (no loopback, private or metadata address): DNS decides.
    ("POST", "/api/v1/admin/webhooks"): {"url"},
    # A mailed token is valid only while the database holds it unused.
    ("POST", "/api/v1/auth/verify-email"): {"token"},
    ("POST", "/api/v1/auth/password-reset/confirm"): {"token"},
    # A notice must be made in good faith (`true`), and names its notifier
    # (name and email) unless it is about child sexual abuse material
    # (DSA Art. 16(2)(c)): rules across fields that no schema keyword states.
    ("POST", "/api/v1/comments/{id}/notices"): {"good_faith", "name", "email", "explanation"},
    # At least one change: an empty object is refused.
    ("PATCH", "/api/v1/admin/users/{id}"): {"role"},
}

BIDI_CONTROLS = {chr(c) for c in list(range(0x202A, 0x202F)) + list(range(0x2066, 0x206A))}


def stored_form(text):
    """What the server keeps of a text before it counts characters."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = unicodedata.normalize("NFC", text)
    text = "".join(
        c
        for c in text
        if not (unicodedata.category(c) == "Cc" and c not in "\n\t") and c not in BIDI_CONTROLS
    )
    return text.strip()


def normalized(value):
    if isinstance(value, str):
        return stored_form(value)
    if isinstance(value, list):
        return [normalized(v) for v in value]
    if isinstance(value, dict):
        return {k: normalized(v) for k, v in value.items()}
    return value


NOT_JSON = object()


def as_sent(body):
    """The request body as the server decodes it (see 4. above)."""
    if not isinstance(body, (bytes, bytearray)):
        return body
    if not body.strip():
        return {}
    try:
        return json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return NOT_JSON


def request_schema(case):
    doc = case.operation.schema.raw_schema
    op = doc["paths"][case.operation.path][case.operation.method.lower()]
    schema = op.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
    if schema is None:
        return None
    return {**schema, "components": doc.get("components", {})}


def only_the_body_is_invalid(case):
    meta = case.meta
    if meta is None:
        return False
    locations = [
        str(getattr(location, "value", location)).lower()
        for location, component in meta.components.items()
        if component.mode.is_negative
    ]
    return bool(locations) and all(location == "body" for location in locations)


def response_json(response):
    try:
        return json.loads(response.content)
    except (ValueError, TypeError):
        return None


def dropped(case, why):
    """Notes a tolerated failure in $FUZZ_DROPPED_LOG, so a run can show what it let through."""
    path = os.environ.get("FUZZ_DROPPED_LOG")
    if path:
        with open(path, "a", encoding="utf-8") as log:
            log.write(f"{case.operation.method.upper()} {case.operation.path}: {why}\n")
    return False


@schemathesis.hook
def filter_failure(ctx, failure, case, response):
    name = type(failure).__name__
    key = (case.operation.method.upper(), case.operation.path)
    if name == "AcceptedNegativeData" and only_the_body_is_invalid(case):
        schema = request_schema(case)
        body = as_sent(case.body)
        if schema is not None and body is not NOT_JSON:
            if jsonschema_rs.is_valid(schema, normalized(body)):
                if isinstance(case.body, (bytes, bytearray)):
                    return dropped(case, "raw bytes accepted: they decode to a valid body")
                return dropped(case, "text over a limit accepted: within it once normalized")
    if name == "RejectedPositiveData":
        schema = request_schema(case)
        sent = as_sent(case.body)
        if schema is not None and sent is not NOT_JSON and case.body is not None:
            if not jsonschema_rs.is_valid(schema, sent):
                # Labelled valid, yet the body breaks the documented schema
                # (seen: an unknown field under additionalProperties: false).
                return dropped(case, "a body the schema refuses, refused")
        body = response_json(response) or {}
        error = body.get("error", {}) if isinstance(body, dict) else {}
        if response.status_code == 400 and error.get("code") == "invalid_cursor":
            return dropped(case, "400 invalid_cursor for a cursor never issued")
        fields = set((error.get("fields") or {}).keys())
        if response.status_code == 422 and fields and fields <= SEMANTIC_FIELDS.get(key, set()):
            return dropped(case, f"422 on {', '.join(sorted(fields))}")
    return True
