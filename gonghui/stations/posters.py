"""QR posters: segno draws the station's scan URL as SVG, printable at any size."""

import io

import segno


def poster_svg(url: str, *, standalone: bool = False) -> str:
    qr = segno.make(url, error="m")
    out = io.BytesIO()
    # No inline style attributes: the page's CSP forbids them; colours come as SVG attributes.
    qr.save(
        out,
        kind="svg",
        scale=8,
        border=2,
        xmldecl=standalone,
        svgns=True,
        nl=False,
        title="扫码进入驿站",
        svgclass="qr",
        lineclass=None,
        dark="#111",
        light="#fff",
    )
    return out.getvalue().decode()
