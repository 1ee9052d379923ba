import type { PhoneNumber } from '../../model/directory/phone-number.entity.js';
import type { NumberViewType } from './numbers.schemas.js';

/** Which object holds the number (all null when it is unassigned). */
export function numberHolder(number: PhoneNumber) {
  return {
    accountId: number.account?.id ?? null,
    accountRole: number.accountRole ?? null,
    huntGroupId: number.huntGroup?.id ?? null,
    autoAttendantId: number.autoAttendant?.id ?? null,
  };
}

export function numberView(number: PhoneNumber): NumberViewType {
  return {
    id: number.id,
    e164: number.e164,
    status: number.status,
    ...numberHolder(number),
    createdAt: number.createdAt.toISOString(),
    updatedAt: number.updatedAt.toISOString(),
  };
}
