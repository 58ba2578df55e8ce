"""The LLM answer path (SPEC "Answers: With an LLM"): the same retrieval and structured facts go into a prompt
as delimited, numbered sources; the generated answer carries [n] markers; the guard checks every figure and
bureau against the cited sources. A guard failure, an LLM error or a timeout returns the extractive answer
with the reason in `Answer.note` — never silently.

Import this module only when an LLM is configured: it pulls in langchain-core (and langchain-openai on first
construction)."""
from __future__ import annotations

import logging
import re
import time
from pathlib import Path
from typing import Callable, Iterator

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import BaseMessage
from langchain_core.output_parsers import StrOutputParser
from langchain_core.prompts import ChatPromptTemplate, PromptTemplate

from answer.guard import GuardResult, check_answer, check_faithful, claims, is_refusal, markers_in
from answer.sources import (Source, build_sources, citation_for, facts_block, neutralise, quote_for,
                            renumber_markers)
from answer.types import Answer, Hit
from errors import ConfigError
from knowledge.catalog import Catalog
from settings import PROJECT_DIR, Settings

log = logging.getLogger(__name__)

PROMPTS_DIR = PROJECT_DIR / "prompts"
FALLBACK = "已改用摘录式回答"
_THINK = re.compile(r"<think>.*?</think>", re.S)  # reasoning models (DeepSeek-R1, Qwen3) emit this first


class LLMTimeout(TimeoutError):
    """The whole generation took longer than POLICYQA_LLM_TIMEOUT_S (a slow trickle of chunks)."""


def load_prompts(directory: Path = PROMPTS_DIR) -> tuple[ChatPromptTemplate, PromptTemplate]:
    """The chat prompt (system.txt + user.txt) and the per-source block (source.txt)."""
    def read(name: str) -> str:
        path = directory / name
        if not path.is_file():
            raise ConfigError(f"prompt template missing: {path}")
        return path.read_text(encoding="utf-8")

    chat = ChatPromptTemplate.from_messages([("system", read("system.txt")), ("human", read("user.txt"))])
    return chat, PromptTemplate.from_template(read("source.txt"))


def make_chat_model(settings: Settings) -> BaseChatModel:
    """ChatOpenAI for any OpenAI-compatible endpoint; the config is checked first so the error names the
    POLICYQA_ variable to set."""
    missing = [name for name, value in (("POLICYQA_LLM_BASE_URL", settings.llm_base_url),
                                        ("POLICYQA_LLM_MODEL", settings.llm_model)) if not value]
    if missing:
        raise ConfigError(f"LLM is not configured: set {' and '.join(missing)}")
    if not re.match(r"^https?://", settings.llm_base_url or ""):
        raise ConfigError(f"POLICYQA_LLM_BASE_URL must be an http(s) URL, got {settings.llm_base_url!r}")
    if settings.llm_timeout_s <= 0:
        raise ConfigError(f"POLICYQA_LLM_TIMEOUT_S must be positive, got {settings.llm_timeout_s}")
    from langchain_openai import ChatOpenAI  # heavy; only when an LLM is configured

    # max_retries=0: a retry would double the user's wait; the extractive answer is the recovery.
    return ChatOpenAI(base_url=settings.llm_base_url, model=settings.llm_model,
                      api_key=settings.llm_api_key or "not-needed",  # local servers (vLLM, Ollama) need none
                      timeout=settings.llm_timeout_s, max_retries=0, streaming=True, temperature=0)


class LLMStream:
    """Iterate for the visible text deltas as they are generated; when iteration ends, `answer` holds the
    guarded final Answer (the LLM's, markers renumbered, or the extractive fallback with a note).
    The streamed text is provisional: the UI must replace it with `answer` at the end."""

    def __init__(self, run: Callable[["LLMStream"], Iterator[str]]):
        self.answer: Answer | None = None
        self.raw_text = ""  # everything the model produced (for diagnostics)
        self._gen = run(self)

    def __iter__(self) -> Iterator[str]:
        return self

    def __next__(self) -> str:
        return next(self._gen)

    def result(self) -> Answer:
        for _ in self:
            pass
        assert self.answer is not None
        return self.answer


