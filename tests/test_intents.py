"""The intent table (answer.intents) and the handlers registered by kind (answer.extractive): precedence of the
routes, every step of every chain served by a handler, handlers that decline hand over to the next, on the
primary document."""
from __future__ import annotations

import pytest

from answer import asks as A
from answer import intents as I
from answer.compose import Composer
from answer.extractive import ExtractiveAnswerer
from answer.general import GeneralHandler
from answer.route import route
from answer.structure import CountHandler
from answer.types import Hit, Query, Route
from knowledge.catalog import Catalog
from tests.conftest import PRIMARY_TXT, parsed_document


@pytest.fixture(scope="module")
def doc():
    return parsed_document(PRIMARY_TXT)


@pytest.fixture(scope="module")
def answerer(doc):
    return ExtractiveAnswerer(Catalog([doc]))


@pytest.mark.parametrize("question,bureaus,kind", [
    ("市发改委牵头负责哪些举措？", ("市发展改革委",), I.BUREAU_MEASURES),
    ("交通领域由哪个部门牵头？", (), I.BUREAU),  # 哪个部门 wins over 多少/目标 cues later in the table
    ("文件一共有多少条举措？", (), I.COUNT),
    ("有哪些量化目标？", (), I.TARGET_LIST),
    ("哪些领域要推进绿色转型？", (), I.GENERAL),  # a listing
    ("这份文件什么时候印发的？", (), I.YEAR),
    ("到2030年可再生能源装机目标是多少？", (), I.TARGET),
    ("怎样推进绿色建筑？", (), I.GENERAL),
    ("这项工作由哪个部门负责，什么时候完成？", (), I.BUREAU),  # who is asked: a date beside it does not matter
])
def test_routes_take_the_first_intent_that_holds(question, bureaus, kind):
    years = (2030,) if "2030" in question else ()
    assert I.route_kind(I.Cues(question, bureaus=bureaus, years=years)) == kind


def test_a_year_alone_makes_a_target_question_and_a_baseline_year_does_not():
    assert I.DUE_YEAR.findall("到2030年比2020年下降") == ["2030"]
    assert I.route_kind(I.Cues("2030年光伏", years=(2030,))) == I.TARGET


def test_every_chain_ends_in_a_step_always_taken_and_every_step_has_a_handler(answerer):
    for kind, chain in I.STEPS.items():
        assert chain[-1].when is None, kind
        for step in chain:
            assert step.handler in answerer.handlers, (kind, step.handler)
    assert set(I.STEPS) >= {i.kind for i in I.ROUTES}


def test_handlers_validate_their_configuration():
    with pytest.raises(TypeError):
        GeneralHandler(object())
    with pytest.raises(TypeError):
        Composer(catalog=[])


def test_a_handler_that_declines_hands_over_to_the_next(answerer, doc):
    """标志性产业链有几条: a count cue with a topic — the count handler declines, the general handler answers."""
    question = "绿色建筑有几条举措？"
    rt = route(question, answerer.catalog)
    assert rt.kind == I.COUNT
    hits = (Hit(doc.doc_id, doc.measures[0].seq, 1.0),)
    query = Query(question, rt, hits, None)
    assert CountHandler(answerer.ctx).run(query) is None
    ans = answerer.answer(question, rt, list(hits), None)
    assert ans.route == I.COUNT and ans.citations and all(c.quote in c.unit_text for c in ans.citations)


def test_the_document_number_step_comes_before_every_route(answerer, doc):
    question = "这份文件的文号是什么？"
    ans = answerer.answer(question, route(question, answerer.catalog), [], [doc.doc_id])
    # The primary document's text carries no 〔年〕号: the step declines and the route answers.
    assert ans.route != I.DOCUMENT
    assert I.FIRST[0].when(question, None)


@pytest.mark.parametrize("question,bureaus", [
    ("县区林业部门初审要在多少个工作日内完成？", ("林业部门",)),
    ("多长时间内要向主管部门报告？", ()),
    ("市发改委要在几月前完成评估？", ("市发展改革委",)),
])
def test_a_date_or_span_asked_of_a_named_body_is_not_a_bureau_question(question, bureaus):
    assert I.route_kind(I.Cues(question, bureaus=bureaus)) not in (I.BUREAU, I.BUREAU_MEASURES)


def test_which_few_is_a_listing_not_a_count():
    assert A.ASKS_COUNT.search("提出了哪几个“不”？") is None
    assert A.ASKS_COUNT.search("建成几个示范区？") is not None
    assert not A.ASKED_FACTS["amount"].search("包括哪几项内容？")


def test_a_repeal_of_another_document_is_not_an_expiry():
    assert not I.EXPIRY_STATED.search("本办法自2022年6月1日起施行，《电力可靠性监督管理办法》同时废止。")
    assert I.EXPIRY_STATED.search("本办法自印发之日起施行，有效期5年。")
    assert I.EXPIRY_STATED.search("原办法废止。")


