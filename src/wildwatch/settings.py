"""Settings for ``wildwatch serve``: typed, from ``WILDWATCH_*`` environment variables.

docs/operators.md lists every key. Secrets never live in the repository: the session-signing key
is made on first start and kept in the data directory (mode 0600), unless
``WILDWATCH_SECRET_KEY`` gives one.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


def default_data_dir() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "wildwatch"


class Settings(BaseSettings):
    """Everything an operator can set. Each field is the variable ``WILDWATCH_<NAME>``."""

    model_config = SettingsConfigDict(env_prefix="WILDWATCH_", extra="ignore")

    data_dir: Path = Field(default_factory=default_data_dir,
                           description="Where the SQLite file, the secret key and promoted "
                                       "models live.")
    database_url: str | None = Field(default=None, description="sqlite:///FILE or "
                                     "postgresql://user@host/db; default: DATA_DIR/wildwatch.db")
    host: str = Field(default="127.0.0.1", description="Address to listen on.")
    port: int = Field(default=8000, description="Port to listen on.")
    scorer: str = Field(default="model", description="lexicon, rules or model.")
    lexicon_dir: Path | None = Field(default=None, description="A lexicon folder instead of the "
                                     "shipped one.")
    policy_file: Path | None = Field(default=None, description="A policy file instead of the "
                                     "shipped one.")
    model_file: Path | None = Field(default=None, description="A model file instead of the "
                                    "shipped one (default: DATA_DIR/models/active.zip if an "
                                    "analyst promoted one).")
    secret_key: SecretStr | None = Field(default=None, description="Signs session cookies; "
                                         "default: made once and kept in DATA_DIR/secret_key.")
    secure_cookies: bool = Field(default=False, description="Send session cookies only over "
                                 "HTTPS; turn on behind a TLS proxy.")
    session_hours: int = Field(default=12, description="How long a console log-in lasts.")
    claim_minutes: int = Field(default=15, description="How long a moderator's claim on a "
                               "review item holds.")
    max_batch: int = Field(default=1000, description="Most posts in one POST /v1/posts.")
    max_body_bytes: int = Field(default=16 * 1024 * 1024, description="Largest request body.")
    webhook_timeout_seconds: float = Field(default=5.0, description="Per delivery attempt.")
    webhook_max_attempts: int = Field(default=8, description="Attempts before a delivery is "
                                      "marked failed (backoff doubles from 2 s, capped at 1 h).")
    webhook_poll_seconds: float = Field(default=0.5, description="How often the sender looks "
                                        "for due deliveries.")
    deliver_webhooks: bool = Field(default=True, description="Run the webhook sender inside "
                                   "the server.")
    redis_url: str | None = Field(default=None, description="redis://host:6379/0: server "
                                  "processes share report rate limits there; default: each "
                                  "process counts on its own.")
    report_limit: int = Field(default=10, ge=1, description="Reports one client address may "
                              "send per window without logging in.")
    spotter_report_limit: int = Field(default=60, ge=1, description="Reports one logged-in "
                                      "person may send per window.")
    report_window_seconds: int = Field(default=600, ge=1, description="The rate limits' "
                                       "sliding window.")
    spotter_signup: bool = Field(default=False, description="Let anyone make a spotter "
                                 "account at /signup (off: coordinators make accounts).")

    def resolved_database_url(self) -> str:
        return self.database_url or f"sqlite:///{self.data_dir / 'wildwatch.db'}"

    def session_secret(self) -> str:
        if self.secret_key is not None:
            return self.secret_key.get_secret_value()
        path = self.data_dir / "secret_key"
        if not path.exists():
            self.data_dir.mkdir(parents=True, exist_ok=True)
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(descriptor, "w") as handle:
                handle.write(secrets.token_urlsafe(48))
        return path.read_text().strip()
