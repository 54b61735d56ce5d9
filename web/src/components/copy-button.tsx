// Copies text to the clipboard; where the Clipboard API is unavailable (not a secure context) it selects the text
// in a box for Ctrl+C instead.
import { useState } from 'react';

export function CopyButton({ label, text }: { label: string; text: () => string }) {
  const [status, setStatus] = useState<'idle' | 'copied' | 'manual'>('idle');
  const [manual, setManual] = useState('');
  const copy = async () => {
    const value = text();
    try {
      await navigator.clipboard.writeText(value);
      setStatus('copied');
      setTimeout(() => setStatus('idle'), 1500);
    } catch {
      setManual(value);
      setStatus('manual');
    }
  };
  return (
    <>
      <button type="button" className="button small" onClick={() => void copy()} data-copy={label}>
        {status === 'copied' ? '✓ Copied' : label}
      </button>
      {status === 'manual' && (
        <textarea className="copy-fallback mono" readOnly value={manual} aria-label={`${label}: select and copy`} ref={(el) => el?.select()} onBlur={() => setStatus('idle')} />
      )}
    </>
  );
}
