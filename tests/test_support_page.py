"""The 企业 page's support list (ui.pages.enterprise.support_rows) on a real service: the office that takes the
application and what is not supported are on each card and in the CSV, closed items after the open ones."""
from __future__ import annotations

from datetime import date

import pytest

from tests.conftest import corpus_dc_file, service_of


@pytest.fixture(scope="module")
def svc(tmp_path_factory):
    # 117 繁昌区 (一、支持对象, 不予支持的情形; no dates), 309 深圳 2023 guide (受理机关, window closed in July 2022)
    yield from service_of(tmp_path_factory, "page", [corpus_dc_file(n) for n in ("117", "309")])


def test_cards_and_csv_carry_office_and_exclusions(svc):
    from knowledge.eligibility import Profile
    from ui.pages.enterprise import CSV_HEADER, support_rows

    html, rows = support_rows(svc, Profile(today=date(2026, 11, 30)), "按金额", None)
    assert rows and all(len(r) == len(CSV_HEADER) for r in rows)
    office, excl = CSV_HEADER.index("受理/责任单位"), CSV_HEADER.index("不予支持的情形")
    shenzhen = [r for r in rows if "绿色低碳产业扶持计划" in r[0]]
    assert shenzhen and all(r[office] for r in shenzhen) and "受理/责任单位" in html
    assert any("以扩大产能为主的项目" in r[excl] and "；；" not in r[excl] for r in rows if "繁昌" in r[0])
    assert "不予支持：" in html
    status = CSV_HEADER.index("状态")
    states = [r[status] for r in rows]
    assert "已截止" in states and states.index("已截止") > 0
    assert all(s == "已截止" for s in states[states.index("已截止"):])  # closed ones after the others
