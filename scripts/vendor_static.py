"""Copy the front-end libraries installed by `npm ci` into static/vendor/.

Nothing third-party is committed: static/vendor/ is git-ignored and rebuilt at setup,
so union intranets run without any CDN.
"""

import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NODE = ROOT / "node_modules"
VENDOR = ROOT / "static" / "vendor"

FILES = {
    "htmx.org/dist/htmx.min.js": "htmx.min.js",
    "leaflet/dist/leaflet.js": "leaflet/leaflet.js",
    "leaflet/dist/leaflet.css": "leaflet/leaflet.css",
    "leaflet/dist/images": "leaflet/images",
    "echarts/dist/echarts.min.js": "echarts.min.js",
    # 职工书屋 reader: pdf.js (PDF; CJK CMaps and the 14 standard fonts for PDFs that do not embed them)
    "pdfjs-dist/build/pdf.min.mjs": "pdfjs/pdf.min.mjs",
    "pdfjs-dist/build/pdf.worker.min.mjs": "pdfjs/pdf.worker.min.mjs",
    "pdfjs-dist/cmaps": "pdfjs/cmaps",
    "pdfjs-dist/standard_fonts": "pdfjs/standard_fonts",
    "pdfjs-dist/LICENSE": "pdfjs/LICENSE",
    # … and foliate-js (EPUB): ES modules loaded on demand, with its own zip reader in vendor/
    "foliate-js": "foliate-js",
}


def main() -> int:
    if not NODE.is_dir():
        print("node_modules/ 不存在：请先运行 npm ci", file=sys.stderr)
        return 1
    for src, dest in FILES.items():
        source, target = NODE / src, VENDOR / dest
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, target, dirs_exist_ok=True)
        else:
            shutil.copy2(source, target)
    print(f"static/vendor/ ← {len(FILES)} front-end files from node_modules/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
