"""An optional large-model endpoint for 问数 (off by default): an OpenAI-compatible
``POST {url}/chat/completions`` the deployer configures (``LOUYU_METRICS_ASK_LLM_URL``,
``…_KEY``, ``…_MODEL``). It is asked only when the local parser cannot read a question, and
only to *propose* the parts of a reading as Chinese words (指标、范围、期间、比较、条件、方式);
the product reads those words with its own parser and vocabularies, checks them like any
reading, runs them with the asker's access and shows that the reading came from the model.
Nothing else is sent: no figure, no enterprise, no user."""

from __future__ import annotations

import json
import logging

import httpx

log = logging.getLogger("louyu.metrics.ask")

PARTS = ("metric", "entity", "period", "compare", "filter", "intent")
PROMPT = (
    "你是楼宇经济数据平台的问题解析器。把用户的问题拆成以下部分，只输出一个 JSON 对象，键只能是："
    "metric（指标，如 全口径税收、区级税收、营业收入、入驻率、空置率、在楼企业数、亿元楼宇）、"
    "entity（范围：楼宇名、街道名、功能区、特色主题或“全区”）、"
    "period（期间，如 2025年、2025年3月、一季度、上半年、近12个月）、"
    "compare（“同比”或省略）、filter（条件，如 超过30%）、intent（取数、计数、列表、排名、逐月走势之一）。"
    "读不出的部分省略，不要编造名称。"
)


class LlmAdapter:
    """The configured endpoint, asked with a timeout; any failure means "no proposal"."""

    def __init__(
        self,
        *,
        url: str,
        key: str,
        model: str,
        timeout: float = 5.0,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.url = url.rstrip("/")
        self.key = key
        self.model = model
        self.timeout = timeout
        self.transport = transport

    def propose(self, question: str) -> dict[str, str] | None:
        """The parts the model proposes (Chinese words per part), or None."""
        body = {
            "model": self.model,
            "temperature": 0,
            "messages": [{"role": "system", "content": PROMPT}, {"role": "user", "content": question[:200]}],
        }
        headers = {"Authorization": f"Bearer {self.key}"} if self.key else {}
        try:
            with httpx.Client(timeout=self.timeout, transport=self.transport) as client:
                resp = client.post(f"{self.url}/chat/completions", json=body, headers=headers)
            resp.raise_for_status()
            content = resp.json()["choices"][0]["message"]["content"]
            start, end = content.find("{"), content.rfind("}")
            proposal = json.loads(content[start : end + 1])
        except (httpx.HTTPError, ValueError, KeyError, IndexError, TypeError) as exc:
            log.warning("问数 large-model endpoint gave no usable proposal: %s", type(exc).__name__)
            return None
        if not isinstance(proposal, dict):
            return None
        return {
            k: str(v)[:50] for k, v in proposal.items() if k in PARTS and isinstance(v, str | int | float) and str(v)
        }
