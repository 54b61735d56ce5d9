// Redacted exports: every identifier value masked (all but its last 4 characters become '*'), in every format and
// in bodies too. The values are the session's finding values plus, when given, device profiles. Each value is looked
// for in all the spellings the detector knows (the profile forms: grouped digits, national phone forms…) and their
// encodings (URL, JSON \u, hex, base64 at every alignment, MD5/SHA-1/SHA-256 digests in hex and base64).
// A compressed body is replaced by its (masked) decompressed copy. Then the detector itself checks the result: a body
// in which it still finds a value (inside an encoding text replacement cannot reach) is withheld; a URL or header
// that still carries one is replaced whole.
import AhoCorasick from 'modern-ahocorasick';
import { compileProfile, detectFindings, type CompiledProfile } from '../detect/index.js';
import { digestVariants, textVariants } from '../detect/profile-variants.js';
import type { DeviceRecord, StoredEvent } from '../store/index.js';
import type { DetectionInput, DeviceProfile, Finding, FindingKind, Flow, HeaderPair } from '../types/index.js';
import type { SessionSource } from './session-source.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });
const MIN_PATTERN = 4;
export const WITHHELD_URL_QUERY = 'redacted';
export const WITHHELD_HEADER = '[redacted]';

/** All but the last 4 characters as '*' (a value of 4 characters or fewer is masked whole). */
export function mask(value: string): string {
  const chars = [...value];
  if (chars.length <= 4) return '*'.repeat(chars.length);
  return '*'.repeat(chars.length - 4) + chars.slice(-4).join('');
}

const asciiLower = (s: string) => s.replace(/[A-Z]/g, (c) => c.toLowerCase());

const FIELD_OF_KIND: Partial<Record<FindingKind, 'imei' | 'meid' | 'imsi' | 'iccid' | 'phoneNumbers' | 'androidId' | 'advertisingId' | 'macAddresses' | 'serialNumber' | 'emails' | 'deviceName' | 'carrier' | 'wifiSsid' | 'wifiBssid' | 'sms'>> = {
  imei: 'imei',
  meid: 'meid',
  imsi: 'imsi',
  iccid: 'iccid',
  phone_number: 'phoneNumbers',
  android_id: 'androidId',
  advertising_id: 'advertisingId',
  mac_address: 'macAddresses',
  serial_number: 'serialNumber',
  email: 'emails',
  device_name: 'deviceName',
  carrier: 'carrier',
  wifi_ssid: 'wifiSsid',
  wifi_bssid: 'wifiBssid',
  sms_text: 'sms',
};

/** A profile holding the values found, each under its kind's field (so it gets that kind's spellings). */
function profileOfFindings(findings: readonly Pick<Finding, 'kind' | 'value'>[]): DeviceProfile {
  const profile: Record<string, unknown> & DeviceProfile = { name: 'values found in the session' };
  const custom: { label: string; value: string }[] = [];
  const seen = new Set<string>();
  for (const f of findings) {
    const value = f.value.trim();
    if (value === '' || seen.has(`${f.kind}\0${value}`)) continue;
    seen.add(`${f.kind}\0${value}`);
    const field = FIELD_OF_KIND[f.kind];
    if (field) ((profile[field] as string[] | undefined) ??= [] as string[]).push(value);
    else custom.push({ label: f.kind, value });
  }
  if (custom.length > 0) profile.custom = custom;
  return profile;
}

/** Compiles a profile; when a value is not valid for its field, every value falls back to a custom one. */
function compileSafely(profile: DeviceProfile, findings: readonly Pick<Finding, 'kind' | 'value'>[]): CompiledProfile {
  try {
    return compileProfile(profile);
  } catch {
    return compileProfile({ custom: findings.filter((f) => f.value.trim() !== '').map((f) => ({ label: f.kind, value: f.value.trim() })) });
  }
}

export class Redactor {
  private readonly automaton: AhoCorasick<number> | undefined;
  readonly patternCount: number;

  private constructor(
    private readonly profiles: CompiledProfile[],
    patterns: Set<string>,
  ) {
    this.patternCount = patterns.size;
    this.automaton = patterns.size > 0 ? new AhoCorasick<number>([...patterns].map((pattern, i) => ({ pattern, data: i }))) : undefined;
  }

