import { randomBytes } from 'node:crypto';

/**
 * A generated SIP password: 144 random bits as 24 base64url characters. That alphabet survives
 * every vendor's config syntax (no quotes, ampersands or angle brackets to escape) and every
 * phone keypad-entry screen.
 */
export function generateSipPassword(): string {
  return randomBytes(18).toString('base64url');
}

/** Printable ASCII without space, at least 12 characters: what an admin may set instead. */
export const SIP_PASSWORD_PATTERN = '^[\\x21-\\x7e]{12,128}$';
