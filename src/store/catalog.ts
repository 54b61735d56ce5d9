// The catalog (lowdb, data/catalog.json): sessions, devices and settings. Small data only — flows, findings and
// events live in the per-session journals. Changes are made in memory and written by the store's batch writer.
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Low } from 'lowdb';
import { JSONFile } from 'lowdb/node';
import type { DeviceRecord, Logger } from '../types/index.js';
import { StoreError, reasonOf } from './store-error.js';
import { isValidSessionId, newSessionId } from './session-id.js';

export type { DeviceRecord } from '../types/index.js';

export interface SessionRecord {
  id: string;
  name: string;
  createdAt: number;
  endedAt?: number;
  current: boolean;
}

export interface CatalogData {
  version: 1;
  sessions: SessionRecord[];
  devices: DeviceRecord[];
  settings: Record<string, unknown>;
}

/** 'soon': write with the next batch (sessions changed); 'lazy': at most once a second (device last-seen times). */
export type CatalogDirt = 'clean' | 'lazy' | 'soon';

const LAZY_WRITE_MS = 1000;

export class Catalog {
  private dirt: CatalogDirt = 'clean';
  private lastWrite = 0;
  private readonly devices = new Map<string, DeviceRecord>();

  private constructor(
    readonly path: string,
    private readonly db: Low<CatalogData>,
  ) {
    for (const device of db.data.devices) this.devices.set(device.address, device);
  }

  /** Reads (or starts) the catalog, and adds back session folders the catalog does not list (e.g. a lost catalog). */
  static async open(path: string, sessionsDir: string, logger: Logger): Promise<Catalog> {
    const db = new Low<CatalogData>(new JSONFile<CatalogData>(path), emptyCatalog());
    try {
      await db.read();
    } catch (err) {
      throw new StoreError(`cannot read the catalog ${path}: ${reasonOf(err)}`, path, { cause: err });
    }
    db.data = normalise(db.data, path);
    const catalog = new Catalog(path, db);
    await catalog.recoverSessionFolders(sessionsDir, logger);
    return catalog;
  }

  get sessions(): readonly SessionRecord[] {
    return this.db.data.sessions;
  }

  get settings(): Record<string, unknown> {
    return this.db.data.settings;
  }

  setSetting(key: string, value: unknown): void {
    if (value === undefined) delete this.db.data.settings[key];
    else this.db.data.settings[key] = value;
    this.touch('soon');
  }

  session(id: string): SessionRecord | undefined {
    return this.db.data.sessions.find((s) => s.id === id);
  }

  current(): SessionRecord | undefined {
    const sessions = this.db.data.sessions;
    for (let i = sessions.length - 1; i >= 0; i--) if (sessions[i]!.current) return sessions[i];
    return undefined;
  }

  /**
   * Ends the current session (if any) and adds a new current one. Default names ("session N") are unique; a given
   * name is kept as given, even when an older session has it (finding by name picks the newest).
   */
  startSession(name: string | undefined, now: number): SessionRecord {
    const ending = this.current();
    if (ending) {
      ending.current = false;
      ending.endedAt = now;
    }
    const record: SessionRecord = {
      id: newSessionId(now, (id) => this.session(id) !== undefined),
      name: name?.trim() || this.uniqueName(undefined),
      createdAt: now,
      current: true,
    };
    this.db.data.sessions.push(record);
    this.touch('soon');
    return record;
  }

  /** A finished session that never was current (an import): live capture never records into it. */
  addSession(name: string | undefined, now: number): SessionRecord {
    const record: SessionRecord = {
      id: newSessionId(now, (id) => this.session(id) !== undefined),
      name: name?.trim() || this.uniqueName(undefined),
      createdAt: now,
      endedAt: now,
      current: false,
    };
    this.db.data.sessions.push(record);
    this.touch('soon');
    return record;
  }

