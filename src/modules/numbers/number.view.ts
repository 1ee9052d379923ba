import type { PhoneNumber } from './phone-number.entity.js';
import type { NumberViewType } from './numbers.schemas.js';

export function numberView(number: PhoneNumber): NumberViewType {
  return {
    id: number.id,
    e164: number.e164,
    status: number.status,
    accountId: number.account?.id ?? null,
    accountRole: number.accountRole ?? null,
    huntGroupId: number.huntGroup?.id ?? null,
    autoAttendantId: number.autoAttendant?.id ?? null,
    createdAt: number.createdAt.toISOString(),
    updatedAt: number.updatedAt.toISOString(),
  };
}
