"""Sending through a Zalo OA: consultation messages to residents who wrote to it recently.

Zalo lets an OA answer a user only within a window after the user's last message
(ZALO_REPLY_WINDOW_HOURS). Routing asks `reachable` first: outside the window, or for a
resident who unfollowed, the message goes by SMS when the resident has a phone, and waits
(visible in the admin panel) when they don't. The access token is renewed as needed
(sms_gateway/zalo_tokens.py); a token Zalo refuses is renewed once and the send retried.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta

from sqlalchemy import select, update

from nghedan.database import unit_of_work
from nghedan.extensions import db
from nghedan.models import SmsChannel, ZaloAccount, ZaloUser, utcnow
from sms_gateway import zalo, zalo_tokens
from sms_gateway.senders import SendError
from sms_gateway.zalo_inbound import ADDRESS_PREFIX, own_id

CHANNEL = "zalo"


def account_of(channel: SmsChannel) -> ZaloAccount | None:
    return db.session.scalar(select(ZaloAccount).where(ZaloAccount.channel_id == channel.id))


def user_for(account_id: int, address: str) -> ZaloUser | None:
    """The OA's user behind an outbox address: `zalo:<n>`, or a phone they shared."""
    query = select(ZaloUser).where(ZaloUser.account_id == account_id)
    if address.startswith(ADDRESS_PREFIX):
        user_id = own_id(address)
        return db.session.scalar(query.where(ZaloUser.id == user_id)) if user_id else None
    return db.session.scalar(
        query.where(ZaloUser.phone == address).order_by(ZaloUser.last_message_at.desc()).limit(1)
    )


def reachable(user: ZaloUser | None, now: datetime, config: Mapping) -> bool:
    """Whether a consultation message may go to this user now."""
    if user is None or not user.following or user.last_message_at is None:
        return False
    window = timedelta(hours=float(config["ZALO_REPLY_WINDOW_HOURS"]))
    return now - user.last_message_at <= window


class ZaloSender:
    """One Zalo OA as a sender (the outbox's `Sender` protocol)."""

    channel = CHANNEL

    def __init__(self, account_id: int, client: zalo.ZaloClient, config: Mapping):
        self.account_id, self.client, self.config = account_id, client, config

    @classmethod
    def from_channel(cls, channel: SmsChannel, config: Mapping) -> ZaloSender:
        account = account_of(channel)
        if account is None:
            raise SendError("Zalo channel without an OA", code="zalo-no-oa", transient=False)
        client = zalo.ZaloClient(
            app_id=account.app_id,
            secret_key=account.secret_key,
            api_base_url=config["ZALO_API_BASE_URL"],
            oauth_base_url=config["ZALO_OAUTH_BASE_URL"],
            timeout=float(config["ZALO_TIMEOUT_SECONDS"]),
        )
        return cls(account.id, client, config)

    def can_reach(self, address: str) -> bool:
        return reachable(user_for(self.account_id, address), utcnow(), self.config)

    def send(self, phone: str, body: str) -> str | None:
        # Read and let go: no transaction stays open over the HTTP calls (on SQLite it would
        # hold the one write lock, and the token renewal commits on a connection of its own).
        with unit_of_work():
            user = user_for(self.account_id, phone)
            user_id = user.user_id if reachable(user, utcnow(), self.config) else None
        if user_id is None:
            raise SendError("outside Zalo's reply window", code="zalo-window", transient=True)
        try:
            return self._send(user_id, body)
        except zalo.ZaloError as e:
            raise self._send_error(user_id, e) from e

    def _send(self, user_id: str, body: str) -> str:
        token = zalo_tokens.access_token(self.account_id, self.client)
        try:
            return self.client.send_text(token, user_id, body)
        except zalo.ZaloError as e:
            if e.kind != zalo.TOKEN:
                raise
        token = zalo_tokens.renew_now(self.account_id, self.client)  # refused: renew once
        return self.client.send_text(token, user_id, body)

    def _send_error(self, user_id: str, error: zalo.ZaloError) -> SendError:
        code = f"zalo{error.code}" if error.code is not None else f"zalo-{error.kind}"
        if error.kind == zalo.BLOCKED:  # until they follow again: SMS when there is a phone
            with unit_of_work():
                db.session.execute(
                    update(ZaloUser)
                    .where(ZaloUser.account_id == self.account_id, ZaloUser.user_id == user_id)
                    .values(following=False)
                )
        transient = error.kind in (zalo.TRANSIENT, zalo.WINDOW, zalo.BLOCKED, zalo.TOKEN)
        return SendError(error.message or error.kind, code=code[:16], transient=transient)
