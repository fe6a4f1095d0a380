"""Invitation e-mails, sent through the mail server named by ``ELEARN_SMTP_URL``.

The URL says how to reach the server: ``smtp://host:25`` (plain, as a local relay), ``smtp://user:password@host:587``
(STARTTLS is used whenever the server offers it), ``smtps://user:password@host:465`` (TLS from the start).
User name and password are percent-decoded (an ``@`` in a login is written ``%40``). Without the URL
nothing is sent and administrators hand the links over themselves.
"""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formataddr, make_msgid
from urllib.parse import unquote, urlsplit

#: Seconds to wait for the server before giving up (the administrator is waiting for the page).
TIMEOUT = 15


class MailError(Exception):
    """The message could not be sent; ``message`` is for the administrator (French)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class MailServer:
    host: str
    port: int
    tls: bool
    user: str = ""
    password: str = ""

    @classmethod
    def from_url(cls, url: str) -> MailServer:
        parts = urlsplit(url)
        if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
            raise MailError("ELEARN_SMTP_URL doit ressembler à smtp://utilisateur:motdepasse@serveur:587 ou smtps://…")
        tls = parts.scheme == "smtps"
        return cls(parts.hostname, parts.port or (465 if tls else 25), tls,
                   unquote(parts.username or ""), unquote(parts.password or ""))


@dataclass(frozen=True)
class Invitation:
    to_name: str
    to_address: str
    link: str
    sender: str
    organisation: str = ""
    valid_hours: int = 48


def invitation_message(invitation: Invitation) -> EmailMessage:
    """The invitation, in French (the learners' language)."""
    message = EmailMessage()
    message["Subject"] = "Votre compte de formation" + (f" — {invitation.organisation}" if invitation.organisation else "")
    message["From"] = invitation.sender
    message["To"] = formataddr((invitation.to_name, invitation.to_address))
    message["Message-ID"] = make_msgid(domain=invitation.sender.rpartition("@")[2] or None)
    message.set_content(
        f"Bonjour {invitation.to_name},\n\n"
        f"Un compte a été créé pour vous sur la plateforme de formation"
        f"{' de ' + invitation.organisation if invitation.organisation else ''}.\n\n"
        f"Choisissez votre mot de passe en suivant ce lien (valable {invitation.valid_hours} heures, "
        f"utilisable une fois) :\n\n{invitation.link}\n\n"
        "Votre identifiant est cette adresse e-mail. Si le lien a expiré, utilisez « Mot de passe oublié » "
        "sur la page de connexion.\n\n"
        "Si vous n'attendiez pas ce message, ignorez-le.\n"
    )
    return message


def send(server_url: str, messages: list[EmailMessage]) -> None:
    """Send ``messages`` over one connection; :class:`MailError` when the server cannot be reached or refuses."""
    server = MailServer.from_url(server_url)
    try:
        if server.tls:
            client: smtplib.SMTP = smtplib.SMTP_SSL(server.host, server.port, timeout=TIMEOUT, context=ssl.create_default_context())
        else:
            client = smtplib.SMTP(server.host, server.port, timeout=TIMEOUT)
        with client:
            client.ehlo()
            if not server.tls and client.has_extn("starttls"):
                client.starttls(context=ssl.create_default_context())
                client.ehlo()
            if server.user:
                client.login(server.user, server.password)
            for message in messages:
                client.send_message(message)
    except (OSError, smtplib.SMTPException) as error:
        raise MailError(f"Le serveur d'e-mail ({server.host}:{server.port}) n'a pas accepté l'envoi : {error}") from error
