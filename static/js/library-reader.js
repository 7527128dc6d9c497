// 职工书屋 reader: PDF with pdf.js, EPUB with foliate-js, both from static/vendor (npm, no CDN). The file
// comes from the loan-checking view; nothing is stored in the browser beyond this page.
const box = document.getElementById("lb-reader");
const status = document.getElementById("lb-status");
const where = document.getElementById("lb-where");
const prev = document.getElementById("lb-prev");
const next = document.getElementById("lb-next");

function fail(message) {
  status.textContent = message;
  status.classList.add("error");
  box.dataset.state = "error";
}

async function openPdf() {
  const pdfjs = await import(box.dataset.pdfjs);
  pdfjs.GlobalWorkerOptions.workerSrc = box.dataset.pdfWorker;
  const doc = await pdfjs.getDocument({
    url: box.dataset.src,
    cMapUrl: box.dataset.cmaps,
    cMapPacked: true,
    standardFontDataUrl: box.dataset.fonts,
    isEvalSupported: false,
    disableRange: true,
    disableStream: true,
  }).promise;
  const canvas = document.createElement("canvas");
  canvas.className = "lb-page";
  canvas.setAttribute("role", "img");
  let current = 1;
  let rendering = null;
  async function show(n) {
    current = Math.min(Math.max(1, n), doc.numPages);
    const page = await doc.getPage(current);
    const width = box.clientWidth;
    const scale = width / page.getViewport({ scale: 1 }).width;
    const ratio = window.devicePixelRatio || 1;
    const viewport = page.getViewport({ scale: scale * ratio });
    canvas.width = Math.floor(viewport.width);
    canvas.height = Math.floor(viewport.height);
    canvas.style.width = width + "px";
    if (rendering) rendering.cancel();
    rendering = page.render({ canvasContext: canvas.getContext("2d"), viewport });
    try { await rendering.promise; } catch (e) { if (e && e.name === "RenderingCancelledException") return; throw e; }
    const text = await page.getTextContent();
    canvas.setAttribute("aria-label", "第 " + current + " 页：" + text.items.map((i) => i.str).join(" ").slice(0, 500));
    where.textContent = "第 " + current + " / " + doc.numPages + " 页";
    box.dataset.page = String(current);
    box.dataset.state = "ready";
  }
  status.remove();
  box.append(canvas);
  prev.addEventListener("click", () => show(current - 1));
  next.addEventListener("click", () => show(current + 1));
  await show(1);
}

async function openEpub() {
  await import(box.dataset.foliate);
  const view = document.createElement("foliate-view");
  view.addEventListener("relocate", (e) => {
    const fraction = e.detail.fraction || 0;
    where.textContent = "已读 " + Math.round(fraction * 100) + "%";
    box.dataset.state = "ready";
  });
  box.append(view);
  await view.open(box.dataset.src);
  status.remove();
  await view.init({ showTextStart: true });
  prev.addEventListener("click", () => view.prev());
  next.addEventListener("click", () => view.next());
}

(box.dataset.format === "pdf" ? openPdf() : openEpub()).catch((e) => {
  console.error(e);
  fail("打开失败：请检查网络后刷新；如果借阅期已结束，请联系本单位工会。");
});