  /** From the values of the findings (all confidences) and the device profiles given. */
  static create(findings: readonly Pick<Finding, 'kind' | 'value'>[], profiles: readonly DeviceProfile[] = []): Redactor {
    const compiled = [compileSafely(profileOfFindings(findings), findings), ...profiles.map((p) => compileProfile(p))];
    const patterns = new Set<string>();
    const add = (p: string) => {
      if (p.length < MIN_PATTERN) return;
      const lower = asciiLower(p);
      patterns.add(lower);
      // A body that is not valid UTF-8 is matched byte by byte (latin1): non-ASCII spellings as their UTF-8 bytes.
      if (/[^ -~]/.test(lower)) patterns.add(Buffer.from(lower, 'utf8').toString('latin1'));
    };
    for (const f of findings) add(f.value.trim());
    for (const cp of compiled) {
      for (const t of cp.targets) {
        add(t.value);
        for (const form of t.forms) {
          add(form);
          for (const v of textVariants(form, t.freeText, t.chunked)) add(v.pattern);
        }
        for (const form of t.hashForms) {
          if ([...form].length < 4) continue;
          for (const v of digestVariants(form)) {
            add(v.pattern);
            if (v.hexDigest) add(v.pattern.toUpperCase());
          }
        }
      }
    }
    return new Redactor(compiled, patterns);
  }

  /** Masks every spelling of every value in text. */
  text(text: string): string {
    if (!this.automaton || text.length < MIN_PATTERN) return text;
    const matches = this.automaton.search(asciiLower(text));
    if (matches.length === 0) return text;
    const hide = new Uint8Array(text.length);
    for (const m of matches) {
      // Keep the last 4 characters of the spelling found (a whole short one is hidden).
      const end = m.end - m.start <= 4 ? m.end : m.end - 4;
      hide.fill(1, m.start, end);
    }
    let out = '';
    for (let i = 0; i < text.length; i++) out += hide[i] ? '*' : text[i];
    return out;
  }

  /** Masks bytes: as UTF-8 text when they are, else byte by byte. */
  bytes(bytes: Buffer): Buffer {
    if (bytes.length === 0) return bytes;
    try {
      return Buffer.from(this.text(utf8.decode(bytes)), 'utf8');
    } catch {
      return Buffer.from(this.text(bytes.toString('latin1')), 'latin1');
    }
  }

  /** Every string inside a JSON-like value masked. */
  deep<T>(value: T): T {
    if (typeof value === 'string') return this.text(value) as T;
    if (Array.isArray(value)) return value.map((v: unknown) => this.deep(v)) as T;
    if (typeof value === 'object' && value !== null) {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) out[k] = this.deep(v);
      return out as T;
    }
    return value;
  }

  /** Where the detector still finds a value (profile matches only), or [] when none is left. */
  leftovers(input: DetectionInput): string[] {
    return detectFindings(input, this.profiles)
      .filter((f) => f.source === 'profile')
      .map((f) => f.where);
  }
}

function withoutHeader(headers: HeaderPair[], name: string): HeaderPair[] {
  return headers.filter(([n]) => n.toLowerCase() !== name);
}

interface RedactedBodies {
  request: Buffer;
  response: Buffer;
}

