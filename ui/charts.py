"""Matplotlib charts of targets (by year, by bureau), with a CJK font so Chinese labels are not boxes."""
from __future__ import annotations

import threading
from collections import Counter
from pathlib import Path

CJK_FONT_FILES = (
    Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
    Path("/usr/share/fonts/truetype/noto/NotoSansCJK-Regular.ttc"),
    Path("/usr/share/fonts/opentype/noto/NotoSansCJKsc-Regular.otf"),
)
_FALLBACK_FAMILIES = ["Noto Sans CJK SC", "Noto Sans SC", "Microsoft YaHei", "SimHei", "WenQuanYi Micro Hei",
                      "DejaVu Sans"]
_setup_lock = threading.Lock()
_ready = False


def _setup() -> None:
    """Agg backend and a CJK font, once (on first chart, not at import)."""
    global _ready
    with _setup_lock:
        if _ready:
            return
        import matplotlib

        matplotlib.use("Agg")
        from matplotlib import font_manager, rcParams

        families = []
        for path in CJK_FONT_FILES:
            if path.exists():
                font_manager.fontManager.addfont(str(path))
                families.append(font_manager.FontProperties(fname=str(path)).get_name())
                break
        rcParams["font.family"] = "sans-serif"
        rcParams["font.sans-serif"] = families + _FALLBACK_FAMILIES
        rcParams["axes.unicode_minus"] = False
        _ready = True


def _figure(width: float, height: float):
    _setup()
    from matplotlib.figure import Figure  # not pyplot: no global state shared between requests

    fig = Figure(figsize=(width, height), dpi=100, layout="constrained")
    return fig, fig.add_subplot(1, 1, 1)


def targets_by_year(rows) -> object:
    from matplotlib.ticker import MaxNLocator

    counts = Counter(r.year for r in rows)
    years = sorted(y for y in counts if y is not None)
    labels = [str(y) for y in years] + (["未注明"] if None in counts else [])
    values = [counts[y] for y in years] + ([counts[None]] if None in counts else [])
    fig, ax = _figure(6, 3.6)
    bars = ax.bar(labels, values, color="#f97316")
    ax.bar_label(bars, padding=2)
    ax.set_title("目标数量（按目标年份）")
    ax.set_xlabel("年份")
    ax.set_ylabel("目标数")
    ax.margins(y=0.15)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))  # counts, not 17.5
    if not values:
        ax.text(0.5, 0.5, "无数据", ha="center", va="center", transform=ax.transAxes)
    return fig


def targets_by_bureau(rows, top: int = 15) -> object:
    """Targets per responsible bureau (a target counts for every bureau named in its measure)."""
    from matplotlib.ticker import MaxNLocator

    counts: Counter[str] = Counter(b for r in rows for b in dict.fromkeys(r.bureaus))
    names = [n for n, _ in counts.most_common(top)][::-1]
    fig, ax = _figure(6, max(3.0, 0.32 * len(names) + 1.2))
    bars = ax.barh(names, [counts[n] for n in names], color="#3b82f6")
    ax.bar_label(bars, padding=2)
    ax.set_title("目标数量（按责任部门）")
    ax.set_xlabel("目标数")
    ax.margins(x=0.12)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    if not names:
        ax.text(0.5, 0.5, "无数据", ha="center", va="center", transform=ax.transAxes)
    return fig
