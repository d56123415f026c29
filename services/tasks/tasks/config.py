"""Settings of the tasks service (`LOUYU_*` environment variables)."""

from functools import lru_cache

from pydantic import Field, SecretStr

from louyu_kit.settings import KitSettings


class Settings(KitSettings):
    tasks_database_url: str | None = None
    tasks_port: int = 8002
    # Peers tasks calls: registry (space vacancy written through from 扫楼 visits, buildings of a
    # visit round) and metrics (headline figures of a bulletin, the street bonus of assessment).
    registry_url: str = "http://127.0.0.1:8001"
    metrics_url: str = "http://127.0.0.1:8003"
    # Seconds tasks waits for registry or metrics before answering 503 (or "figures unavailable").
    tasks_peer_timeout_seconds: float = 5.0
    # Largest visit photo accepted (bytes); photos are checked by content (JPEG, PNG, WebP, HEIC).
    tasks_photo_max_bytes: int = 8 * 1024 * 1024
    # Days an enterprise demand may take, per category (category=days, comma separated;
    # categories not listed get `other`).
    tasks_demand_deadlines: str = "parking=10,permits=15,policy=7,talent=15,property=10,finance=20,tax=10,other=15"
    # Task lights (see tasks.work.lights): yellow within this many days of the due date …
    tasks_light_near_days: int = Field(14, ge=0, le=365)
    # … or when progress lags the time elapsed (start → due) by more than this many points.
    tasks_light_behind_points: int = Field(20, ge=0, le=100)
    # Largest task attachment (image or PDF, checked by content), bytes.
    tasks_attachment_max_bytes: int = Field(10 * 1024 * 1024, ge=1024)
    # 督办: the daily rule issues notices on yellow/red tasks and escalates unanswered ones;
    # it runs in the service every `interval` seconds (idempotent per task per day). 0 = off.
    tasks_supervision_interval_seconds: float = Field(3600.0, ge=0)
    # Days a unit has to answer a notice.
    tasks_supervision_respond_days: int = Field(5, ge=1, le=60)
    # 责任分解 reporting cycle (tasks.parts.service): the default day of the month a report on
    # each part is due (the bureau sets months and day per plan or task) …
    tasks_report_day: int = Field(25, ge=1, le=28)
    # … and the days after it a missing report stays a 提醒 before it becomes a 督办.
    tasks_report_grace_days: int = Field(5, ge=0, le=60)

    # 招商共享中心 转化率: a hosted enterprise counts as converted when it moves into a district
    # building (an occupancy in registry) within this many months of its stay's start.
    tasks_centre_conversion_months: int = Field(12, ge=1, le=120)

    # 通知 (tasks.notifications): e-mail over SMTP and a 政务微信 / 钉钉 style webhook, both off.
    tasks_notify_email_enabled: bool = False
    tasks_notify_smtp_host: str = "127.0.0.1"
    tasks_notify_smtp_port: int = Field(25, ge=1, le=65535)
    tasks_notify_smtp_user: str = ""
    tasks_notify_smtp_password: SecretStr | None = None
    # STARTTLS after connecting (port 587); the password is only ever sent over TLS.
    tasks_notify_smtp_starttls: bool = False
    tasks_notify_email_from: str = "louyu@localhost"
    # Addresses every notice goes to (comma separated), e.g. the 督查室's mailbox …
    tasks_notify_email_to: str = ""
    # … and each unit's own address for the notices addressed to it: "fgj=a@x.gov.cn,swj=b@x.gov.cn".
    tasks_notify_email_units: str = ""
    tasks_notify_webhook_enabled: bool = False
    # The robot's URL (JSON POST {"msgtype": "text", "text": {"content": …}}).
    tasks_notify_webhook_url: str = ""
    # The SPA's public address, so a message links to the page where the notice is answered.
    tasks_notify_public_url: str = ""
    # Seconds between the worker's rounds; 0 turns the worker off (events still queue).
    tasks_notify_interval_seconds: float = Field(30.0, ge=0)
    # A failed send is tried again after this many seconds, doubling each time, this many times in all.
    tasks_notify_retry_seconds: float = Field(60.0, ge=0)
    tasks_notify_max_attempts: int = Field(6, ge=1, le=50)
    # Seconds one send may take (SMTP conversation or webhook call).
    tasks_notify_timeout_seconds: float = Field(10.0, gt=0)

    @property
    def database_url(self) -> str:
        return self.tasks_database_url or self.sqlite_url("tasks")


@lru_cache
def get_settings() -> Settings:
    return Settings()