class LLMAnswerer:
    def __init__(self, settings: Settings, catalog: Catalog | Callable[[], Catalog],
                 chat_model: BaseChatModel | None = None, prompts_dir: Path = PROMPTS_DIR):
        """`catalog` may be a callable returning the current catalog (the service rebuilds it after ingest).
        `chat_model` replaces ChatOpenAI (tests pass a deterministic fake)."""
        self.settings = settings
        self._catalog = catalog
        self.timeout_s = settings.llm_timeout_s
        self.model = chat_model if chat_model is not None else make_chat_model(settings)
        self.model_name = settings.llm_model or getattr(chat_model, "model_name", None) or type(chat_model).__name__
        self.prompt, self.source_prompt = load_prompts(prompts_dir)
        # The parser is applied per chunk, not piped: closing the stream of `prompt | model | parser` makes
        # langchain-core drain the model stream to its end (the parser step swallows GeneratorExit and then
        # consumes its input), so a timed-out or abandoned answer would keep generating.
        self.chain = self.prompt | self.model
        self.parser = StrOutputParser()

    @property
    def catalog(self) -> Catalog:
        return self._catalog() if callable(self._catalog) else self._catalog

    # -- prompt ------------------------------------------------------------------------------------------
    def prepare(self, question: str, extractive: Answer, hits: list[Hit]) -> tuple[dict, list[Source], str]:
        """Prompt inputs, the numbered sources and the facts block."""
        sources, cite_map = build_sources(self.catalog, extractive, hits)
        facts = facts_block(extractive, cite_map)
        blocks = [self.source_prompt.format(n=s.n, doc=neutralise(s.doc_title), measure=neutralise(s.label),
                                            page=s.page, text=neutralise(s.text)).strip()
                  for s in sources]
        inputs = {"question": neutralise(question), "facts": facts, "count": len(sources),
                  "sources": "\n\n".join(blocks)}
        return inputs, sources, facts

    def messages(self, question: str, extractive: Answer, hits: list[Hit]) -> list[BaseMessage]:
        return self.prompt.format_messages(**self.prepare(question, extractive, hits)[0])

    # -- answering ---------------------------------------------------------------------------------------
    def answer(self, question: str, extractive: Answer, hits: list[Hit]) -> Answer:
        return self.stream(question, extractive, hits).result()

    def stream(self, question: str, extractive: Answer, hits: list[Hit]) -> LLMStream:
        return LLMStream(lambda s: self._run(s, question, extractive, hits))

    def _run(self, out: LLMStream, question: str, extractive: Answer, hits: list[Hit]) -> Iterator[str]:
        inputs, sources, facts = self.prepare(question, extractive, hits)
        if not sources:
            out.answer = _fallback(extractive, "未检索到可供 LLM 引用的条文，使用摘录式回答")
            return
        start = time.monotonic()
        raw, shown = "", ""
        try:
            for chunk in self.chain.stream(inputs):
                raw += self.parser.invoke(chunk)
                out.raw_text = raw
                # httpx's timeout bounds each silent wait; this bounds the whole generation.
                if time.monotonic() - start > self.timeout_s:
                    raise LLMTimeout()
                visible = _visible(raw)
                if len(visible) > len(shown) and visible.startswith(shown):
                    yield visible[len(shown):]
                    shown = visible
        except Exception as e:  # any model/transport failure falls back, with the reason in the note
            note = self._error_note(e)
            log.warning("%s", note)
            out.answer = _fallback(extractive, note)
            return
        out.answer = self.finish(question, _THINK.sub("", raw).strip(), extractive, sources, facts)

    def finish(self, question: str, text: str, extractive: Answer, sources: list[Source], facts: str) -> Answer:
        """Guard the generated text; the accepted answer cites only the sources it marks, renumbered 1..k."""
        result: GuardResult = check_answer(text, sources, question=question, facts=facts,
                                           find_bureaus=self.catalog.find_bureaus)
        if not result.ok:
            shown = "；".join(result.problems[:2]) + ("等" if len(result.problems) > 2 else "")
            return _fallback(extractive, f"LLM 回答{shown}，{FALLBACK}")
        refused = is_refusal(text)
        # The extractive refusal decision is exact (years/amounts looked up in the store); disagreement
        # means one of the two is wrong, and the measured path wins.
        if refused and not extractive.refused:
            return _fallback(extractive, f"LLM 回答称文件未提及，但检索到的条文中有答案，{FALLBACK}")
        if not refused and extractive.refused:
            return _fallback(extractive, f"LLM 给出了回答，但文件中没有所问的事实，{FALLBACK}")
        # Figures and bureaus all grounded is not enough: an answer may deny the sources' facts (an instruction
        # planted in a document: 本市无任何目标) or leave out the figure that was asked for.
        unfaithful = check_faithful(text, sources, question=question, expected=extractive.answer,
                                    expected_refused=extractive.refused, route=extractive.route)
        if unfaithful:
            return _fallback(extractive, f"LLM 回答{'；'.join(unfaithful[:2])}，{FALLBACK}")
        by_n = {s.n: s for s in sources}
        order = list(dict.fromkeys(markers_in(text)))
        mapping = {old: new for new, old in enumerate(order, 1)}
        citations = []
        for old in order:
            context = "".join(c.sentence for c in claims(text) if old in c.markers)
            quote = quote_for(by_n[old], result.figures_by_source.get(old, []), context)
            citations.append(citation_for(by_n[old], quote))
        return Answer(question=question, answer=renumber_markers(text, mapping), refused=refused,
                      citations=citations, route=extractive.route)

    def _error_note(self, e: Exception) -> str:
        import httpx
        import openai

        if isinstance(e, (openai.APITimeoutError, httpx.TimeoutException, TimeoutError)):
            return f"LLM 请求超时（超过 {self.timeout_s:g} 秒），{FALLBACK}"
        if isinstance(e, openai.APIConnectionError):
            return f"无法连接 LLM 服务 {self.settings.llm_base_url or ''}（{_short(e)}），{FALLBACK}"
        if isinstance(e, openai.APIStatusError):
            return f"LLM 服务返回错误 HTTP {e.status_code}（{_short(e)}），{FALLBACK}"
        return f"LLM 调用失败（{type(e).__name__}: {_short(e)}），{FALLBACK}"


def _fallback(extractive: Answer, note: str) -> Answer:
    return Answer(question=extractive.question, answer=extractive.answer, refused=extractive.refused,
                  citations=list(extractive.citations), latency_ms=extractive.latency_ms,
                  route=extractive.route, note=note)


def _visible(raw: str) -> str:
    """What the UI may show so far: a leading <think>…</think> block is hidden until it closes."""
    text = raw.lstrip()
    if text.startswith("<think>"):
        end = text.find("</think>")
        return "" if end < 0 else text[end + len("</think>"):].lstrip()
    if "<think>".startswith(text):  # a partial opening tag
        return ""
    return text


def _short(e: Exception, limit: int = 120) -> str:
    msg = re.sub(r"\s+", " ", str(e)).strip() or type(e).__name__
    return msg if len(msg) <= limit else msg[:limit] + "…"
