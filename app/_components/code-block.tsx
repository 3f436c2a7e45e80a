// A titled, copyable code sample on a dark panel (same look in light and dark mode), for the
// product page's API examples.
import { CopyButton } from './copy-button';

export function CodeBlock({ title, code }: { title: string; code: string }) {
  return (
    <figure className="overflow-hidden rounded-xl border border-zinc-800 bg-zinc-950 shadow-lg shadow-zinc-950/10 dark:bg-zinc-900/70">
      <figcaption className="flex items-center justify-between gap-3 border-b border-white/10 py-1.5 pl-4 pr-1.5">
        <span className="text-xs font-medium text-zinc-400">{title}</span>
        <CopyButton text={code} what={title} variant="on-dark" size="sm" />
      </figcaption>
      <pre className="overflow-x-auto p-4 text-[13px] leading-relaxed text-zinc-100">
        <code>{code}</code>
      </pre>
    </figure>
  );
}
