"""企业: an enterprise profile (industry, place, size, qualifications, planned project) → the support items it can
apply for (amount or cap, each condition met / not met / unknown, deadline with expired items marked and listed after
the open ones, the office that takes applications, what is not supported, citation; sorted by fit, amount or
deadline; CSV), and the obligations, restrictions, targets and support that name its
industry — through service.ask, so the page and the chat give the same answer."""
from __future__ import annotations

import csv
import tempfile
from datetime import date

import gradio as gr

from answer.route import industries_in_question
from errors import PolicyQAError
from knowledge.eligibility import MET, NOT_MET, QUALIFICATIONS, SIZES, Profile, presented
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


_MARK = {MET: ("满足", "ok"), NOT_MET: ("不满足", "refused"), "unknown": ("待确认", "info")}
_WINDOW = {"open": "申报中", "expired": "已截止", "not_yet": "未开始", "unknown": "时间未列明"}
SORTS = {"按匹配度": "relevance", "按金额": "amount", "按截止时间": "deadline"}
CSV_HEADER = ["文件", "条目", "类别", "金额/比例", "上限（万元）", "申报时间", "状态", "满足的条件", "不满足的条件",
              "待确认的条件", "原文", "受理/责任单位", "不予支持的情形", "匹配"]
# The two lists of the page (knowledge.eligibility.presented): items the profile may apply for, then the others.
FITTING, OTHERS = "可申请", "其他条目"
# Exclusions shown on a card at most (all of them in the CSV).
MAX_EXCLUSIONS = 3


def _office(item: dict) -> str:
    return (item.get("office") or {}).get("text") or ""


def _exclusions(item: dict) -> list[str]:
    return list(dict.fromkeys(e["text"].rstrip("；;。") for e in item.get("exclusions") or [] if e.get("text")))


def _money(item: dict) -> str:
    parts = []
    for key in ("amount", "rate"):
        if item.get(key):
            parts.append(item[key]["text"] + (f"（{item[key]['base']}）" if item[key].get("base") else ""))
    if item.get("cap"):
        # a range (200-500万元) shows both ends as written; a ceiling alone reads 最高…
        parts.append(item["cap"]["text"] if item["cap"].get("low_wan") is not None else f"最高{item['cap']['text']}")
    parts += [f"{t['tier']}{t.get('amount') or t.get('rate') or t.get('cap') or ''}" for t in item.get("tiers", [])]
    return "；".join(parts) or "未列明"


def _window_text(item: dict) -> str:
    w = item.get("window") or {}
    if w.get("start") and w.get("end"):
        return f"{w['start']}至{w['end']}"
    return w.get("end") or w.get("start") or "未列明"


def support_rows(service, profile: Profile, sort: str, doc: str | None) -> tuple[str, list[list[str]]]:
    """(html, csv rows) of the items the profile may apply for."""
    found = service.support_for(profile, doc=doc or None, by=SORTS.get(sort, "relevance"))
    if not found:
        return render.message_panel("已导入的文件中没有找到扶持条目（补贴、奖励、资助、贴息、减免）。", "info"), []
    # In every order, the items presented as fitting the profile first (no condition not met, fitting the planned
    # project), then the others, each list in the chosen order.
    fits = [m for m in found if presented(m)]
    matches = fits + [m for m in found if not presented(m)]
    cards, rows = [], []
    for i, m in enumerate(matches):
        if i == 0 and fits:
            cards.append(f'<div class="pq-support-group">{FITTING}：{len(fits)}项（条件未见不满足，且与计划项目相关）</div>')
        if i == len(fits):
            cards.append(f'<div class="pq-support-group">{OTHERS}：{len(matches) - len(fits)}项（有条件不满足，或与计划项目'
                         f'关联较弱）</div>')
        it = m.item
        window = _WINDOW[m.window]
        conds = "".join(f'<li>{render.badge(_MARK[a.status][0], _MARK[a.status][1])} {render.esc(t)}'
                        f'{" <span class=pq-muted>（" + render.esc(a.why) + "）</span>" if a.why else ""}</li>'
                        for t, a in m.conditions)
        cards.append(
            '<div class="pq-support">'
            f'<div class="pq-support-head">《{render.esc(it["doc_title"])}》{render.esc(it["label"])} · '
            f'{render.badge(it["kind"])} <b class="pq-support-amount">{render.esc(_money(it))}</b></div>'
            f'<div class="pq-support-window">申报时间：{render.esc(_window_text(it))} '
            f'{render.badge(window, "refused" if m.window == "expired" else "info")}</div>'
            f'<ul class="pq-support-conditions">{conds}</ul>'
            + (f'<div class="pq-support-office">受理/责任单位：{render.esc(_office(it))}</div>' if _office(it) else "")
            + (f'<div class="pq-support-exclusions">不予支持：{"；".join(map(render.esc, _exclusions(it)[:MAX_EXCLUSIONS]))}'
               f'{"等" if len(_exclusions(it)) > MAX_EXCLUSIONS else ""}</div>' if _exclusions(it) else "") +
            f'<blockquote class="pq-support-quote">{render.esc(it["quote"])}</blockquote></div>')
        by = {s: [t for t, a in m.conditions if a.status == s] for s in (MET, NOT_MET, "unknown")}
        rows.append([it["doc_title"], it["label"], it["kind"], _money(it), m.amount_wan if m.amount_wan is not None else "",
                     _window_text(it), window, "；".join(by[MET]), "；".join(by[NOT_MET]), "；".join(by["unknown"]),
                     it["quote"], _office(it), "；".join(_exclusions(it)), FITTING if i < len(fits) else OTHERS])
    head = f'<div class="pq-muted">共{len(matches)}项扶持条目（{render.esc(sort)}）</div>'
    return head + "".join(cards), rows


