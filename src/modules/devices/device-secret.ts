import { randomBytes } from 'node:crypto';

/**
 * A device's provisioning secret (HTTP digest/basic password on config fetches): 192 random bits
 * as 32 base64url characters, an alphabet every vendor's credential field and keypad accepts.
 */
export function generateProvisioningSecret(): string {
  return randomBytes(24).toString('base64url');
}
