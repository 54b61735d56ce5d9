// Keyboard for grids: j/k or arrows move, Enter opens, Home/End jump. Keys typed in inputs are left alone.
import { useCallback, useEffect, useState } from 'react';

export function isTyping(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  return !!el && (el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT' || el.isContentEditable);
}

export function useGridKeys(count: number, onOpen: (index: number) => void, options: { global?: boolean; onMove?: (index: number) => void } = {}) {
  const [active, setActiveState] = useState(-1);
  const setActive = useCallback(
    (i: number) => {
      setActiveState(i);
      options.onMove?.(i);
    },
    [options.onMove],
  );

  const onKey = useCallback(
    (e: KeyboardEvent | React.KeyboardEvent) => {
      if (isTyping(e.target) || e.altKey || e.ctrlKey || e.metaKey) return;
      let next: number;
      if (e.key === 'j' || e.key === 'ArrowDown') next = Math.min(count - 1, active + 1);
      else if (e.key === 'k' || e.key === 'ArrowUp') next = Math.max(0, active - 1);
      else if (e.key === 'Home') next = 0;
      else if (e.key === 'End') next = count - 1;
      else if (e.key === 'Enter' && active >= 0) {
        e.preventDefault();
        onOpen(active);
        return;
      } else return;
      e.preventDefault();
      if (count > 0) setActive(next);
    },
    [active, count, onOpen, setActive],
  );

  useEffect(() => {
    if (options.global === false) return;
    const listener = (e: KeyboardEvent) => onKey(e);
    window.addEventListener('keydown', listener);
    return () => window.removeEventListener('keydown', listener);
  }, [onKey, options.global]);

  return { active, setActive, tableProps: { tabIndex: 0 } };
}
