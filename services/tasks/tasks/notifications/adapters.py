"""The ways a notification leaves: e-mail (SMTP, the standard library) and a webhook (httpx).

Each adapter's ``send`` returns nothing or raises ``SendFailed`` with a short reason (logged on
the attempt; no secret, no server reply longer than a line)."""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate

import httpx

from tasks.config import Settings


class SendFailed(Exception):
    """A send that did not go through (tried again later)."""


@dataclass(frozen=True)
class Message:
    key: str  # the delivery's idempotency key: event key × channel
    subject: str
    body: str
    link: str
    to: tuple[str, ...] = ()


def _short(text: object) -> str:
    return " ".join(str(text).split())[:280]


@dataclass(frozen=True)
class EmailAdapter:
    host: str
    port: int
    sender: str
    user: str = ""
    password: str = ""
    starttls: bool = False
    timeout: float = 10.0

    channel = "email"

    @classmethod
    def from_settings(cls, settings: Settings) -> EmailAdapter:
        secret = settings.tasks_notify_smtp_password
        return cls(
            host=settings.tasks_notify_smtp_host,
            port=settings.tasks_notify_smtp_port,
            sender=settings.tasks_notify_email_from,
            user=settings.tasks_notify_smtp_user,
            password=secret.get_secret_value() if secret else "",
            starttls=settings.tasks_notify_smtp_starttls,
            timeout=settings.tasks_notify_timeout_seconds,
        )

    def send(self, message: Message) -> None:
        if not message.to:
            raise SendFailed("没有收件地址（LOUYU_TASKS_NOTIFY_EMAIL_TO）")
        mail = EmailMessage()
        mail["From"] = self.sender
        mail["To"] = ", ".join(message.to)
        mail["Subject"] = message.subject
        mail["Date"] = formatdate(localtime=False)
        domain = self.sender.rpartition("@")[2] or "localhost"
        mail["Message-ID"] = f"<{message.key.replace(':', '.')}@{domain}>"
        mail.set_content(message.body + (f"\n\n办理地址：{message.link}" if message.link else ""))
        try:
            with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as smtp:
                if self.starttls:
                    smtp.starttls(context=ssl.create_default_context())
                if self.user and self.starttls:
                    smtp.login(self.user, self.password)
                smtp.send_message(mail)
        except (OSError, smtplib.SMTPException) as exc:
            raise SendFailed(f"邮件发送失败：{_short(exc) or type(exc).__name__}") from exc


@dataclass
class WebhookAdapter:
    url: str
    timeout: float = 10.0
    client: httpx.Client | None = None

    channel = "webhook"

    @classmethod
    def from_settings(cls, settings: Settings) -> WebhookAdapter:
        return cls(url=settings.tasks_notify_webhook_url, timeout=settings.tasks_notify_timeout_seconds)

    def send(self, message: Message) -> None:
        if not self.url:
            raise SendFailed("没有设置机器人地址（LOUYU_TASKS_NOTIFY_WEBHOOK_URL）")
        text = f"{message.subject}\n{message.body}" + (f"\n办理地址：{message.link}" if message.link else "")
        payload = {"msgtype": "text", "text": {"content": text}, "key": message.key}
        try:
            if self.client is not None:
                resp = self.client.post(self.url, json=payload, headers={"Idempotency-Key": message.key})
            else:
                with httpx.Client(timeout=self.timeout) as client:
                    resp = client.post(self.url, json=payload, headers={"Idempotency-Key": message.key})
        except httpx.HTTPError as exc:
            raise SendFailed(f"机器人接口无法连接：{type(exc).__name__}") from exc
        if resp.status_code >= 300:
            raise SendFailed(f"机器人接口返回 {resp.status_code}：{_short(resp.text)[:120]}")
