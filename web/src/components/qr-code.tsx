// A QR code drawn as SVG squares from the qrcode package's matrix (no data: URL, no innerHTML).
import QRCode from 'qrcode';
import { useMemo } from 'react';

export function QrCode({ text, size = 200, label }: { text: string; size?: number; label: string }) {
  const { cells, n } = useMemo(() => {
    const qr = QRCode.create(text, { errorCorrectionLevel: 'M' });
    const count = qr.modules.size;
    const rects: string[] = [];
    for (let y = 0; y < count; y++) {
      for (let x = 0; x < count; x++) if (qr.modules.get(x, y)) rects.push(`M${x + 4} ${y + 4}h1v1h-1z`);
    }
    return { cells: rects.join(''), n: count + 8 };
  }, [text]);
  return (
    <svg className="qr" role="img" aria-label={label} width={size} height={size} viewBox={`0 0 ${n} ${n}`} shapeRendering="crispEdges" data-qr-text={text}>
      <rect width={n} height={n} fill="#fff" />
      <path d={cells} fill="#000" />
    </svg>
  );
}