/** The flow, its findings and its bodies, masked; compressed bodies become their masked decompressed copies. */
export async function redactFlow(source: SessionSource, redactor: Redactor, flow: Flow, findings: Finding[]): Promise<{ flow: Flow; findings: Finding[]; bodies: RedactedBodies }> {
  const out = redactor.deep(structuredClone(flow));
  const bodies: RedactedBodies = { request: Buffer.alloc(0), response: Buffer.alloc(0) };
  for (const which of ['request', 'response'] as const) {
    const part = which === 'request' ? out.request : out.response;
    if (!part) continue;
    const info = (which === 'request' ? flow.request.body : flow.response!.body)!;
    part.body = { ...info };
    const raw = (await source.readBody(flow.id, which, 'raw')) ?? Buffer.alloc(0);
    let plain = raw;
    if (info.contentEncoding) {
      // Text replacement cannot reach inside compressed bytes: keep the decompressed copy, or nothing.
      plain = info.decodedSize !== undefined ? ((await source.readBody(flow.id, which, 'decoded')) ?? Buffer.alloc(0)) : Buffer.alloc(0);
      part.headers = withoutHeader(part.headers, 'content-encoding');
      delete part.body.contentEncoding;
      delete part.body.decodedSize;
      delete part.body.decodeError;
      if (info.decodedSize === undefined && raw.length > 0) part.body.truncated = true;
    }
    bodies[which] = redactor.bytes(plain);
    part.body.captured = bodies[which].length;
    part.body.size = Math.max(part.body.size, bodies[which].length);
  }
  // The detector checks what is left: a body still holding a value is withheld, a URL or header replaced.
  const check = (headers: HeaderPair[], body: Buffer, url = out.request.url): DetectionInput => ({
    scheme: out.scheme,
    method: out.request.method,
    url,
    host: out.host,
    requestHeaders: headers,
    requestBody: body,
  });
  const requestLeft = redactor.leftovers(check(out.request.headers, bodies.request));
  if (requestLeft.some((w) => w === 'url' || w.startsWith('query:'))) {
    const u = out.request.url.indexOf('?');
    out.request.url = `${u >= 0 ? out.request.url.slice(0, u) : out.request.url}?${WITHHELD_URL_QUERY}`;
  }
  for (const where of requestLeft) {
    const m = /^(header|cookie):(.*)$/.exec(where);
    if (!m) continue;
    const name = m[1] === 'cookie' ? 'cookie' : m[2]!.toLowerCase();
    out.request.headers = out.request.headers.map(([n, v]): HeaderPair => (n.toLowerCase() === name ? [n, WITHHELD_HEADER] : [n, v]));
  }
  if (requestLeft.some((w) => w === 'body' || /^(body|form|multipart|protobuf):/.test(w))) {
    bodies.request = Buffer.alloc(0);
    out.request.body.captured = 0;
    out.request.body.truncated = true;
  }
  if (out.response) {
    const responseLeft = redactor.leftovers(check([...out.response.headers.filter(([n]) => /^content-type$/i.test(n))], bodies.response, `${out.scheme}://${out.host}/`));
    if (responseLeft.length > 0) {
      bodies.response = Buffer.alloc(0);
      out.response.body.captured = 0;
      out.response.body.truncated = true;
    }
    const headersLeft = redactor.leftovers(check(out.response.headers, Buffer.alloc(0), `${out.scheme}://${out.host}/`));
    for (const where of headersLeft) {
      const m = /^header:(.*)$/.exec(where);
      if (m) out.response.headers = out.response.headers.map(([n, v]): HeaderPair => (n.toLowerCase() === m[1]!.toLowerCase() ? [n, WITHHELD_HEADER] : [n, v]));
    }
  }
  if (out.webSocket) {
    out.webSocket.messages = out.webSocket.messages.map((msg) =>
      msg.opcode === 'binary' ? { ...msg, data: redactor.bytes(Buffer.from(msg.data, 'base64')).toString('base64') } : msg,
    );
  }
  const maskedFindings = findings.map((f) => ({ ...redactor.deep(f), value: mask(f.value) }));
  return { flow: out, findings: maskedFindings, bodies };
}

/**
 * A SessionSource whose flows, findings, bodies, events and devices are redacted. Bodies are served for the flow
 * the iteration is at (every writer reads a flow's bodies right after the flow).
 */
export function redactedSource(source: SessionSource, redactor: Redactor): SessionSource {
  let current: { id: string; bodies: RedactedBodies } | undefined;
  return {
    iterateFlows(sessionId: string) {
      return (async function* () {
        for await (const { flow, findings } of source.iterateFlows(sessionId)) {
          const redacted = await redactFlow(source, redactor, flow, findings);
          current = { id: flow.id, bodies: redacted.bodies };
          yield { flow: redacted.flow, findings: redacted.findings };
        }
        current = undefined;
      })();
    },
    async readBody(flowId: string, which: 'request' | 'response') {
      if (current?.id !== flowId) return undefined;
      return current.bodies[which];
    },
    events(sessionId: string): StoredEvent[] {
      return redactor.deep(source.events(sessionId));
    },
    listDevices(): DeviceRecord[] {
      return redactor.deep(source.listDevices());
    },
  };
}
