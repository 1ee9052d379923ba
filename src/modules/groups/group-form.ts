import { formText } from '../console/form-validation.js';
import type { Group } from '../../model/directory/group.entity.js';
import type { CreateGroupInput, UpdateGroupInput } from './groups.schemas.js';

/** Form field name → path in the REST body, so errors land next to the right field. */
export const GROUP_FIELDS: [string, string][] = [
  ['name', 'name'],
  ['profileId', 'profileId'],
  ['street', 'address.street'],
  ['city', 'address.city'],
  ['state', 'address.state'],
  ['zip', 'address.zip'],
  ['country', 'address.country'],
  ['surname', 'adminContact.surname'],
  ['adminName', 'adminContact.name'],
  ['adminRole', 'adminContact.role'],
  ['phone', 'adminContact.phone'],
  ['mobile', 'adminContact.mobile'],
  ['fax', 'adminContact.fax'],
  ['itEmail', 'adminContact.itEmail'],
];
const FIELD_OF_PATH = new Map(GROUP_FIELDS.map(([field, path]) => [path, field]));
/** Service errors that name a field (by code). */
export const GROUP_FIELD_OF_CODE: Record<string, string> = { group_name_taken: 'name', unknown_reference: 'profileId' };

/** Schema errors (by body path) as errors by form field. */
export function groupFormErrors(invalid: Record<string, string>): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const [path, message] of Object.entries(invalid)) errors[FIELD_OF_PATH.get(path) ?? 'name'] ??= message;
  return errors;
}

function put(body: Record<string, unknown>, path: string, value: unknown): void {
  const [head, tail] = path.split('.') as [string, string | undefined];
  if (tail) ((body[head] ??= {}) as Record<string, unknown>)[tail] = value;
  else body[head] = value;
}

/** The New group form as the REST API's create body: empty fields are left out. */
export function groupBodyFromForm(form: Record<string, unknown>): CreateGroupInput {
  const body: Record<string, unknown> = {};
  for (const [field, path] of GROUP_FIELDS) {
    const value = formText(form, field);
    if (value !== undefined) put(body, path, value);
  }
  if (typeof form.name === 'string' && body.name === undefined) body.name = '';
  return body as CreateGroupInput;
}

/**
 * The group's settings form as the REST API's update body. The form shows every field, so an
 * emptied field clears it (null); an emptied name stays '' and fails the schema's check.
 */
export function groupPatchFromForm(form: Record<string, unknown>): UpdateGroupInput {
  const body: Record<string, unknown> = {};
  for (const [field, path] of GROUP_FIELDS) put(body, path, formText(form, field) ?? (field === 'name' ? '' : null));
  return body as UpdateGroupInput;
}

/** A group as the settings form's values. */
export function groupFormValues(group: Group): Record<string, string> {
  return {
    name: group.name,
    profileId: group.profile?.id ?? '',
    street: group.street ?? '',
    city: group.city ?? '',
    state: group.state ?? '',
    zip: group.zip ?? '',
    country: group.country ?? '',
    surname: group.adminSurname ?? '',
    adminName: group.adminName ?? '',
    adminRole: group.adminRole ?? '',
    phone: group.adminPhone ?? '',
    mobile: group.adminMobile ?? '',
    fax: group.adminFax ?? '',
    itEmail: group.adminItEmail ?? '',
  };
}
