"""Every exported chart image carries its caption (issue 11 §3): what it comes from (settings or room, seed,
month), written under the chart and kept as the image's description, with the legend under the chart in columns
so the plot keeps the image's width. The app draws no image of its own in the browser (plotly's download button
is removed): each chart's PNG button exports `viz.charts.to_image` of the chart with the page's caption."""

from __future__ import annotations

import io
import time

import pytest
import solara
from PIL import Image

from viz import charts as C
from viz import palette as P
from viz.components import CAPTION, PLOT_CONFIG, PlotlyChart, captioned

CAPTION_TEXT = "Scenario default · no changes · seed 42 · month 12 of 60"


def lines(n: int, name: str = "a rather long name for a line, as the Dutch labels are") -> C.Chart:
    x = list(range(13))
    return C.Chart("test", "A chart", x_title="month", panels=[C.Panel("%")],
                   traces=[C.Trace(f"{name} {i}", x, [i + 0.1 * m for m in x], P.VARIANT) for i in range(n)])


def description(png: bytes) -> str:
    return Image.open(io.BytesIO(png)).text.get("Description", "")


def test_an_image_carries_its_caption_under_the_chart_and_as_its_description():
    chart = captioned(lines(2), lambda: CAPTION_TEXT)
    assert chart.caption == CAPTION_TEXT
    png = C.to_image(chart, "png")
    assert png[:4] == b"\x89PNG" and description(png) == CAPTION_TEXT
    fig = C.image_figure(chart)
    texts = [t.get_text() for sub in fig.subfigs for t in sub.texts]
    assert CAPTION_TEXT in texts                                       # written under the chart
    assert description(C.to_image(lines(2), "png")) == ""              # no caption: nothing made up


@pytest.mark.parametrize("kind", ["xy", "bars"])
def test_the_legend_sits_under_the_chart_and_the_plot_keeps_the_width(kind):
    if kind == "xy":
        chart = lines(8)
    else:
        chart = C.Chart("bars", "Bars", kind="bars", data={
            "categories": ["Stad", "Midden", "Noord"], "x_title": "per 1,000",
            "groups": [{"name": f"a long group name number {i}", "values": [1.0, -2.0, 3.0], "colour": P.VARIANT}
                       for i in range(5)]})
    fig = C.image_figure(chart)
    fig.draw_without_rendering()          # lays the figure out as savefig does
    main, footer = fig.subfigs
    assert footer.legends and not any(ax.get_legend() for ax in main.axes)
    width = max(ax.get_position().x1 for ax in main.axes) - min(ax.get_position().x0 for ax in main.axes)
    assert width > 0.8                                                 # not 60% of it, as with a legend beside


def test_a_bar_chart_of_one_group_has_no_legend():
    chart = C.Chart("bars", "Bars", kind="bars", data={
        "categories": ["Stad", "Midden"], "x_title": "per 1,000",
        "groups": [{"name": "per 1,000", "values": [1.0, -2.0], "colour": P.VARIANT}]})
    fig = C.image_figure(chart)
    assert not fig.subfigs[1].legends and not fig.subfigs[0].axes[0].get_legend()


def test_every_chart_on_a_page_exports_its_image_with_the_page_caption():
    """The browser's own (uncaptioned) image download is gone; the chart's PNG button gives the captioned image."""
    from solara.components.file_download import FileDownloadWidget

    assert "toImage" in PLOT_CONFIG["modeBarButtonsToRemove"]

    @solara.component
    def Page():
        CAPTION.provide(solara.use_memo(lambda: lambda: CAPTION_TEXT, []))
        PlotlyChart(lines(2), version=1)

    _box, rc = solara.render(Page(), handle_error=False)
    download = rc.find(FileDownloadWidget).widget
    assert download.filename == "plm-test.png"
    download.request_download = True
    for _ in range(600):                  # the download runs in a thread: wait for it, without timing anything
        if download.bytes:
            break
        time.sleep(0.1)
    assert description(download.bytes) == CAPTION_TEXT
    rc.close()
