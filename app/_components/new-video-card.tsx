'use client';
// "Add a video": drop a file or pick one (checked for type and size before sending), watch the
// upload's bytes and percentage, cancel it; or paste a URL. Uploads go by XHR to
// /api/dashboard/upload (fetch has no upload progress); URLs to videos.ingestUrl. The server's own
// refusal (not a video, too large) is shown as it said it.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useRef, useState, type DragEvent, type FormEvent } from 'react';
import { Button } from './button';
import { ProgressBar } from './status-badge';
import { inputClasses } from './text-field';
import { errorMessage } from './trpc-errors';
import { useTRPC } from './trpc-provider';
import { checkFile } from './upload-check';
import { formatBytes } from './video-steps';

interface Upload {
  name: string;
  loaded: number;
  total: number;
}

export function NewVideoCard({ maxBytes }: { maxBytes: number }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const inputRef = useRef<HTMLInputElement>(null);
  const xhrRef = useRef<XMLHttpRequest | null>(null);
  const [dragging, setDragging] = useState(false);
  const [upload, setUpload] = useState<Upload | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [url, setUrl] = useState('');
  const urlId = useId();
  const hintId = useId();

  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.videos.list.pathKey() });
  const ingestUrl = useMutation(
    trpc.videos.ingestUrl.mutationOptions({
      onSuccess: async () => {
        setUrl('');
        setNotice('URL added — it is being downloaded and checked.');
        await refresh();
      },
    }),
  );

  function send(file: File) {
    setError(null);
    setNotice(null);
    const problem = checkFile(file, maxBytes);
    if (problem) return setError(problem);
    const xhr = new XMLHttpRequest();
    xhrRef.current = xhr;
    const body = new FormData();
    body.append('file', file);
    setUpload({ name: file.name, loaded: 0, total: file.size });
    xhr.upload.onprogress = (e) => setUpload({ name: file.name, loaded: e.loaded, total: e.lengthComputable ? e.total : file.size });
    xhr.onload = () => {
      xhrRef.current = null;
      setUpload(null);
      if (xhr.status >= 200 && xhr.status < 300) {
        setNotice(`“${file.name}” uploaded — it is being checked now.`);
        void refresh();
        return;
      }
      let message = `The upload failed (HTTP ${xhr.status}).`;
      try {
        message = (JSON.parse(xhr.responseText) as { error: { message: string } }).error.message;
      } catch {
        // keep the generic message
      }
      setError(message);
    };
    xhr.onerror = () => {
      xhrRef.current = null;
      setUpload(null);
      setError('The connection was lost during the upload. Try again.');
    };
    xhr.onabort = () => {
      xhrRef.current = null;
      setUpload(null);
      setNotice('Upload cancelled.');
    };
    xhr.open('POST', '/api/dashboard/upload');
    xhr.setRequestHeader('x-reframe-upload', '1');
    xhr.send(body);
  }

  function onDrop(e: DragEvent) {
    e.preventDefault();
    setDragging(false);
    const file = e.dataTransfer.files[0];
    if (file && !upload) send(file);
  }

  function submitUrl(e: FormEvent) {
    e.preventDefault();
    setError(null);
    setNotice(null);
    ingestUrl.mutate({ url: url.trim() });
  }

  const pct = upload && upload.total > 0 ? upload.loaded / upload.total : 0;

  return (
    <section
      aria-labelledby="new-video-heading"
      className="rounded-2xl border border-zinc-200 bg-white p-5 shadow-sm sm:p-6 dark:border-zinc-800 dark:bg-zinc-900"
    >
      <h2 id="new-video-heading" className="text-base font-semibold">
        Add a video
      </h2>
      <p id={hintId} className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">
        A landscape talk, interview or podcast. MP4, MOV, WebM or MKV up to {formatBytes(maxBytes)}.
      </p>

      {upload ? (
        <div
          className="mt-4 rounded-xl border border-indigo-200 bg-indigo-50/60 p-4 dark:border-indigo-900 dark:bg-indigo-950/30"
          aria-live="polite"
        >
          <div className="flex items-center justify-between gap-3 text-sm">
            <span className="min-w-0 truncate font-medium">Uploading “{upload.name}”</span>
            <Button size="sm" variant="secondary" onClick={() => xhrRef.current?.abort()}>
              Cancel upload
            </Button>
          </div>
          <div className="mt-3">
            <ProgressBar value={pct} label="Upload progress" />
          </div>
          <p className="mt-2 text-xs tabular-nums text-zinc-600 dark:text-zinc-400" data-testid="upload-progress">
            {formatBytes(upload.loaded)} of {formatBytes(upload.total)} · {Math.round(pct * 100)}%
          </p>
        </div>
      ) : (
        <div
          onDragOver={(e) => {
            e.preventDefault();
            setDragging(true);
          }}
          onDragLeave={() => setDragging(false)}
          onDrop={onDrop}
          className={`mt-4 flex flex-col items-center justify-center rounded-xl border-2 border-dashed px-4 py-8 text-center transition-colors ${
            dragging
              ? 'border-indigo-500 bg-indigo-50 dark:border-indigo-400 dark:bg-indigo-950/40'
              : 'border-zinc-300 bg-zinc-50/60 dark:border-zinc-700 dark:bg-zinc-950/40'
          }`}
        >
          <svg
            viewBox="0 0 24 24"
            className="h-8 w-8 text-indigo-600 dark:text-indigo-400"
            fill="none"
            stroke="currentColor"
            strokeWidth="1.6"
            aria-hidden="true"
          >
            <path d="M12 16V4m0 0-4 4m4-4 4 4M4 16v2a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2v-2" strokeLinecap="round" strokeLinejoin="round" />
          </svg>
          <p className="mt-3 text-sm font-medium">Drop a video file here</p>
          <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">or</p>
          <Button className="mt-2" variant="secondary" onClick={() => inputRef.current?.click()}>
            Choose a file…
          </Button>
          <input
            ref={inputRef}
            type="file"
            accept="video/*,.mkv,.mov"
            className="sr-only"
            aria-label="Video file"
            aria-describedby={hintId}
            tabIndex={-1}
            onChange={(e) => {
              const file = e.target.files?.[0];
              e.target.value = '';
              if (file) send(file);
            }}
          />
        </div>
      )}

      <form onSubmit={submitUrl} className="mt-5">
        <label htmlFor={urlId} className="block text-sm font-medium text-zinc-800 dark:text-zinc-200">
          Or paste a video URL
        </label>
        <div className="mt-1.5 flex gap-2">
          <input
            id={urlId}
            type="url"
            inputMode="url"
            required
            placeholder="https://example.com/interview.mp4"
            value={url}
            onChange={(e) => setUrl(e.target.value)}
            className={inputClasses(Boolean(ingestUrl.error))}
          />
          <Button type="submit" disabled={ingestUrl.isPending || !url.trim()}>
            {ingestUrl.isPending ? 'Adding…' : 'Add URL'}
          </Button>
        </div>
      </form>

      <div aria-live="polite" className="mt-3 min-h-5 text-sm">
        {error || ingestUrl.error ? (
          <p role="alert" className="rounded-lg bg-red-50 px-3 py-2 text-red-700 dark:bg-red-950/40 dark:text-red-300">
            {error ?? errorMessage(ingestUrl.error)}
          </p>
        ) : notice ? (
          <p className="text-emerald-700 dark:text-emerald-400">{notice}</p>
        ) : null}
      </div>
    </section>
  );
}
