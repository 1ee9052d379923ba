/**
 * The vendor families the phone server recognises. The device record is the authority on a
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
