"""A handler for Debian's aiosmtpd that keeps what it receives for tests.

    PYTHONPATH=tests/support /usr/bin/python3 -m aiosmtpd -n -l 127.0.0.1:PORT \
        -c smtp_sink.Sink DIR

Each message becomes DIR/NNNNNN.json: the envelope, the headers and the text
and HTML bodies as Python's email package decodes them (RFC 2047 words,
quoted-printable, charsets), so the C++ tests check our messages against an
independent decoder instead of against our own encoder. The raw message is
kept beside it (NNNNNN.eml). A file appears complete or not at all (written
under a temporary name, then renamed).
"""

import email
import email.policy
import itertools
import json
import os


class Sink:
    def __init__(self, directory):
        self.directory = directory
        os.makedirs(directory, exist_ok=True)
        existing = [n for n in os.listdir(directory) if n.endswith(".json")]
        self.numbers = itertools.count(len(existing) + 1)

    @classmethod
    def from_cli(cls, parser, *args):
        if len(args) != 1:
            parser.error("smtp_sink.Sink takes one argument: the directory")
        return cls(args[0])

    def _write(self, name, data):
        path = os.path.join(self.directory, name)
        with open(path + ".tmp", "wb") as out:
            out.write(data)
        os.rename(path + ".tmp", path)

    async def handle_DATA(self, server, session, envelope):
        raw = envelope.original_content or envelope.content
        message = email.message_from_bytes(raw, policy=email.policy.default)
        text = message.get_body(preferencelist=("plain",))
        html = message.get_body(preferencelist=("html",))
        record = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": list(envelope.rcpt_tos),
            "from": str(message["From"]),
            "to": str(message["To"]),
            "subject": str(message["Subject"]),
            "date": str(message["Date"]),
            "message_id": str(message["Message-ID"]),
            "text": text.get_content() if text is not None else None,
            "html": html.get_content() if html is not None else None,
            "defects": [type(d).__name__ for d in message.defects],
        }
        number = next(self.numbers)
        self._write("%06d.eml" % number, raw)
        self._write("%06d.json" % number, json.dumps(record).encode("utf-8"))
        return "250 Message accepted for delivery"
