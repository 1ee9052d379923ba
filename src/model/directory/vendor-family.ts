/**
 * The vendor families the product provisions: the one list every module uses (device records,
 * renderers, phone-server detection, resync events). The device record is the authority on a
 * device's family; detection from a request only informs logging and enrolment.
 */
export const VENDOR_FAMILIES = [
  'yealink',
  'poly',
  'cisco-mpp',
  'cisco-enterprise',
  'grandstream',
  'snom',
  'fanvil',
  'gigaset',
] as const;

export type VendorFamily = (typeof VENDOR_FAMILIES)[number];

export function isVendorFamily(value: string): value is VendorFamily {
  return (VENDOR_FAMILIES as readonly string[]).includes(value);
}
