// "Render on server": the one step that sends the file anywhere. Signed in, it uploads the file through
// the dashboard's normal upload (with progress) and links to the video's page, where the authoritative
// full-length analysis and render run; signed out, it explains that an account is needed.
'use client';

import Link from 'next/link';
import { useRef, useState } from 'react';
import { Button, buttonClasses } from '../../_components/button';

type Upload = { loaded: number; total: number } | { videoId: string } | { error: string } | null;

export function RenderOnServer({ file, signedIn }: { file: File | null; signedIn: boolean }) {
  const [upload, setUpload] = useState<Upload>(null);
  const xhr = useRef<XMLHttpRequest | null>(null);
  if (!file) return null;
  if (!signedIn) {
    return (
      <p className="text-sm text-zinc-600 dark:text-zinc-400" data-testid="render-on-server">
        Like it?{' '}
        <Link href="/sign-in" className="font-medium text-indigo-600 hover:underline dark:text-indigo-400">
          Sign in
        </Link>{' '}
        (or{' '}
        <Link href="/sign-up" className="font-medium text-indigo-600 hover:underline dark:text-indigo-400">
          create an account
        </Link>
        ) to render the full video on the server — the file is uploaded only then.
      </p>
    );
  }

  function send(f: File) {
    const request = new XMLHttpRequest();
    xhr.current = request;
    const body = new FormData();
    body.append('file', f);
    setUpload({ loaded: 0, total: f.size });
    request.upload.onprogress = (e) => setUpload({ loaded: e.loaded, total: e.lengthComputable ? e.total : f.size });
    request.onload = () => {
      try {
        const json = JSON.parse(request.responseText) as { video_id?: string; error?: { message: string } };
        setUpload(
          request.status < 300 && json.video_id ? { videoId: json.video_id } : { error: json.error?.message ?? `HTTP ${request.status}` },
        );
      } catch {
        setUpload({ error: `The upload failed (HTTP ${request.status}).` });
      }
    };
    request.onerror = () => setUpload({ error: 'The connection was lost during the upload.' });
    request.onabort = () => setUpload(null);
    request.open('POST', '/api/dashboard/upload');
    request.setRequestHeader('x-reframe-upload', '1');
    request.send(body);
  }

  return (
    <div className="flex flex-wrap items-center gap-3 text-sm" data-testid="render-on-server">
      {upload && 'videoId' in upload ? (
        <p>
          Uploaded.{' '}
          <Link href={`/videos/${upload.videoId}`} className={buttonClasses('secondary', 'sm')}>
            Open it to reframe on the server
          </Link>
        </p>
      ) : upload && 'loaded' in upload ? (
        <>
          <progress aria-label="Upload progress" max={upload.total} value={upload.loaded} className="h-2 w-48 accent-indigo-600" />
          <span className="tabular-nums">{Math.round((100 * upload.loaded) / Math.max(1, upload.total))}%</span>
          <Button variant="ghost" size="sm" onClick={() => xhr.current?.abort()}>
            Cancel upload
          </Button>
        </>
      ) : (
        <>
          <Button onClick={() => send(file)}>Render on server</Button>
          <span className="text-zinc-600 dark:text-zinc-400">Uploads the file for the full-length render.</span>
          {upload && 'error' in upload ? (
            <span role="alert" className="text-red-700 dark:text-red-400">
              {upload.error}
            </span>
          ) : null}
        </>
      )}
    </div>
  );
}
