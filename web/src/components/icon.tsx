// Inline SVG icons (no icon font, no emoji: both depend on what fonts the machine has).
const PATHS = {
  lock: 'M7 10V7a5 5 0 0 1 10 0v3h1a1 1 0 0 1 1 1v9a1 1 0 0 1-1 1H6a1 1 0 0 1-1-1v-9a1 1 0 0 1 1-1h1zm2 0h6V7a3 3 0 0 0-6 0v3z',
  unlock: 'M7 10V7a5 5 0 0 1 9.6-1.9l-1.8.8A3 3 0 0 0 9 7v3h9a1 1 0 0 1 1 1v9a1 1 0 0 1-1 1H6a1 1 0 0 1-1-1v-9a1 1 0 0 1 1-1h1z',
  tunnel: 'M4 8h13l-3-3 1.4-1.4L21.8 9l-6.4 5.4L14 13l3-3H4V8zm16 8H7l3 3-1.4 1.4L2.2 15l6.4-5.4L10 11l-3 3h13v2z',
  phone: 'M8 2h8a2 2 0 0 1 2 2v16a2 2 0 0 1-2 2H8a2 2 0 0 1-2-2V4a2 2 0 0 1 2-2zm0 3v13h8V5H8zm3 14.5a1 1 0 1 0 2 0 1 1 0 0 0-2 0z',
  key: 'M14 3a7 7 0 1 1-5.7 11.1L3 19.4V22h3v-2h2v-2h2l1.1-1.1A7 7 0 0 1 14 3zm2 4a2 2 0 1 0 0 4 2 2 0 0 0 0-4z',
  search: 'M10 3a7 7 0 0 1 5.6 11.2l5.1 5.1-1.4 1.4-5.1-5.1A7 7 0 1 1 10 3zm0 2a5 5 0 1 0 0 10 5 5 0 0 0 0-10z',
  shield: 'M12 2l8 3v6c0 5-3.4 9.4-8 11-4.6-1.6-8-6-8-11V5l8-3zm-1 13.6l6-6-1.4-1.4-4.6 4.6-2.1-2.1L7.5 12l3.5 3.6z',
  radar: 'M12 2a10 10 0 1 1 0 20 10 10 0 0 1 0-20zm0 2a8 8 0 1 0 8 8h-2a6 6 0 1 1-6-6V4zm0 4a4 4 0 1 0 4 4h-2a2 2 0 1 1-2-2V8z',
} as const;

export type IconName = keyof typeof PATHS;

export function Icon({ name, size = 14, className, label }: { name: IconName; size?: number; className?: string; label?: string }) {
  return (
    <svg className={`icon ${className ?? ''}`} width={size} height={size} viewBox="0 0 24 24" role={label ? 'img' : undefined} aria-label={label} aria-hidden={label ? undefined : true}>
      <path d={PATHS[name]} fill="currentColor" />
    </svg>
  );
}
