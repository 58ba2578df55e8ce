"""Result types of the edition diff (knowledge.diff): a field Change, a UnitDiff per aligned unit, the DocumentDiff
with its counts and one-screen Chinese summary."""
from __future__ import annotations

from dataclasses import dataclass, field

from knowledge.numerals import int_to_cn

MAX_SUMMARY_LINES = 15
# Below this ratio of paired to unpaired units the two files are hardly editions of one policy: say so.
LOW_OVERLAP = 0.25


# -- result types -------------------------------------------------------------------------------------------
@dataclass
class Change:
    field: str  # text | target | bureau | lead | deadline
    old: str | None
    new: str | None
    extra: dict = field(default_factory=dict)

    def to_json(self) -> dict:
        return {"field": self.field, "old": self.old, "new": self.new, **self.extra}


@dataclass
class UnitDiff:
    status: str  # same | changed | added | removed
    a_labels: list[str]
    b_labels: list[str]
    title: str
    changes: list[Change] = field(default_factory=list)
    relation: str = ""  # "" | merged | split
    moved: bool = False
    renumbered: bool = False
    score: float | None = None
    a_section: str = ""
    b_section: str = ""
    a_text: str = ""
    b_text: str = ""
    a_seqs: list[int] = field(default_factory=list)
    b_seqs: list[int] = field(default_factory=list)
    # An added or removed unit's own targets and responsible units (what the new measure sets, what went).
    facts: dict = field(default_factory=dict)

    @property
    def a_label(self) -> str | None:
        return "+".join(self.a_labels) or None

    @property
    def b_label(self) -> str | None:
        return "+".join(self.b_labels) or None

    @property
    def label(self) -> str:
        return self.b_label or self.a_label or ""

    def fields(self) -> set[str]:
        return {c.field for c in self.changes}

    def to_json(self) -> dict:
        out = {"status": self.status, "a_label": self.a_label, "b_label": self.b_label, "title": self.title,
               "changes": [c.to_json() for c in self.changes]}
        if self.relation:
            out["relation"] = self.relation
            out["a_labels"], out["b_labels"] = self.a_labels, self.b_labels
        out["moved"], out["renumbered"] = self.moved, self.renumbered
        if self.score is not None:
            out["similarity"] = round(self.score, 3)
        if self.a_section != self.b_section and self.a_section and self.b_section:
            out["a_section"], out["b_section"] = self.a_section, self.b_section
        if self.status in ("added", "removed"):
            out["text"] = self.b_text if self.status == "added" else self.a_text
            out.update(self.facts)
        return out


