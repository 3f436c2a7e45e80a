// Unit tests for the SSRF address policy and URL normalisation: the tables below are the contract.
// Fed by literal settings, IPs and URLs; no network involved.
import { describe, expect, it } from 'vitest';
import { AppError } from '../contracts/errors';
import { isAddressAllowed, normalizeVideoUrl, parseAllowPrivate } from './address-policy';

const publicOnly = parseAllowPrivate('0');

describe('isAddressAllowed with the default policy', () => {
  it.each([
    ['0.0.0.0', false],
    ['0.1.2.3', false],
    ['10.1.2.3', false],
    ['100.64.0.1', false],
    ['100.127.255.255', false],
    ['127.0.0.1', false],
    ['127.255.0.9', false],
    ['169.254.169.254', false],
    ['172.16.0.1', false],
    ['172.31.255.255', false],
    ['192.0.0.8', false],
    ['192.168.1.1', false],
    ['198.18.0.1', false],
    ['198.19.255.255', false],
    ['224.0.0.1', false],
    ['239.255.255.250', false],
    ['240.0.0.1', false],
    ['255.255.255.255', false],
    ['::', false],
    ['::1', false],
    ['fc00::1', false],
    ['fd12:3456::1', false],
    ['fe80::1', false],
    ['fe80::1%eth0', false],
    ['febf::1', false],
    ['ff02::1', false],
    ['::ffff:127.0.0.1', false],
    ['::ffff:7f00:1', false],
    ['::ffff:10.0.0.1', false],
    ['::ffff:169.254.169.254', false],
    ['64:ff9b::127.0.0.1', false],
    ['64:ff9b::a00:1', false],
    ['not-an-ip', false],
    ['', false],
    ['8.8.8.8', true],
    ['1.1.1.1', true],
    ['100.63.255.255', true],
    ['100.128.0.0', true],
    ['172.15.255.255', true],
    ['172.32.0.0', true],
    ['192.0.1.1', true],
    ['198.17.255.255', true],
    ['198.20.0.0', true],
    ['223.255.255.255', true],
    ['2001:4860:4860::8888', true],
    ['2606:4700::1111', true],
    ['fec0::1', true],
    ['::ffff:8.8.8.8', true],
    ['64:ff9b::808:808', true],
  ])('%s → %s', (ip, expected) => {
    expect(isAddressAllowed(ip, publicOnly)).toBe(expected);
  });
});

describe('parseAllowPrivate', () => {
  it.each(['1', 'true', 'TRUE', ' 1 '])('%j allows every address', (setting) => {
    const policy = parseAllowPrivate(setting);
    expect(isAddressAllowed('127.0.0.1', policy)).toBe(true);
    expect(isAddressAllowed('::1', policy)).toBe(true);
    expect(isAddressAllowed('169.254.169.254', policy)).toBe(true);
  });

  it.each(['0', '', 'false', 'False'])('%j allows only public addresses', (setting) => {
    const policy = parseAllowPrivate(setting);
    expect(isAddressAllowed('127.0.0.1', policy)).toBe(false);
    expect(isAddressAllowed('8.8.8.8', policy)).toBe(true);
  });

  it.each([
    ['127.0.0.2/32', '127.0.0.2', true],
    ['127.0.0.2/32', '127.0.0.1', false],
    ['127.0.0.2/32', '::ffff:127.0.0.2', true],
    ['127.0.0.2/32', '8.8.8.8', true],
    ['127.0.0.2', '127.0.0.2', true],
    ['127.0.0.2', '127.0.0.3', false],
    ['10.0.0.0/8,192.168.1.0/24', '10.200.3.4', true],
    ['10.0.0.0/8, 192.168.1.0/24', '192.168.1.77', true],
    ['10.0.0.0/8,192.168.1.0/24', '192.168.2.1', false],
    ['10.0.0.0/8,', '10.0.0.1', true],
    ['10.1.2.3/8', '10.9.9.9', true],
    ['fd00::/8', 'fd00::1234', true],
    ['fd00::/8', 'fc00::1', false],
    ['FD00::/8', 'fd00::1', true],
    ['::1/128', '::1', true],
    ['::1/128', '127.0.0.1', false],
    ['0.0.0.0/0', '127.0.0.1', true],
  ])('%j: %s → %s', (setting, ip, expected) => {
    expect(isAddressAllowed(ip, parseAllowPrivate(setting))).toBe(expected);
  });

  it.each(['yes', '10.0.0.0/33', '::/129', '10.0.0/8', '10.0.0.0/', '10.0.0.0/8/1', '10.0.0.0/-1', 'localhost', '10.0.0.0/8,nope'])(
    '%j throws a clear error',
    (setting) => {
      expect(() => parseAllowPrivate(setting)).toThrow(/ALLOW_PRIVATE_URLS: ".+" is not a valid CIDR/);
    },
  );
});

describe('normalizeVideoUrl', () => {
  it.each([
    ['https://example.com/video.mp4', 'https://example.com/video.mp4'],
    ['  http://example.com/a b.mp4  ', 'http://example.com/a%20b.mp4'],
    ['https://example.com/v.mp4#t=10', 'https://example.com/v.mp4'],
    ['https://drive.google.com/file/d/1AbC-d_E/view?usp=sharing', 'https://drive.google.com/uc?export=download&id=1AbC-d_E'],
    [
      'https://drive.google.com/file/d/1AbC-d_E/view?usp=drive_link&resourcekey=0-xyz',
      'https://drive.google.com/uc?export=download&id=1AbC-d_E&resourcekey=0-xyz',
    ],
    ['https://drive.google.com/file/u/1/d/1AbC/view', 'https://drive.google.com/uc?export=download&id=1AbC'],
    ['https://drive.google.com/open?id=1AbC', 'https://drive.google.com/uc?export=download&id=1AbC'],
    ['https://drive.google.com/uc?id=1AbC', 'https://drive.google.com/uc?export=download&id=1AbC'],
    ['https://drive.google.com/uc?id=1AbC&export=download', 'https://drive.google.com/uc?export=download&id=1AbC'],
    ['https://drive.google.com/drive/folders/xyz', 'https://drive.google.com/drive/folders/xyz'],
  ])('%s → %s', (input, expected) => {
    expect(normalizeVideoUrl(input).href).toBe(expected);
  });

  it.each([
    ['ftp://example.com/v.mp4', 'url_not_allowed'],
    ['file:///etc/passwd', 'url_not_allowed'],
    ['javascript:alert(1)', 'url_not_allowed'],
    ['data:video/mp4;base64,AAAA', 'url_not_allowed'],
    ['https://user:pass@example.com/v.mp4', 'url_not_allowed'],
    ['https://user@example.com/v.mp4', 'url_not_allowed'],
    ['not a url', 'validation_error'],
    ['', 'validation_error'],
    ['http://', 'validation_error'],
  ])('%j is refused with %s', (input, code) => {
    let error: unknown;
    try {
      normalizeVideoUrl(input);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe(code);
  });

  it('says plainly that an unparseable string is not a URL', () => {
    expect(() => normalizeVideoUrl('::nope::')).toThrow('Not a valid URL');
  });
});
