import { Type, type Static } from '@sinclair/typebox';

/** The roles an owner hands out inside a tenant (platform operators are made outside the console). */
export const ConsoleTenantRole = Type.Union([Type.Literal('owner'), Type.Literal('admin'), Type.Literal('viewer')]);

export const InviteConsoleUserBody = Type.Object(
  { email: Type.String({ minLength: 3, maxLength: 254 }), role: ConsoleTenantRole },
  { additionalProperties: false },
);
export type InviteConsoleUserInput = Static<typeof InviteConsoleUserBody>;

export const ConsoleUserRoleBody = Type.Object({ role: ConsoleTenantRole }, { additionalProperties: false });
export type ConsoleUserRoleInput = Static<typeof ConsoleUserRoleBody>;