def find_support(service, industry, place, size, quals, project, sort, doc):
    profile = Profile(industry=industry or "", place=place or "", size=size or "", qualifications=tuple(quals or ()),
                      project=project or "", today=date.today())
    try:
        html, rows = support_rows(service, profile, sort, doc)
    except PolicyQAError as e:
        return render.message_panel(str(e), "warn"), None
    except Exception:
        log.exception("support lookup failed")
        return render.message_panel("查询时出现内部错误，请稍后重试。", "error"), None
    if not rows:
        return html, None
    f = tempfile.NamedTemporaryFile("w", suffix=".csv", prefix="扶持条目-", delete=False, encoding="utf-8-sig",
                                    newline="")
    with f:
        w = csv.writer(f)
        w.writerow(CSV_HEADER)
        w.writerows(rows)
    return html, f.name


def build(service) -> Page:
    with gr.Row():
        industry = gr.Dropdown(list(INDUSTRIES), value="化工", label="行业", elem_id="pq-e-industry", filterable=True)
        description = gr.Textbox(label="或描述您的企业", placeholder="如：我们是一家港口物流企业",
                                 elem_id="pq-e-description", scale=2)
        doc = gr.Dropdown(doc_choices(service), value=ALL_DOCS, label="文件", elem_id="pq-e-doc")
    with gr.Accordion("可申请的扶持（企业画像）", open=True):
        with gr.Row():
            place = gr.Textbox(label="所在地", placeholder="如：芜湖市繁昌区、苏州、宝安区", elem_id="pq-s-place")
            size = gr.Dropdown(["", *SIZES], value="", label="规模", elem_id="pq-s-size")
            quals = gr.Dropdown(list(QUALIFICATIONS), value=[], multiselect=True, label="资质", elem_id="pq-s-quals")
        with gr.Row():
            project = gr.Textbox(label="计划项目", placeholder="如：电机能效改造、屋顶光伏", elem_id="pq-s-project", scale=2)
            sort = gr.Radio(list(SORTS), value="按匹配度", label="排序", elem_id="pq-s-sort")
        find = gr.Button("查找可申请的扶持", variant="primary", elem_id="pq-s-go")
        support_html = gr.HTML('<div class="pq-muted">填写企业画像后点击“查找可申请的扶持”。</div>', elem_id="pq-s-result")
        support_csv = gr.File(label="导出 CSV", elem_id="pq-s-csv", interactive=False)
    go = gr.Button("查询适用要求", variant="primary", elem_id="pq-e-go")
    with gr.Row(equal_height=False):
        with gr.Column(scale=3):
            result = gr.HTML('<div class="pq-muted">选择行业后点击“查询适用要求”。</div>', elem_id="pq-e-result")
        with gr.Column(scale=2):
            sources = gr.HTML("", elem_id="pq-e-sources")

    def run(i, d, scope):
        return lookup(service, i, d, scope)

    go.click(run, [industry, description, doc], [result, sources], api_name="enterprise")

    def run_support(i, p, z, q, pr, so, scope):
        return find_support(service, i, p, z, q, pr, so, scope)

    find.click(run_support, [industry, place, size, quals, project, sort, doc], [support_html, support_csv],
               api_name="support")
    description.submit(run, [industry, description, doc], [result, sources], api_visibility="private")

    def refresh():
        return [gr.Dropdown(choices=doc_choices(service))]

    return Page(outputs=[doc], refresh=refresh)
