"""answer.asked_subject: the phrase an amount question asks a figure of, and the refusal of quotes whose figures all
belong to a sibling of it — with the real jieba tagger and the decision's TopicMatcher. The sentences are quoted from
corpus-dc dev documents (122 广州开发区促进绿色低碳发展办法, 370 云南排头兵任务清单, 566 天津可再生能源规划, 422 攀枝花
生态环境保护规划, 117 繁昌节能降碳支持措施, 382 山东“两高”通知)."""
from answer.asked_subject import asked_phrase, sibling_figure
from answer.evidence import TopicMatcher
from knowledge.text import fold

MATCHER = TopicMatcher(place_words={"国家", "全国", "中央"})


def test_asked_phrase_is_the_noun_run_before_the_question_word():
    assert asked_phrase(fold("在广州开发区获评省级绿色工厂能拿多少补贴？")) == ["省级", "绿色", "工厂"]
    assert asked_phrase(fold("天津“十四五”期间海上风电装机要达到多少万千瓦？")) == ["海上", "风电", "装机"]
    # a verbal noun with nouns after it is the phrase's verb: its object is asked
    assert asked_phrase(fold("企业建设能源管控中心项目能拿多少补助？")) == ["中心", "项目"]
    # a noun phrase after the question word and 的 is what is sized; the one before is the setting
    assert asked_phrase(fold("攀枝花县城建成区还能新建多大规模的燃煤锅炉？")) == ["燃煤", "锅炉"]
    assert asked_phrase(fold("这个政策是谁发的？")) == []


def test_a_sibling_figure_is_refused():
    # 国家 level quoted for 省级 (dev 122-17)
    q = fold("在广州开发区获评省级绿色工厂能拿多少补贴？")
    quotes = ["（一）按照从高不重复的原则，对纳入国家绿色制造示范名单的绿色工厂、绿色园区、绿色供应链管理企业，给予一次性补贴100万元。",
              "获评为“清洁生产企业”的，给予10万元补贴；"]
    assert sibling_figure(MATCHER, q, quotes, "广州市黄埔区广州开发区广州高新区促进绿色低碳发展办法") is not None
    # 污水处理设施覆盖率 quoted for 森林覆盖率 (dev 370-13)
    q = fold("按云南排头兵2022年任务清单，全省森林覆盖率要达到多少？")
    quotes = ["确保到2022年底全省73%的乡镇镇区和50%的村庄生活垃圾得到有效处理，乡镇镇区生活污水处理设施覆盖率达53%以上。"]
    assert sibling_figure(MATCHER, q, quotes, "云南省推动成为生态文明建设排头兵2022年措施任务清单") is not None


def test_the_asked_figure_passes():
    q = fold("在广州开发区获评省级绿色工厂能拿多少补贴？")
    quotes = ["对获评省级绿色工厂的企业，给予一次性补贴50万元。"]
    assert sibling_figure(MATCHER, q, quotes) is None
    # 能耗 stated by its unit, 吨标煤 (b12 382-09)
    q = fold("山东“十四五”能耗增量一共多少，其中拿出多少给各市用于动能转换？")
    quotes = ["按照既要发挥省级统筹作用、又要充分调动各市积极性的原则，统筹规划用好3550万吨标煤增量，拿出1500万吨标煤，引导各市加快动能转换；"]
    assert sibling_figure(MATCHER, q, quotes) is None
    # no head word beside any figure: a paraphrase as likely as a sibling, left to the decision
    q = fold("辽东湾大陆自然岸线长度的底线是多少？")
    assert sibling_figure(MATCHER, q, ["大陆自然岸线保有率不低于35%。"]) is None


def test_warmup_loads_the_tagger_the_first_amount_question_would():
    # the service's warmup calls it before the server listens, so no question pays the tagger's load
    import answer.asked_subject as subject

    subject.warmup()
    assert subject._POS is not None
    assert asked_phrase(fold("海上风电装机要达到多少万千瓦？")) == ["海上", "风电", "装机"]


def test_the_tagger_and_the_place_words_load_no_second_dictionary():
    # perf17: the tagger shares jieba.posseg's own tag table (same stock dictionary file) instead of reading the file
    # into a second one, and place_stated cuts with the shared stock tokenizer instead of the global jieba.dt (a third
    # copy of the dictionary). In a fresh process, so no other test has loaded jieba.dt before.
    import subprocess
    import sys
    from pathlib import Path

    code = """
import jieba, jieba.posseg
import answer.asked_subject as subject
from answer.identifiers import place_stated
from knowledge.text import fold
subject.warmup()
assert subject._POS.word_tag_tab is jieba.posseg.dt.word_tag_tab
fresh = jieba.posseg.POSTokenizer(subject._POS.tokenizer).word_tag_tab
assert fresh == subject._POS.word_tag_tab and len(fresh) > 300000
assert [tuple(p) for p in subject._POS.cut("获评省级绿色工厂能拿多少补贴")] == [
    tuple(p) for p in jieba.posseg.POSTokenizer(subject._POS.tokenizer).cut("获评省级绿色工厂能拿多少补贴")]
assert place_stated(fold("在呼和浩特、鄂尔多斯等城市开展试点。"), fold("在哪个城市开展试点？"))
assert not place_stated(fold("开展试点。"), fold("在哪个城市开展试点？"))
assert not jieba.dt.initialized, "the global jieba dictionary was loaded"
print("ok")
"""
    repo = Path(__file__).resolve().parent.parent
    out = subprocess.run([sys.executable, "-c", code], cwd=repo, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip().endswith("ok")
