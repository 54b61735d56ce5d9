// Phones seen by the proxy: one row per client address, with its label, when it was seen and what it sent.
import { useEffect, useMemo, useState } from 'react';
import { api } from '../lib/api-client.js';
import type { DeviceRecord, FlowSummary } from '../lib/api-types.js';
import { formatAgo, formatDateTime } from '../lib/format.js';
import { routeHref } from '../lib/hash-route.js';
import { DeviceLabel } from './device-label.js';
import { KindBadges } from './kind-badge.js';

export function DevicesTable({ devices, flows }: { devices: DeviceRecord[]; flows: FlowSummary[] }) {
  const perDevice = useMemo(() => {
    const m = new Map<string, { flows: number; kinds: Set<string> }>();
    for (const f of flows) {
      const e = m.get(f.device) ?? m.set(f.device, { flows: 0, kinds: new Set() }).get(f.device)!;
      e.flows++;
      for (const k of f.findingKinds) e.kinds.add(k);
    }
    return m;
  }, [flows]);
  const sorted = [...devices].sort((a, b) => b.lastSeen - a.lastSeen);
  // Which profiles apply: those naming the device's address, and those naming no device at all.
  const [profiles, setProfiles] = useState<{ name: string; devices?: string[] }[]>([]);
  useEffect(() => {
    api.profiles().then(
      (list) => setProfiles(list.map((p) => ({ name: String(p.profile.name ?? p.source), devices: Array.isArray(p.profile.devices) ? p.profile.devices.map(String) : undefined }))),
      () => setProfiles([]),
    );
  }, [devices.length]);
  const profilesFor = (address: string) => profiles.filter((p) => !p.devices || p.devices.includes(address)).map((p) => p.name);
  return (
    <table className="grid devices-grid" role="grid" aria-label="Devices">
      <thead>
        <tr role="row">
          <th role="columnheader">Device</th>
          <th role="columnheader">Profile</th>
          <th role="columnheader">First seen</th>
          <th role="columnheader">Last seen</th>
          <th role="columnheader" className="num">Flows (this session)</th>
          <th role="columnheader">Identifiers sent</th>
          <th role="columnheader" />
        </tr>
      </thead>
      <tbody>
        {sorted.map((d) => {
          const stats = perDevice.get(d.address);
          return (
            <tr key={d.address} role="row" data-device={d.address}>
              <td role="gridcell">
                <span className="mono strong">{d.address}</span>
                <DeviceLabel address={d.address} label={d.label} />
              </td>
              <td role="gridcell" data-testid="device-profiles">{profilesFor(d.address).join(', ') || <span className="muted">none</span>}</td>
              <td role="gridcell">{formatDateTime(d.firstSeen)}</td>
              <td role="gridcell">{formatAgo(d.lastSeen)}</td>
              <td role="gridcell" className="num">{(stats?.flows ?? 0).toLocaleString()}</td>
              <td role="gridcell"><KindBadges kinds={[...(stats?.kinds ?? [])]} /></td>
              <td role="gridcell" className="num">
                <a href={routeHref('flows', { filter: `device:${d.address}` })}>flows →</a>
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
