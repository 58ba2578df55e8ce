"""support27: the structures that carry support (labelled entries, funding tables, calls read from their deadline,
grants without a sum) counted with the extractor's own patterns (eval.support_structures), on real corpus-dc PDFs
read in place from ../shared/corpus-dc/; and the leave-one-document-out study's losses by structure."""
from __future__ import annotations

from eval.support_structures import document_counts, entry_labels, occurrences, read_from

from .test_support import _doc


def test_labelled_entries_name_what_is_granted_and_who_claims_it():
    # 315's call directions: 经费额度：… 申报主体要求：… (what and who) make an entry
    assert entry_labels("执行期限：2022年9月1日至2025年8月31日。经费额度：本方向为定额资助。每项资助额度50万元。\n"
                        "申报主体要求：本市法人或非法人组织。")
    # two ways of applying, or a window's labels (309 方式一：/方式二：, 受理时间：), are no entry
    assert not entry_labels("方式一：登录广东政务服务网在线填报。方式二：进入官网在线填报。")
    assert not entry_labels("（二）受理时间：\n1.网络填报受理时间：2022年7月4日至2022年7月24日。")
    # the grant without a sum is a structure of its own; a sum granted is a figured grant
    occ = occurrences("对符合条件的企业给予资金补助。对认定的企业给予30万元奖励。")
    assert occ["grant without sum"] == ["对符合条件的企业给予资金补助。"]
    assert occ["figured grant"] == ["对认定的企业给予30万元奖励。"]


def test_329_and_315_write_labelled_entries_and_283_a_funding_table():
    counts = document_counts(_doc("329"))
    occurring, read = counts["labelled entries"]
    assert occurring >= 20 and read == occurring  # every entry of the tax guide gives an item
    # 315: four units of directions with labels; the one that states a sum (每项资助额度50万元) gives its item, the
    # 非定额 directions state none
    assert document_counts(_doc("315"))["labelled entries"] == (4, 1)
    # 283's table: two rows, each an item
    assert document_counts(_doc("283"))["funding table"] == (2, 2)
    assert document_counts(_doc("283"))["labelled entries"] == (0, 0)


def test_a_regulation_with_figured_items_keeps_its_figure_less_grants_out():
    """122's articles grant sums; its figure-less grants (另行予以重点扶持 …) occur but give no item, by design (the
    rules read figure-less grants only where a document states no sum)."""
    counts = document_counts(_doc("122"))
    assert counts["figured grant"][1] >= 20
    occurring, read = counts["grant without sum"]
    assert occurring >= 3 and read == 0
    items = [it.to_json() for it in _doc("122").support_items]
    assert read_from(items[0]["quote"], items) and not read_from("与本办法无关的一句话。", items)


def test_the_study_counts_losses_by_structure():
    from eval.support_lodo import by_shape

    found = {"329": [("item", "tax-guide entry")] * 3,
             "117": [("item", "figure + kind: 补助"), ("rate", "figure + kind: 补助"), ("window", "document, cue 申报时间")],
             "122": [("item", "figure + kind: 补贴")]}
    shapes = by_shape({"found": found})
    assert shapes["item: tax-guide entry"]["lost"] == 3  # one document only
    assert shapes["item: figured sentence"] == {"documents": {"117", "122"}, "found": 2, "lost": 0}
    assert shapes["window: document"]["lost"] == 1 and "rate: figure + kind" not in shapes
    # a figure granted as 给予…支持 is the same structure as one granted by its kind's name
    found["成都"] = [("item", "figure + 给予…支持")]
    assert by_shape({"found": found})["item: figured sentence"]["documents"] == {"117", "122", "成都"}
