// Exports what is on screen in a view container (its canvases and SVG charts at their
// positions) as one SVG file, or as a PNG drawn from the same pieces.

const SVG_NS = 'http://www.w3.org/2000/svg';

interface Piece {
  kind: 'canvas' | 'svg';
  node: HTMLCanvasElement | SVGSVGElement;
  x: number;
  y: number;
  w: number;
  h: number;
}

function pieces(root: HTMLElement): { pieces: Piece[]; width: number; height: number } {
  const box = root.getBoundingClientRect();
  const out: Piece[] = [];
  root.querySelectorAll<HTMLCanvasElement | SVGSVGElement>('canvas, svg').forEach((node) => {
    if (node instanceof SVGSVGElement && node.ownerSVGElement) return; // nested svg
    const r = node.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) return;
    out.push({ kind: node instanceof HTMLCanvasElement ? 'canvas' : 'svg', node, x: r.left - box.left, y: r.top - box.top, w: r.width, h: r.height });
  });
  return { pieces: out, width: Math.ceil(box.width), height: Math.ceil(box.height) };
}

function serialize(svg: SVGSVGElement, w: number, h: number): string {
  const clone = svg.cloneNode(true) as SVGSVGElement;
  clone.setAttribute('xmlns', SVG_NS);
  clone.setAttribute('width', String(w));
  clone.setAttribute('height', String(h));
  return new XMLSerializer().serializeToString(clone);
}

export function viewToSvg(root: HTMLElement): string {
  const { pieces: ps, width, height } = pieces(root);
  const doc = document.implementation.createDocument(SVG_NS, 'svg', null);
  const svg = doc.documentElement as unknown as SVGSVGElement;
  svg.setAttribute('width', String(width));
  svg.setAttribute('height', String(height));
  svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
  const bg = doc.createElementNS(SVG_NS, 'rect');
  bg.setAttribute('width', '100%');
  bg.setAttribute('height', '100%');
  bg.setAttribute('fill', '#ffffff');
  svg.appendChild(bg);
  for (const p of ps) {
    if (p.kind === 'canvas') {
      const img = doc.createElementNS(SVG_NS, 'image');
      img.setAttribute('x', String(p.x));
      img.setAttribute('y', String(p.y));
      img.setAttribute('width', String(p.w));
      img.setAttribute('height', String(p.h));
      img.setAttribute('href', (p.node as HTMLCanvasElement).toDataURL('image/png'));
      svg.appendChild(img);
    } else {
      const clone = p.node.cloneNode(true) as SVGSVGElement;
      clone.setAttribute('x', String(p.x));
      clone.setAttribute('y', String(p.y));
      svg.appendChild(doc.importNode(clone, true));
    }
  }
  return new XMLSerializer().serializeToString(doc);
}

export async function viewToPng(root: HTMLElement): Promise<Blob> {
  const { pieces: ps, width, height } = pieces(root);
  const scale = window.devicePixelRatio || 1;
  const canvas = document.createElement('canvas');
  canvas.width = Math.ceil(width * scale);
  canvas.height = Math.ceil(height * scale);
  const ctx = canvas.getContext('2d')!;
  ctx.scale(scale, scale);
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, width, height);
  for (const p of ps) {
    if (p.kind === 'canvas') {
      ctx.drawImage(p.node as HTMLCanvasElement, p.x, p.y, p.w, p.h);
    } else {
      const url = URL.createObjectURL(new Blob([serialize(p.node as SVGSVGElement, p.w, p.h)], { type: 'image/svg+xml' }));
      const img = new Image();
      await new Promise<void>((resolve) => {
        img.onload = () => resolve();
        img.onerror = () => resolve();
        img.src = url;
      });
      if (img.complete && img.naturalWidth > 0) ctx.drawImage(img, p.x, p.y, p.w, p.h);
      URL.revokeObjectURL(url);
    }
  }
  return new Promise((resolve) => canvas.toBlob((b) => resolve(b!), 'image/png'));
}

function download(blob: Blob, name: string): void {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = name;
  document.body.appendChild(a);
  a.click();
  setTimeout(() => {
    URL.revokeObjectURL(a.href);
    a.remove();
  }, 1000);
}

export async function exportView(root: HTMLElement, name: string, format: 'png' | 'svg'): Promise<void> {
  if (format === 'svg') download(new Blob([viewToSvg(root)], { type: 'image/svg+xml' }), `${name}.svg`);
  else download(await viewToPng(root), `${name}.png`);
}
