// The browser's check of a chosen file before it is uploaded: a video by its type or extension, not
// empty, not above the server's upload limit. Returns the message to show, or null when it may go.
import { formatBytes } from './video-steps';

const VIDEO_EXTENSIONS = ['mp4', 'm4v', 'mov', 'webm', 'mkv', 'avi', 'mpg', 'mpeg', 'ts', 'mts', '3gp', 'flv', 'wmv', 'ogv'];

export function checkFile(file: { name: string; type: string; size: number }, maxBytes: number): string | null {
  const ext = file.name.includes('.') ? (file.name.split('.').pop()?.toLowerCase() ?? '') : '';
  if (!file.type.startsWith('video/') && !VIDEO_EXTENSIONS.includes(ext)) {
    return `“${file.name}” is not a video file. Choose an MP4, MOV, WebM or MKV file.`;
  }
  if (file.size === 0) return `“${file.name}” is empty.`;
  if (file.size > maxBytes) return `“${file.name}” is ${formatBytes(file.size)}; the upload limit is ${formatBytes(maxBytes)}.`;
  return null;
}
