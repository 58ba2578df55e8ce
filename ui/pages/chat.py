"""问答: chat with streamed answers, [n] markers, a sources panel, a document filter, example questions."""
from __future__ import annotations

import re
import time

import gradio as gr

from errors import BadQuestion, PolicyQAError
from ui import render
from ui.pages.common import ALL_DOCS, Page, bureaus_of, doc_choices, kind_of, log

EXAMPLES = (
    "到2030年可再生能源装机目标是多少？",
    "交通领域由哪个部门牵头？",
    "市发改委牵头负责哪些举措？",
    "我们是化工企业，有哪些要求？",
)
REFUSED_BADGE = "【未找到依据】"
STREAM_STEPS = 24  # an answer is revealed in at most this many steps
STREAM_DELAY_S = 0.02
# Break points for streaming: after Chinese punctuation, a line end or a citation marker.
_BREAK = re.compile(r"[。；，、：！？\n]|\[\d+\]")


def stream_prefixes(text: str, steps: int = STREAM_STEPS) -> list[int]:
    """Prefix lengths at which to show a growing answer: clause ends, thinned to at most `steps`; the
    last one is the whole text. Never cuts inside a [n] marker."""
    cuts = [m.end() for m in _BREAK.finditer(text)]
    if not cuts or cuts[-1] != len(text):
        cuts.append(len(text))
    if len(cuts) > steps:
        stride = len(cuts) / steps
        cuts = [cuts[min(len(cuts) - 1, round((i + 1) * stride) - 1)] for i in range(steps)]
    return sorted(set(cuts))


def respond(service, question: str, history: list | None, doc: str | None):
    """Generator for the chat events: yields (history, sources_html, question_box)."""
    history = list(history or [])
    question = question or ""
    try:
        q = service.check_question(question)
    except BadQuestion as e:
        history += [_user(question or "（空）"), _bot("⚠️ " + render.md_text(str(e)))]
        yield history, render.message_panel(str(e), "warn"), question
        return
    history += [_user(q), _bot("正在检索文件…")]
    yield history, render.empty_sources(), ""
    live = None
    try:
        live = _live_stream(service, q, doc)
        if live is not None:
            # The LLM's deltas are provisional; the guarded final answer replaces them below.
            text, ans = "", None
            for piece in live:  # text pieces, then the final checked Answer
                if not isinstance(piece, str):
                    ans = piece
                    continue
                text += piece
                history[-1] = _bot(render.chat_answer(text) + " ▌")
                yield history, render.empty_sources(), ""
        else:
            ans = service.ask(q, doc=doc or None)
    except PolicyQAError as e:
        history[-1] = _bot("⚠️ " + render.md_text(str(e)))
        yield history, render.message_panel(str(e), "warn"), ""
        return
    except Exception:  # keep the chat alive; the details go to the server log
        log.exception("ask failed: %r", q)
        msg = "处理问题时出现内部错误，请稍后重试或换个问法。"
        history[-1] = _bot("⚠️ " + msg)
        yield history, render.message_panel(msg, "error"), ""
        return
    prefix = (REFUSED_BADGE + " ") if ans.refused else ""
    sources = render.sources_panel(ans, lambda c: bureaus_of(service, c), lambda c: kind_of(service, c))
    # The extractive answer arrives whole; reveal it clause by clause so it reads like the LLM stream.
    for n in stream_prefixes(ans.answer) if live is None else [len(ans.answer)]:
        history[-1] = _bot(render.md_text(prefix) + render.chat_answer(ans.answer[:n]))
        yield history, sources, ""
        time.sleep(STREAM_DELAY_S)
    if ans.note:
        history[-1] = _bot(render.md_text(prefix) + render.chat_answer(ans.answer) + "\n\n*"
                           + render.md_text(ans.note) + "*")
        yield history, sources, ""


def _live_stream(service, question: str, doc: str | None):
    """The service's token stream when an LLM is configured and the service offers one: an iterator of
    text deltas whose `.answer` holds the final Answer once exhausted (answer.llm.LLMStream's shape)."""
    ask_stream = getattr(service, "ask_stream", None)
    if not callable(ask_stream) or not getattr(service.settings, "llm_enabled", False):
        return None
    return ask_stream(question, doc=doc or None)


def _user(text: str) -> dict:
    return {"role": "user", "content": render.md_text(text)}


def _bot(markdown: str) -> dict:
    return {"role": "assistant", "content": markdown}


def build(service) -> Page:
    with gr.Row(equal_height=False):
        with gr.Column(scale=3):
            doc_filter = gr.Dropdown(choices=doc_choices(service), value=ALL_DOCS, label="检索范围（文件）",
                                     elem_id="pq-doc-filter", interactive=True)
            chatbot = gr.Chatbot(label="问答", elem_id="pq-chat", height=520, render_markdown=True,
                                 sanitize_html=True, allow_tags=False, latex_delimiters=[], line_breaks=True,
                                 feedback_options=None, buttons=["copy"], layout="bubble",
                                 placeholder="请就已导入的政策文件提问，例如目标、责任部门、企业要求。")
            with gr.Row():
                question = gr.Textbox(show_label=False, placeholder="输入问题，按回车发送", scale=5,
                                      max_lines=4, elem_id="pq-question")
                send = gr.Button("提问", variant="primary", scale=1, elem_id="pq-send")
                clear = gr.Button("清空", scale=1)
            gr.Markdown("**示例问题**（点击即问）")
            with gr.Row():
                example_buttons = [gr.Button(q, size="sm", elem_classes="pq-example") for q in EXAMPLES]
        with gr.Column(scale=2):
            gr.Markdown("### 依据")
            sources = gr.HTML(render.empty_sources(), elem_id="pq-sources")

    def chat(q, history, doc):
        yield from respond(service, q, history, doc)

    outputs = [chatbot, sources, question]
    send.click(chat, [question, chatbot, doc_filter], outputs, api_name="chat")
    question.submit(chat, [question, chatbot, doc_filter], outputs, api_visibility="private")
    for button, q in zip(example_buttons, EXAMPLES):
        button.click(lambda q=q: q, None, question, api_visibility="private", queue=False).then(
            chat, [question, chatbot, doc_filter], outputs, api_visibility="private")
    clear.click(lambda: ([], render.empty_sources(), ""), None, outputs, api_visibility="private", queue=False)

    def refresh():
        return [gr.Dropdown(choices=doc_choices(service))]

    return Page(outputs=[doc_filter], refresh=refresh)
