"""企业: pick or describe an industry → the obligations, restrictions, targets and support that name it,
grouped and cited. Goes through service.ask (the router sends 我们是…企业 questions to the enterprise
answerer), so the page and the chat give the same answer."""
from __future__ import annotations

import gradio as gr

from answer.route import industries_in_question
from errors import PolicyQAError
from knowledge.extract import INDUSTRIES
from ui import render
from ui.pages.common import ALL_DOCS, Page, bureaus_of, doc_choices, kind_of, log


def question_for(industry: str | None, description: str | None) -> str | None:
    """The question to ask: a description wins over the dropdown."""
    desc = (description or "").strip()
    if desc:
        return desc if desc.startswith(("我们", "我司", "本企业", "我是")) else f"我们是{desc}，有哪些要求？"
    if industry:
        return f"我们是{industry}企业，有哪些要求？"
    return None


def lookup(service, industry: str | None, description: str | None, doc: str | None) -> tuple[str, str]:
    """(answer_html, sources_html)."""
    q = question_for(industry, description)
    if q is None:
        return render.message_panel("请选择行业，或描述您的企业。", "info"), ""
    if description and not industries_in_question(q)[0]:
        known = "、".join(INDUSTRIES)
        return render.message_panel(f"没有从描述中识别出行业。可识别的行业：{known}。", "warn"), ""
    try:
        service.check_question(q)
        ans = service.ask(q, doc=doc or None)
    except PolicyQAError as e:
        return render.message_panel(str(e), "warn"), ""
    except Exception:
        log.exception("enterprise lookup failed: %r", q)
        return render.message_panel("查询时出现内部错误，请稍后重试。", "error"), ""
    head = f'<div class="pq-muted">查询：{render.esc(q)}</div>'
    if ans.refused:
        head += render.badge("未找到依据", "refused")
    sources = render.sources_panel(ans, lambda c: bureaus_of(service, c), lambda c: kind_of(service, c))
    return head + render.answer_html(ans.answer), sources


def build(service) -> Page:
    with gr.Row():
        industry = gr.Dropdown(list(INDUSTRIES), value="化工", label="行业", elem_id="pq-e-industry", filterable=True)
        description = gr.Textbox(label="或描述您的企业", placeholder="如：我们是一家港口物流企业",
                                 elem_id="pq-e-description", scale=2)
        doc = gr.Dropdown(doc_choices(service), value=ALL_DOCS, label="文件", elem_id="pq-e-doc")
    go = gr.Button("查询适用要求", variant="primary", elem_id="pq-e-go")
    with gr.Row(equal_height=False):
        with gr.Column(scale=3):
            result = gr.HTML('<div class="pq-muted">选择行业后点击“查询适用要求”。</div>', elem_id="pq-e-result")
        with gr.Column(scale=2):
            sources = gr.HTML("", elem_id="pq-e-sources")

    def run(i, d, scope):
        return lookup(service, i, d, scope)

    go.click(run, [industry, description, doc], [result, sources], api_name="enterprise")
    description.submit(run, [industry, description, doc], [result, sources], api_visibility="private")

    def refresh():
        return [gr.Dropdown(choices=doc_choices(service))]

    return Page(outputs=[doc], refresh=refresh)
