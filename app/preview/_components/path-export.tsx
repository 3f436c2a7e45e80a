// The pickers of /preview/export: a local video and a crop path JSON, checked against the API's own
// schema (ReframePathSchema) before the export panel is shown. Fed by file inputs; renders ExportPanel.
'use client';

import { useState } from 'react';
import { ReframePathSchema } from '../../../server/contracts/reframe';
import type { ReframePath } from '../../../workers/analysis/reframe-path';
import { ExportPanel } from './export-panel';

export function PathExport() {
  const [video, setVideo] = useState<File | null>(null);
  const [path, setPath] = useState<ReframePath | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  const readPath = async (file: File | undefined) => {
    setPath(null);
    setProblem(null);
    if (!file) return;
    let json: unknown;
    try {
      json = JSON.parse(await file.text());
    } catch {
      return setProblem(`“${file.name}” is not JSON.`);
    }
    const parsed = ReframePathSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      return setProblem(`“${file.name}” is not a crop path: ${issue.path.join('.') || 'path'}: ${issue.message}`);
    }
    setPath(parsed.data as ReframePath);
  };

  const input =
    'mt-1 block w-full text-sm file:mr-3 file:rounded-lg file:border-0 file:bg-zinc-100 file:px-3 file:py-2 file:text-sm file:font-medium dark:file:bg-zinc-800';
  return (
    <div className="mt-6 space-y-6">
      <div className="grid gap-4 sm:grid-cols-2">
        <label className="text-sm font-medium">
          Video
          <input
            type="file"
            accept="video/*"
            data-testid="path-export-video"
            className={input}
            onChange={(e) => setVideo(e.target.files?.[0] ?? null)}
          />
        </label>
        <label className="text-sm font-medium">
          Crop path (JSON)
          <input
            type="file"
            accept="application/json,.json"
            data-testid="path-export-path"
            className={input}
            onChange={(e) => void readPath(e.target.files?.[0])}
          />
        </label>
      </div>
      {problem ? (
        <p role="alert" className="text-sm text-red-600 dark:text-red-400">
          {problem}
        </p>
      ) : null}
      <ExportPanel file={video} path={path} />
    </div>
  );
}
