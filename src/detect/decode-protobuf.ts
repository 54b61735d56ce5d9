// Protobuf without a schema: a wire-format walk. Varints become decimal text, 64-bit fields doubles (when
// plausible) and integers, length-delimited fields UTF-8 text when they read as text, else nested messages.
import { asPrintableUtf8 } from './text-plausibility.js';

export interface ProtoLeaf {
  /** Field numbers from the outermost message, e.g. [1, 3]. */
  path: number[];
  value: string;
  wire: 'varint' | 'fixed64' | 'fixed32' | 'bytes';
  /** A length-delimited field that is neither text nor a message (compressed data, binary). */
  raw?: Uint8Array;
}

class Reader {
  pos = 0;
  constructor(readonly buf: Uint8Array) {}
  get done(): boolean {
    return this.pos >= this.buf.length;
  }
  varint(): bigint | undefined {
    let result = 0n;
    let shift = 0n;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.buf.length) return undefined;
      const b = this.buf[this.pos++]!;
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return result;
      shift += 7n;
    }
    return undefined;
  }
}

interface RawField {
  field: number;
  wire: number;
  value: bigint | Uint8Array;
}

/** Reads one message's fields; undefined when the bytes are not a well-formed message. */
function readMessage(buf: Uint8Array): RawField[] | undefined {
  const r = new Reader(buf);
  const fields: RawField[] = [];
  while (!r.done) {
    const key = r.varint();
    if (key === undefined) return undefined;
    const field = Number(key >> 3n);
    const wire = Number(key & 7n);
    if (field < 1 || field > 536_870_911) return undefined;
    if (wire === 0) {
      const v = r.varint();
      if (v === undefined) return undefined;
      fields.push({ field, wire, value: v });
    } else if (wire === 1 || wire === 5) {
      const n = wire === 1 ? 8 : 4;
      if (r.pos + n > buf.length) return undefined;
      fields.push({ field, wire, value: buf.subarray(r.pos, r.pos + n) });
      r.pos += n;
    } else if (wire === 2) {
      const len = r.varint();
      if (len === undefined || len > BigInt(buf.length - r.pos)) return undefined;
      const l = Number(len);
      fields.push({ field, wire, value: buf.subarray(r.pos, r.pos + l) });
      r.pos += l;
    } else return undefined; // groups (3/4) are obsolete; 6/7 are invalid
  }
  return fields.length > 0 ? fields : undefined;
}

/** True when the bytes parse completely as a protobuf message. */
export function looksLikeProtobuf(buf: Uint8Array): boolean {
  return buf.length >= 2 && readMessage(buf) !== undefined;
}

/** Walks a message to `maxDepth` nested levels and at most `maxLeaves` leaves. */
export function protobufLeaves(buf: Uint8Array, maxDepth = 4, maxLeaves = 5000): ProtoLeaf[] | undefined {
  const top = readMessage(buf);
  if (!top) return undefined;
  const out: ProtoLeaf[] = [];
  const walk = (fields: RawField[], path: number[], depth: number): void => {
    for (const f of fields) {
      if (out.length >= maxLeaves) return;
      const p = [...path, f.field];
      if (typeof f.value === 'bigint') {
        out.push({ path: p, value: f.value.toString(), wire: 'varint' });
      } else if (f.wire === 1 || f.wire === 5) {
        const dv = new DataView(f.value.buffer, f.value.byteOffset, f.value.byteLength);
        const d = f.wire === 1 ? dv.getFloat64(0, true) : dv.getFloat32(0, true);
        if (Number.isFinite(d) && d !== 0 && Math.abs(d) > 1e-6 && Math.abs(d) < 1e12) {
          out.push({ path: p, value: String(f.wire === 5 ? Number(d.toPrecision(7)) : d), wire: f.wire === 1 ? 'fixed64' : 'fixed32' });
        }
        const n = f.wire === 1 ? dv.getBigUint64(0, true) : BigInt(dv.getUint32(0, true));
        out.push({ path: p, value: n.toString(), wire: f.wire === 1 ? 'fixed64' : 'fixed32' });
      } else {
        const text = asPrintableUtf8(f.value);
        if (text !== undefined) {
          out.push({ path: p, value: text, wire: 'bytes' });
          continue;
        }
        const nested = depth < maxDepth ? readMessage(f.value) : undefined;
        if (nested) walk(nested, p, depth + 1);
        else out.push({ path: p, value: '', wire: 'bytes', raw: f.value });
      }
    }
  };
  walk(top, [], 1);
  return out;
}
