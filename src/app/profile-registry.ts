// The device profiles in force, editable from the dashboard: a change is validated (the field and the reason on
// refusal, nothing half-applied), compiled, applied to the next flows at once, and written back to its file.
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { compileProfile, parseProfile, ProfileError } from '../detect/index.js';
import type { ProfileEntry } from '../types/index.js';
import type { LoadedProfile } from './flow-analysis.js';
import { StartError } from './start-error.js';

export type { ProfileEntry } from '../types/index.js';

export async function loadProfiles(files: readonly string[]): Promise<LoadedProfile[]> {
  const loaded: LoadedProfile[] = [];
  for (const file of files) {
    let json: unknown;
    try {
      json = JSON.parse(await readFile(file, 'utf8'));
    } catch (error) {
      throw new StartError(`profile ${file}: ${(error as Error).message}`);
    }
    try {
      const profile = parseProfile(json, file);
      loaded.push({ source: file, profile, compiled: compileProfile(profile) });
    } catch (error) {
      if (error instanceof ProfileError) throw new StartError(`profile ${file}: ${error.message}`);
      throw error;
    }
  }
  return loaded;
}

export class ProfileRegistry {
  constructor(
    private loaded: LoadedProfile[],
    /** Where profiles created in the dashboard are written. */
    private readonly folder: string,
  ) {}

  /** The profiles detection uses now (the array is replaced, never mutated, so a flow in analysis is unaffected). */
  get current(): readonly LoadedProfile[] {
    return this.loaded;
  }

  list(): ProfileEntry[] {
    return this.loaded.map((p, index) => ({ index, source: p.source, profile: p.profile }));
  }

  /** Replaces profile `index`, or adds one when index is undefined. Throws ProfileError for a bad profile. */
  async save(index: number | undefined, json: unknown): Promise<ProfileEntry> {
    const profile = parseProfile(json, 'profile');
    const compiled = compileProfile(profile);
    let source: string;
    if (index === undefined) {
      const slug = (profile.name ?? 'profile').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'profile';
      source = join(this.folder, `${slug}-${Date.now()}.json`);
    } else {
      const existing = this.loaded[index];
      if (!existing) throw new RangeError(`no profile ${index}`);
      source = existing.source;
    }
    // Write first (atomically): a profile the disk refused is not applied either.
    await mkdir(dirname(source), { recursive: true });
    const temporary = `${source}.${process.pid}.tmp`;
    await writeFile(temporary, `${JSON.stringify(profile, null, 2)}\n`, { mode: 0o600 });
    await rename(temporary, source);
    const entry: LoadedProfile = { source, profile, compiled };
    const next = [...this.loaded];
    if (index === undefined) next.push(entry);
    else next[index] = entry;
    this.loaded = next;
    return { index: index ?? next.length - 1, source, profile };
  }
}