def test_a_body_named_without_measures_falls_through_to_the_general_handler(answerer, doc):
    q = "要向市气象局交哪些材料？"  # no unit of the primary document makes 市气象局 responsible
    rt = Route(I.BUREAU_MEASURES, bureaus=("市气象局",))
    assert answerer.handlers[I.BUREAU_MEASURES].run(Query(q, rt, (), (doc.doc_id,))) is None
    listed = answerer.handlers[I.BUREAU_MEASURES].run(Query("市发改委牵头负责哪些举措？", route(
        "市发改委牵头负责哪些举措？", answerer.catalog), (), (doc.doc_id,)))
    assert listed is not None and listed.exact and not listed.refused  # the listing stands as read
    assert [s.handler for s in I.STEPS[I.BUREAU_MEASURES]] == [I.BUREAU_MEASURES, I.GENERAL]


def test_asked_what_a_body_without_measures_is_responsible_for_the_empty_listing_stands(answerer, doc):
    rt = Route(I.BUREAU_MEASURES, bureaus=("市气象局",))  # no unit of the primary document makes it responsible
    ans = answerer.handlers[I.BUREAU_MEASURES].run(Query("市气象局负责哪些工作？", rt, (), (doc.doc_id,)))
    assert ans is not None and ans.refused and ans.exact and "负责的举措" in ans.answer
    # a 负责人 is a person the question asks about, not the body's duties
    assert answerer.handlers[I.BUREAU_MEASURES].run(
        Query("市气象局的项目负责人可以报几个项目？", rt, (), (doc.doc_id,))) is None


@pytest.mark.parametrize("question", [
    "申请项目备案要向市生态环境局交哪些材料？",
    "交易中心定期报送至市生态环境局的成交信息包括哪些？",
])
def test_a_body_named_as_addressee_does_not_make_a_question_about_its_measures(question):
    """向/报送至 mark where something is sent: the question asks what is sent, not what that body does."""
    stripped = I.ADDRESSEE.sub("□", question)
    assert "市生态环境局" not in stripped
    cues = I.Cues(question, bureaus=("市生态环境局",), actors=())
    assert I.route_kind(cues) != I.BUREAU_MEASURES
    # the same body as the actor is still a question about its measures
    assert I.route_kind(I.Cues("市生态环境局负责哪些工作？", bureaus=("市生态环境局",))) == I.BUREAU_MEASURES


def test_route_reads_the_addressee_from_the_catalog(answerer):
    assert route("项目单位需要向市发改委报送哪些材料？", answerer.catalog).kind != I.BUREAU_MEASURES
    assert route("市发改委牵头负责哪些举措？", answerer.catalog).kind == I.BUREAU_MEASURES


def test_a_share_asked_of_a_body_is_a_figure_not_its_measures():
    q = "省生态环境厅对技术服务机构的核查结果抽多少比例进行复核？"
    assert I.route_kind(I.Cues(q, bureaus=("省生态环境厅",))) == I.TARGET
    # a count of its measures still lists them
    assert I.route_kind(I.Cues("省生态环境厅负责多少项举措？", bureaus=("省生态环境厅",))) == I.BUREAU_MEASURES


def test_the_organisation_question_words_have_one_home():
    # every question word of ASKED_FACTS["org"] is a slot an added sentence must fill; the four slot-only words
    # are not answerability features, and the topic-verb cues (审核) are features, not slots
    for word in A._ORG_QUESTION_WORDS.split("|"):
        assert A.ASKED_FACTS["org"].search(f"由{word}负责？") and A.ASKS_SLOT["org"].search(f"这事{word}管？"), word
    for word in A._ORG_QUESTION_WORDS_SLOT_ONLY.split("|"):
        assert A.ASKS_SLOT["org"].search(f"这事{word}管？") and not A.ASKED_FACTS["org"].search(f"这事{word}管？"), word
    assert A.ASKED_FACTS["org"].search("没按规定审核会受到什么处理？")
    assert not A.ASKS_SLOT["org"].search("没按规定审核会受到什么处理？")


def test_shi_shi_before_a_kind_of_document_names_the_document_not_its_effect():
    # b13's 241 was asked 那份实施意见是哪天发布的: its issue date, not the effective date its front matter lacks
    effective = dict(A.DATE_FIELDS)["effective"]
    assert not effective.search("广东省政府关于绿色低碳循环发展经济体系的那份实施意见是哪天发布的？")
    assert not effective.search("这份实施方案是哪天印发的？")
    for q in ("上海的实施意见从哪天开始施行？", "本办法什么时候开始实施？", "细则自何时起执行？"):
        assert effective.search(q), q
