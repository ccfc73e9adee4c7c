"""WeChat Official Account template messages (模板消息) over plain HTTP.

A couple who follows the studio's account has an OpenID there (`Customer.wechat_openid`,
typed by staff on the customer file). A message goes to it as a template registered at the
account (`WeChatTemplate`: its id and which of our placeholders fill its fields). Calls
carry an access token got with the account's AppID and AppSecret (environment only:
WECHAT_APP_ID / WECHAT_APP_SECRET), kept in the cache (Redis) until shortly before it
expires, and fetched again when WeChat says it is invalid (40001) or expired (42001). Our
message id is the `client_msg_id`: WeChat drops a second send of the same id to the same
OpenID. WeChat has no status query, so a message in doubt is left for a person; the
account's TEMPLATESENDJOBFINISH event reports delivery (followups.receipts).
"""

from typing import Any

import httpx
from django.conf import settings
from django.core.cache import cache

from .backends import NotSent
from .models import Channel, WeChatTemplate

# Token refused: fetch a new one and try once more.
STALE_TOKEN = {40001, 40014, 42001}
# Refusals after which the same message may go through later (busy, rate limited).
RETRYABLE = {-1, 45009, 45047}
# Kept this much shorter than WeChat says the token lives (7200 s).
EARLY = 300


class NoAnswer(Exception):
    """WeChat answered with something that is not an answer: it may have sent it."""


def token_key(app_id: str) -> str:
    return f"wechat:access_token:{app_id}"


class WeChatTemplateBackend:
    def __init__(self) -> None:
        self.base = settings.WECHAT_API_BASE.rstrip("/")
        self.app_id = settings.WECHAT_APP_ID
        self.secret = settings.WECHAT_APP_SECRET
        self.timeout = settings.WECHAT_TIMEOUT

    def send(self, message: Any) -> str:
        if message.channel != Channel.WECHAT:
            raise NotSent(f"WeChat cannot send {message.channel}", retry=False)
        if not message.to:
            raise NotSent("the couple has no WeChat OpenID", retry=False)
        template = _template_for(message)
        if template is None:
            raise NotSent(f"template {message.template_key} has no WeChat template", retry=False)
        body = {
            "touser": message.to,
            "template_id": template.template_id,
            "data": template.data(message.params),
            "client_msg_id": f"studio-{message.pk}",
        }
        answer = self._post("/cgi-bin/message/template/send", body)
        if answer.get("errcode") in STALE_TOKEN:
            answer = self._post("/cgi-bin/message/template/send", body, fresh=True)
        code = answer.get("errcode", 0)
        if code != 0:
            raise NotSent(f"{code}: {answer.get('errmsg', '')}", retry=code in RETRYABLE)
        return str(answer.get("msgid", ""))

    def access_token(self, *, fresh: bool = False) -> str:
        """The account's access token, from the cache unless `fresh`."""
        if not (self.app_id and self.secret):
            raise NotSent("no WeChat AppID / AppSecret in the environment")
        key = token_key(self.app_id)
        token = None if fresh else cache.get(key)
        if token:
            return str(token)
        answer = self._get(
            "/cgi-bin/token",
            {"grant_type": "client_credential", "appid": self.app_id, "secret": self.secret},
        )
        token = answer.get("access_token")
        if not token:
            raise NotSent(f"no access token: {answer.get('errcode')} {answer.get('errmsg', '')}")
        lives = int(answer.get("expires_in") or 7200)
        cache.set(key, token, timeout=max(lives - EARLY, 60))
        return str(token)

    def _post(self, path: str, body: dict[str, Any], *, fresh: bool = False) -> dict[str, Any]:
        token = self.access_token(fresh=fresh)
        try:
            response = httpx.post(
                f"{self.base}{path}",
                params={"access_token": token},
                json=body,
                timeout=self.timeout,
            )
        except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
            raise NotSent(f"WeChat unreachable: {exc}") from exc
        return _json(response)

    def _get(self, path: str, params: dict[str, str]) -> dict[str, Any]:
        try:
            response = httpx.get(f"{self.base}{path}", params=params, timeout=self.timeout)
        except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
            raise NotSent(f"WeChat unreachable: {exc}") from exc
        except httpx.TimeoutException as exc:  # nothing is sent by asking for a token
            raise NotSent(f"WeChat did not answer: {exc}") from exc
        return _json(response)


def _json(response: httpx.Response) -> dict[str, Any]:
    try:
        answer = response.json()
    except ValueError:
        raise NoAnswer(f"HTTP {response.status_code} without JSON") from None
    if not isinstance(answer, dict):
        raise NoAnswer(f"HTTP {response.status_code}: not an object")
    return answer


def _template_for(message: Any) -> WeChatTemplate | None:
    found = {
        t.language: t for t in WeChatTemplate.objects.filter(template_key=message.template_key)
    }
    return found.get(message.customer.language) or found.get(settings.LANGUAGE_CODE)
