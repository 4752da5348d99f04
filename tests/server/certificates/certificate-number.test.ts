import { describe, expect, it } from 'vitest';
import { registryCertificateNo, settlementCertificateNo } from '../../../server/certificates/certificate-number.ts';

describe('certificate numbers', () => {
  it('date a trade certificate by its Beijing day and pad the trade id', () => {
    expect(settlementCertificateNo({ id: '42', executed_at: new Date('2026-12-03T15:59:59Z') })).toBe('ERX-20261203-0000000042');
    expect(settlementCertificateNo({ id: '42', executed_at: new Date('2026-12-03T16:00:00Z') })).toBe('ERX-20261204-0000000042');
  });

  it('tell a use from a retirement', () => {
    const at = new Date('2026-12-03T16:00:00Z');
    expect(registryCertificateNo('use', 7, at)).toBe('ERU-20261204-0000000007');
    expect(registryCertificateNo('retire', 7, at)).toBe('ERR-20261204-0000000007');
  });
});
