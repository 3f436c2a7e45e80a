// /preview/export — renders a clip of a local video along a crop path file (e.g. one downloaded with
// `suffix=_reframe_path` and edited) in the browser, with the preview's export panel. Nothing is uploaded.
import type { Metadata } from 'next';
import { PathExport } from '../_components/path-export';

export const metadata: Metadata = { title: 'Export along a crop path — Reframe' };

export default function PathExportPage() {
  return (
    <main className="mx-auto max-w-3xl px-6 py-10">
      <h1 className="text-2xl font-semibold tracking-tight">Export along a crop path</h1>
      <p className="mt-2 text-sm text-zinc-600 dark:text-zinc-400">
        Pick a video and a crop path (JSON, as the API downloads it). The clip is rendered on this device; the file never leaves it.
      </p>
      <PathExport />
    </main>
  );
}
