import { useState } from 'preact/hooks';

/** Copies a value (a URL to register or paste) and says so. */
export function CopyButton({ value, label = 'Copy' }: { value: string; label?: string }) {
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setCopied(true);
      setTimeout(() => setCopied(false), 2000);
    } catch {
      setCopied(false);
    }
  };
  return (
    <button type="button" class="copy" data-copy={value} onClick={copy}>
      {copied ? 'Copied' : label}
    </button>
  );
}

/** A value to copy, shown in full and selectable. */
export function CopyField({ label, value }: { label: string; value: string }) {
  return (
    <div class="copy-field">
      <span class="copy-label">{label}</span>
      <code class="copy-value">{value}</code>
      <CopyButton value={value} />
    </div>
  );
}
