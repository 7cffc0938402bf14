// Time-based one-time passwords (RFC 6238) and one-time recovery codes for two-factor sign-in.
import { createHash, randomInt } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';
import QRCode from 'qrcode';
import { config } from '../config.ts';

// The parameters every common authenticator app supports: SHA-1, 6 digits, 30-second steps,
// and one step of clock drift either way.
const ALGORITHM = 'SHA1';
const DIGITS = 6;
const PERIOD_SECONDS = 30;
const WINDOW = 1;
// 160 bits, the key length RFC 4226 recommends for HMAC-SHA-1.
const SECRET_BYTES = 20;

export const RECOVERY_CODE_COUNT = 10;
// Crockford's base32 alphabet: no I, L, O or U, so codes survive being read aloud or copied by hand.
const RECOVERY_ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';
const RECOVERY_CODE_LENGTH = 10;

export function generateTotpSecret(): string {
  return new Secret({ size: SECRET_BYTES }).base32;
}

function totpFor(secret: string, email: string): TOTP {
  return new TOTP({
    issuer: config().siteUrl.hostname,
    label: email,
    algorithm: ALGORITHM,
    digits: DIGITS,
    period: PERIOD_SECONDS,
    secret: Secret.fromBase32(secret),
  });
}

/** Returns the otpauth:// URI that authenticator apps read from the QR code. */
export function totpUri(secret: string, email: string): string {
  return totpFor(secret, email).toString();
}

/** Renders the otpauth:// URI as an SVG QR code, on the server so the page needs no script. */
export function totpQrCodeSvg(secret: string, email: string): Promise<string> {
  return QRCode.toString(totpUri(secret, email), { type: 'svg', errorCorrectionLevel: 'M', margin: 4 });
}

/** Returns true for the six digits of a TOTP code, ignoring spaces. */
export function looksLikeTotpCode(input: string): boolean {
  return /^\d{6}$/.test(input.replace(/\s/g, ''));
}

// Last time step accepted per user, so that a code seen once cannot be used again
// (RFC 6238, section 5.2).
// NOTE: kept in memory, so a restart loses it and a code could then be replayed within its
// 90-second window. The server runs as one process, so no other copy needs it.
const lastAcceptedStep = new Map<number, number>();

/**
 * Checks a TOTP code for a user at the given time, allowing one step of drift, and
 * rejects a code whose time step is not later than the last one accepted for that user.
 */
export function verifyTotpCode(userId: number, secret: string, input: string, now: Date): boolean {
  const token = input.replace(/\s/g, '');
  if (!/^\d{6}$/.test(token)) return false;
  const delta = TOTP.validate({
    token,
    secret: Secret.fromBase32(secret),
    algorithm: ALGORITHM,
    digits: DIGITS,
    period: PERIOD_SECONDS,
    timestamp: now.getTime(),
    window: WINDOW,
  });
  if (delta === null) return false;
  const step = TOTP.counter({ period: PERIOD_SECONDS, timestamp: now.getTime() }) + delta;
  if (step <= (lastAcceptedStep.get(userId) ?? -1)) return false;
  lastAcceptedStep.set(userId, step);
  return true;
}

/** Forgets the last accepted step of a user, when their secret is replaced or removed. */
export function forgetTotpSteps(userId: number): void {
  lastAcceptedStep.delete(userId);
}

/** Generates recovery codes such as "7k2m9-q4xfw", 50 random bits each. */
export function generateRecoveryCodes(): string[] {
  return Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    let code = '';
    for (let i = 0; i < RECOVERY_CODE_LENGTH; i += 1) code += RECOVERY_ALPHABET[randomInt(RECOVERY_ALPHABET.length)];
    return `${code.slice(0, 5)}-${code.slice(5)}`;
  });
}

/**
 * Hashes a recovery code as typed: case, spaces and hyphens are ignored, and the letters
 * Crockford's base32 reads as digits (I, L as 1; O as 0) are mapped to them.
 */
export function hashRecoveryCode(input: string): string {
  const normalized = input
    .toLowerCase()
    .replace(/[\s-]/g, '')
    .replace(/[il]/g, '1')
    .replace(/o/g, '0');
  return createHash('sha256').update(normalized).digest('hex');
}