@dataclass
class DocumentDiff:
    a: dict
    b: dict
    units: list[UnitDiff]
    # Section headings renamed / added / removed: {"status", "a_no", "b_no", "old", "new"}.
    sections: list[dict] = field(default_factory=list)
    # Document-wide implementers (各县区政府 … 落实) when they differ: {"old": [...], "new": [...]}.
    implementers: dict | None = None

    def of_status(self, status: str) -> list[UnitDiff]:
        return [u for u in self.units if u.status == status]

    def to_json(self) -> dict:
        out = {"a": self.a, "b": self.b, "units": [u.to_json() for u in self.units],
               "summary": self.summary(), "counts": self.counts(), "sections": self.sections}
        if self.implementers:
            out["implementers"] = self.implementers
        return out

    def counts(self) -> dict[str, int]:
        c = {"same": 0, "changed": 0, "added": 0, "removed": 0, "moved": 0, "renumbered": 0, "merged": 0,
             "split": 0, "reworded": 0, "targets_raised": 0, "targets_lowered": 0, "targets_added": 0,
             "targets_removed": 0, "targets_other": 0, "bureaus_added": 0, "bureaus_removed": 0,
             "lead_changed": 0, "deadline_changed": 0}
        for u in self.units:
            c[u.status] += 1
            c["moved"] += u.moved
            c["renumbered"] += u.renumbered
            if u.relation:
                c[u.relation] += 1
            for ch in u.changes:
                if ch.field == "text" and not ch.extra.get("figures_only"):
                    c["reworded"] += 1
                elif ch.field == "target":
                    key = {"raised": "targets_raised", "lowered": "targets_lowered", "added": "targets_added",
                           "removed": "targets_removed"}.get(ch.extra.get("direction") or "", "targets_other")
                    c[key] += 1
                elif ch.field == "bureau":
                    c["bureaus_added" if ch.new else "bureaus_removed"] += 1
                elif ch.field == "lead":
                    c["lead_changed"] += 1
                elif ch.field == "deadline":
                    c["deadline_changed"] += 1
        return c

    def summary(self) -> str:
        """One screen of Chinese: the counts first, then each structural and responsibility change."""
        c = self.counts()
        head: list[str] = []
        if c["targets_raised"]:
            head.append(f"{c['targets_raised']} 项目标提高")
        if c["targets_lowered"]:
            head.append(f"{c['targets_lowered']} 项目标降低")
        if c["targets_other"]:
            head.append(f"{c['targets_other']} 项目标年份或表述调整")
        if c["targets_added"]:
            head.append(f"新增 {c['targets_added']} 项目标")
        if c["targets_removed"]:
            head.append(f"删去 {c['targets_removed']} 项目标")
        added, removed = self.of_status("added"), self.of_status("removed")
        if added:
            head.append(f"新增 {len(added)} 条（{_labels(added, 'b')}）")
        if removed:
            head.append(f"删除 {len(removed)} 条（{_labels(removed, 'a')}）")
        if c["reworded"]:
            head.append(f"{c['reworded']} 条措辞修改")
        lines = ["，".join(head) + "。" if head else ""]
        body = [u for u in self.units if "前言" not in (u.a_labels + u.b_labels) and "印发通知" not in
                (u.a_labels + u.b_labels)]
        paired = sum(1 for u in body if u.status in ("same", "changed"))
        if body and paired / max(1, len(body) - paired) < LOW_OVERLAP:
            lines.insert(0, f"注意：两份文件只有 {paired} 条能逐条对应，多半不是同一政策的两个版本，以下差异仅供参考。")
        details: list[str] = []
        for u in self.units:
            where = f"（{u.label}）" if not u.label.startswith("（") else u.label
            if u.relation == "merged":
                details.append(f"{' '.join(u.a_labels)} 合并为 {u.b_label}")
            elif u.relation == "split":
                details.append(f"{u.a_label} 拆分为 {' '.join(u.b_labels)}")
            if u.moved:
                details.append(f"{u.a_label} 移至 {u.b_label}" + (f"（{u.b_section}）" if u.b_section and
                                                                 u.b_section != u.a_section else ""))
            for ch in u.changes:
                if ch.field == "lead":
                    if ch.old and not ch.new:
                        details.append(f"{ch.old}不再牵头{where}")
                    elif ch.new and not ch.old:
                        details.append(f"明确由{ch.new}牵头{where}")
                    else:
                        details.append(f"牵头单位由{ch.old}改为{ch.new}{where}")
                elif ch.field == "bureau":
                    details.append(f"{ch.new}新增为责任单位{where}" if ch.new else f"{ch.old}不再列为责任单位{where}")
                elif ch.field == "target" and ch.extra.get("direction") in ("raised", "lowered"):
                    verb = "提高" if ch.extra["direction"] == "raised" else "降低"
                    details.append(f"{ch.extra.get('indicator', '')}目标{verb}：{ch.extra['old_quantity']}→"
                                   f"{ch.extra['new_quantity']}{where}")
                elif ch.field == "target" and ch.extra.get("what") == ["year"]:
                    verb = "提前" if ch.extra.get("year_moved") == "earlier" else "推迟"
                    details.append(f"{ch.extra.get('indicator', '')}目标年份由{ch.extra['old_target']['year']}年"
                                   f"{verb}至{ch.extra['new_target']['year']}年{where}")
                elif ch.field == "target" and ch.extra.get("direction") == "changed":
                    details.append(f"{ch.extra.get('indicator', '')}目标调整：{ch.old}→{ch.new}{where}")
                elif ch.field == "deadline":
                    details.append(f"完成时限由{ch.old or '无'}改为{ch.new or '无'}{where}")
        for sec in self.sections:
            if sec["status"] == "changed":
                details.append(f"第{int_to_cn(sec['a_no'])}部分标题由“{sec['old']}”改为“{sec['new']}”")
            elif sec["status"] == "added":
                details.append(f"新增第{int_to_cn(sec['b_no'])}部分“{sec['new']}”")
            else:
                details.append(f"删除第{int_to_cn(sec['a_no'])}部分“{sec['old']}”")
        if self.implementers:
            old, new = self.implementers["old"], self.implementers["new"]
            details.append(f"全文落实单位由{'、'.join(old) or '无'}改为{'、'.join(new) or '无'}")
        renumbered = [u for u in self.units if u.renumbered and not u.moved and not u.relation]
        if renumbered:
            details.append(f"{len(renumbered)} 条编号调整（如 {renumbered[0].a_label}→{renumbered[0].b_label}）")
        if not head and not details:
            return "两个版本逐条一致，没有实质改动。"
        if len(details) > MAX_SUMMARY_LINES:  # one screen: the rest is in the unit list
            details = details[:MAX_SUMMARY_LINES] + [f"……另有 {len(details) - MAX_SUMMARY_LINES} 处改动，见逐条对照"]
        lines.extend(details)
        return "\n".join(x for x in lines if x)


def _labels(units: list[UnitDiff], side: str) -> str:
    labels = [(u.b_label if side == "b" else u.a_label) or "" for u in units]
    return " ".join(labels[:8]) + (" 等" if len(labels) > 8 else "")