  /** A session for an id found on disk or in a flow but missing from the catalog. */
  adoptSession(id: string, createdAt: number): SessionRecord {
    const record: SessionRecord = { id, name: this.uniqueName(id), createdAt, current: false };
    this.db.data.sessions.push(record);
    this.db.data.sessions.sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1));
    this.touch('soon');
    return record;
  }

  upsertDevice(address: string, seenAt: number, label?: string): void {
    const known = this.devices.get(address);
    if (known && label !== undefined && known.label !== label) {
      known.label = label;
      known.lastSeen = Math.max(known.lastSeen, seenAt);
      this.touch('soon');
      return;
    }
    if (known) {
      if (seenAt > known.lastSeen) known.lastSeen = seenAt;
      else if (seenAt < known.firstSeen) known.firstSeen = seenAt;
      else return;
      this.touch('lazy');
      return;
    }
    const device: DeviceRecord = { address, firstSeen: seenAt, lastSeen: seenAt, ...(label !== undefined ? { label } : {}) };
    this.devices.set(address, device);
    this.db.data.devices.push(device);
    this.touch('soon');
  }

  listDevices(): DeviceRecord[] {
    return this.db.data.devices.map((d) => ({ ...d }));
  }

  /** Whether a write is due now (force: any change at all), and in how many ms a lazy one will be. */
  due(now: number, force: boolean): { now: boolean; laterMs?: number } {
    if (this.dirt === 'clean') return { now: false };
    if (this.dirt === 'soon' || force) return { now: true };
    const wait = this.lastWrite + LAZY_WRITE_MS - now;
    return wait <= 0 ? { now: true } : { now: false, laterMs: wait };
  }

  /** Writes the whole catalog (small) atomically: lowdb writes a temp file and renames it. */
  async write(now: number): Promise<void> {
    const dirt = this.dirt;
    this.dirt = 'clean';
    try {
      await this.db.write();
      this.lastWrite = now;
    } catch (err) {
      if (this.dirt === 'clean' || dirt === 'soon') this.dirt = dirt;
      throw err;
    }
  }

  private touch(level: 'lazy' | 'soon'): void {
    if (level === 'soon' || this.dirt === 'clean') this.dirt = level;
  }

  private uniqueName(wanted: string | undefined): string {
    const taken = new Set(this.db.data.sessions.map((s) => s.name));
    if (wanted === undefined) {
      let n = this.db.data.sessions.length + 1;
      while (taken.has(`session ${n}`)) n++;
      return `session ${n}`;
    }
    if (!taken.has(wanted)) return wanted;
    let n = 2;
    while (taken.has(`${wanted} (${n})`)) n++;
    return `${wanted} (${n})`;
  }

  private async recoverSessionFolders(sessionsDir: string, logger: Logger): Promise<void> {
    let names: string[];
    try {
      names = await readdir(sessionsDir);
    } catch {
      return;
    }
    for (const name of names.sort()) {
      if (!isValidSessionId(name) || this.session(name)) continue;
      let createdAt: number;
      try {
        const info = await stat(join(sessionsDir, name));
        if (!info.isDirectory()) continue;
        createdAt = Math.round(info.birthtimeMs || info.mtimeMs);
      } catch {
        continue;
      }
      logger.warn('store: a session folder was missing from the catalog; added it back', { session: name });
      this.adoptSession(name, createdAt);
    }
  }
}

function emptyCatalog(): CatalogData {
  return { version: 1, sessions: [], devices: [], settings: {} };
}

/** Accepts what a previous version or a hand edit left, drops what cannot be used. */
function normalise(data: unknown, path: string): CatalogData {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new StoreError(`cannot read the catalog ${path}: not a JSON object`, path);
  }
  const raw = data as Partial<CatalogData>;
  const sessions = (Array.isArray(raw.sessions) ? raw.sessions : []).filter(
    (s): s is SessionRecord => typeof s === 'object' && s !== null && isValidSessionId(s.id),
  );
  for (const s of sessions) {
    if (typeof s.name !== 'string') s.name = s.id;
    if (typeof s.createdAt !== 'number') s.createdAt = 0;
    s.current = s.current === true;
  }
  // Exactly one current session at most: the last one marked.
  const currents = sessions.filter((s) => s.current);
  for (const s of currents.slice(0, -1)) s.current = false;
  const devices = (Array.isArray(raw.devices) ? raw.devices : []).filter(
    (d): d is DeviceRecord => typeof d === 'object' && d !== null && typeof d.address === 'string',
  );
  const settings =
    typeof raw.settings === 'object' && raw.settings !== null && !Array.isArray(raw.settings) ? raw.settings : {};
  return { version: 1, sessions, devices, settings };
}
