// multipart/form-data (and other multipart/*) bodies: parts with their name, content type and bytes.

export interface MultipartPart {
  name: string;
  filename?: string;
  contentType?: string;
  contentEncoding?: string;
  /** Content-Transfer-Encoding (base64 / quoted-printable parts). */
  transferEncoding?: string;
  body: Buffer;
}

/** The boundary parameter of a multipart Content-Type, or undefined. */
export function multipartBoundary(contentType: string | undefined): string | undefined {
  if (!contentType || !/^\s*multipart\//i.test(contentType)) return undefined;
  const m = /boundary\s*=\s*(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  return m ? (m[1] ?? m[2]) : undefined;
}

/** Splits a multipart body; parts without a Content-Disposition name get `partN`. At most `maxParts` parts. */
export function parseMultipart(body: Buffer, boundary: string, maxParts = 1000): MultipartPart[] {
  const delim = Buffer.from(`--${boundary}`, 'latin1');
  const parts: MultipartPart[] = [];
  let pos = body.indexOf(delim);
  while (pos >= 0 && parts.length < maxParts) {
    let start = pos + delim.length;
    if (body[start] === 0x2d && body[start + 1] === 0x2d) break; // closing delimiter
    if (body[start] === 0x0d) start++;
    if (body[start] === 0x0a) start++;
    const next = body.indexOf(delim, start);
    if (next < 0) break;
    let end = next;
    if (body[end - 1] === 0x0a) end--;
    if (body[end - 1] === 0x0d) end--;
    const raw = body.subarray(start, Math.max(start, end));
    let headerEnd = raw.indexOf('\r\n\r\n');
    let sepLen = 4;
    if (headerEnd < 0) {
      headerEnd = raw.indexOf('\n\n');
      sepLen = 2;
    }
    if (headerEnd >= 0) {
      const headerText = raw.subarray(0, headerEnd).toString('utf8');
      const part: MultipartPart = { name: `part${parts.length}`, body: raw.subarray(headerEnd + sepLen) };
      for (const line of headerText.split(/\r?\n/)) {
        const colon = line.indexOf(':');
        if (colon < 0) continue;
        const hn = line.slice(0, colon).trim().toLowerCase();
        const hv = line.slice(colon + 1).trim();
        if (hn === 'content-disposition') {
          const n = /\bname\s*=\s*(?:"([^"]*)"|([^;\s]+))/i.exec(hv);
          if (n) part.name = n[1] ?? n[2] ?? part.name;
          const f = /\bfilename\s*=\s*(?:"([^"]*)"|([^;\s]+))/i.exec(hv);
          if (f) part.filename = f[1] ?? f[2];
        } else if (hn === 'content-type') part.contentType = hv;
        else if (hn === 'content-encoding') part.contentEncoding = hv;
        else if (hn === 'content-transfer-encoding') part.transferEncoding = hv.toLowerCase();
      }
      parts.push(part);
    }
    pos = next;
  }
  return parts;
}
