// Picks the extension of a stored source file from its name or content type (`mp4` when unsure);
// ffprobe decides what the file really is.
const KNOWN = new Set(['mp4', 'mov', 'm4v', 'mkv', 'webm', 'avi', 'mpg', 'mpeg', 'ts', 'mts', 'm2ts', 'flv', 'wmv', '3gp', 'ogv']);
const BY_TYPE: Record<string, string> = {
  'video/mp4': 'mp4',
  'video/quicktime': 'mov',
  'video/webm': 'webm',
  'video/x-matroska': 'mkv',
  'video/x-msvideo': 'avi',
  'video/mpeg': 'mpg',
  'video/mp2t': 'ts',
};

export function sourceExtension(name: string | null | undefined, contentType?: string | null): string {
  const ext = name?.toLowerCase().match(/\.([a-z0-9]{1,5})$/)?.[1];
  if (ext && KNOWN.has(ext)) return ext;
  const type = contentType?.split(';')[0]?.trim().toLowerCase();
  return (type && BY_TYPE[type]) || 'mp4';
}
