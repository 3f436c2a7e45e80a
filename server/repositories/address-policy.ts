// The SSRF gate's pure half: which IP addresses a URL download may reach, and which URLs we accept.
// Fed by the ALLOW_PRIVATE_URLS setting, resolved IP strings and user-typed URLs; returns a policy,
// a verdict per address, and a normalised URL (Google Drive share links turned into downloads).
import net from 'node:net';
import { AppError } from '../contracts/errors';

export interface Cidr {
  readonly family: 4 | 6;
  readonly network: bigint;
  readonly prefix: number;
}

export interface AddressPolicy {
  /** Self-hosters on a trusted LAN may opt out of the gate entirely. */
  readonly allowAll: boolean;
  /** Ranges allowed on top of the public internet, e.g. a NAS the operator trusts. */
  readonly allowed: readonly Cidr[];
}

interface Ip {
  readonly family: 4 | 6;
  readonly value: bigint;
}

function parseIp(text: string): Ip | null {
  const family = net.isIP(text);
  if (family === 4) return { family: 4, value: ipv4ToBigInt(text) };
  if (family === 6) return { family: 6, value: ipv6ToBigInt(text) };
  return null;
}

function ipv4ToBigInt(text: string): bigint {
  return text.split('.').reduce((acc, octet) => (acc << 8n) | BigInt(Number(octet)), 0n);
}

function ipv6ToBigInt(text: string): bigint {
  let groups = text.toLowerCase();
  // A trailing dotted quad (::ffff:1.2.3.4) stands for the last two 16-bit groups.
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(groups)?.[1];
  if (dotted) {
    const v4 = ipv4ToBigInt(dotted);
    groups = `${groups.slice(0, -dotted.length)}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const [head = '', tail] = groups.split('::');
  const headParts = head ? head.split(':') : [];
  const tailParts = tail ? tail.split(':') : [];
  const missing = 8 - headParts.length - tailParts.length;
  const parts = [...headParts, ...Array<string>(tail === undefined ? 0 : missing).fill('0'), ...tailParts];
  return parts.reduce((acc, part) => (acc << 16n) | BigInt(parseInt(part, 16)), 0n);
}

function parseCidr(text: string): Cidr {
  const match = /^([^/]+)(?:\/(\d{1,3}))?$/.exec(text);
  const ip = match?.[1] === undefined ? null : parseIp(match[1]);
  const width = ip?.family === 4 ? 32 : 128;
  // A bare address is a one-host range, which is what an operator listing "their NAS" means.
  const prefix = match?.[2] === undefined ? width : Number(match[2]);
  if (!ip || prefix > width) {
    throw new Error(`ALLOW_PRIVATE_URLS: "${text}" is not a valid CIDR (e.g. 10.0.0.0/8 or fd00::/8); use 1 to allow all.`);
  }
  return { family: ip.family, network: ip.value & mask(ip.family, prefix), prefix };
}

function mask(family: 4 | 6, prefix: number): bigint {
  const width = family === 4 ? 32n : 128n;
  return ((1n << width) - 1n) ^ ((1n << (width - BigInt(prefix))) - 1n);
}

function inCidr(ip: Ip, cidr: Cidr): boolean {
  return ip.family === cidr.family && (ip.value & mask(cidr.family, cidr.prefix)) === cidr.network;
}

export function parseAllowPrivate(setting: string): AddressPolicy {
  const value = setting.trim();
  const keyword = value.toLowerCase();
  if (keyword === '1' || keyword === 'true') return { allowAll: true, allowed: [] };
  if (keyword === '0' || keyword === 'false' || keyword === '') return { allowAll: false, allowed: [] };
  const entries = value
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  return { allowAll: false, allowed: entries.map(parseCidr) };
}

const BLOCKED_V4 = [
  '0.0.0.0/8', // "this network", includes the unspecified address
  '10.0.0.0/8',
  '100.64.0.0/10', // carrier-grade NAT
  '127.0.0.0/8',
  '169.254.0.0/16', // link-local, home of cloud metadata endpoints
  '172.16.0.0/12',
  '192.0.0.0/24', // IETF protocol assignments
  '192.168.0.0/16',
  '198.18.0.0/15', // benchmarking
  '224.0.0.0/4', // multicast
  '240.0.0.0/4', // reserved, includes the broadcast address
].map(parseCidr);

const BLOCKED_V6 = [
  '::/128',
  '::1/128',
  'fc00::/7', // unique local
  'fe80::/10', // link-local
  'ff00::/8', // multicast
].map(parseCidr);

// These v6 ranges carry a v4 address that the network stack (or a NAT64 gateway) ends up reaching.
const EMBEDS_V4 = ['::ffff:0:0/96', '64:ff9b::/96'].map(parseCidr);

export function isAddressAllowed(ip: string, policy: AddressPolicy): boolean {
  if (policy.allowAll) return true;
  // A zone id (fe80::1%eth0) names an interface, not part of the address.
  const parsed = parseIp(ip.split('%')[0] ?? '');
  if (!parsed) return false;
  const embedded = EMBEDS_V4.some((cidr) => inCidr(parsed, cidr)) ? { family: 4 as const, value: parsed.value & 0xffffffffn } : null;
  const candidates = embedded ? [parsed, embedded] : [parsed];
  if (candidates.some((candidate) => policy.allowed.some((cidr) => inCidr(candidate, cidr)))) return true;
  const judged = embedded ?? parsed;
  const blocked = judged.family === 4 ? BLOCKED_V4 : BLOCKED_V6;
  return !blocked.some((cidr) => inCidr(judged, cidr));
}

const DRIVE_FILE_PATH = /^\/file(?:\/u\/\d+)?\/d\/([\w-]+)/;

export function normalizeVideoUrl(input: string): URL {
  let url: URL;
  try {
    url = new URL(input.trim());
  } catch {
    throw new AppError('validation_error', 'Not a valid URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new AppError('url_not_allowed', 'Only http:// and https:// URLs can be downloaded.');
  }
  if (url.username !== '' || url.password !== '') {
    throw new AppError('url_not_allowed', 'URLs with a user name or password in them are not allowed.');
  }
  // The fragment never reaches the server, so it only makes equal URLs look different.
  url.hash = '';
  return url.hostname === 'drive.google.com' ? driveDownloadUrl(url) : url;
}

// A Drive share link opens a viewer page; only the uc?export=download form returns the file bytes.
function driveDownloadUrl(url: URL): URL {
  const id =
    DRIVE_FILE_PATH.exec(url.pathname)?.[1] ?? (url.pathname === '/open' || url.pathname === '/uc' ? url.searchParams.get('id') : null);
  if (!id) return url;
  const direct = new URL('https://drive.google.com/uc');
  direct.searchParams.set('export', 'download');
  direct.searchParams.set('id', id);
  const resourceKey = url.searchParams.get('resourcekey');
  if (resourceKey) direct.searchParams.set('resourcekey', resourceKey);
  return direct;
}
