import { knownModelIds, type VendorFamily } from '../../src/modules/render/device/index.js';

/**
 * What a newcomer sees in the demo tenant: groups with admin contacts, accounts with numbers, a
 * PhoneMap group, a hunt group, an auto attendant, contacts in two phonebooks and one device per
 * vendor family. Written through the admin API with the demo owner's token, so every rule the
 * API enforces holds for the demo too; it runs only while the tenant has no group yet.
 */

/** A real OUI of each phone maker (IEEE registrations), so the demo MACs look like real phones. */
const DEMO_DEVICES: { vendor: VendorFamily; oui: string; label: string }[] = [
  { vendor: 'yealink', oui: '805ec0', label: 'Reception' },
  { vendor: 'poly', oui: '0004f2', label: 'Boardroom' },
  { vendor: 'cisco-mpp', oui: '6c416a', label: 'Sales desk 1' },
  { vendor: 'cisco-enterprise', oui: '0008e3', label: 'Lab' },
  { vendor: 'grandstream', oui: 'c074ad', label: 'Support desk 1' },
  { vendor: 'snom', oui: '000413', label: 'Support desk 2' },
  { vendor: 'fanvil', oui: '0c383e', label: 'Warehouse' },
  { vendor: 'gigaset', oui: '7c2f80', label: 'Workshop DECT' },
];

const ACCOUNTS = [
  { group: 0, extension: '101', displayName: 'Anna Peters' },
  { group: 0, extension: '102', displayName: 'Max Müller' },
  { group: 1, extension: '201', displayName: 'Émile Durand' },
  { group: 1, extension: '202', displayName: "Zoë O'Brien" },
  { group: 2, extension: '301', displayName: 'Lars Sørensen' },
  { group: 2, extension: '302', displayName: 'Reception' },
  { group: 2, extension: '303', displayName: 'Night service' },
  { group: 1, extension: '203', displayName: 'Support (Lab)' },
];

const CONTACTS = [
  {
    firstName: 'Ada',
    lastName: 'Lovelace',
    company: 'Analytical Engines Ltd',
    numbers: [{ type: 'work', number: '+442071234567' }],
  },
  {
    firstName: 'Ärzte',
    lastName: 'Zentrum Mitte',
    company: 'Praxis',
    numbers: [
      { type: 'work', number: '+4930555010' },
      { type: 'fax', number: '+4930555011' },
    ],
  },
  {
    firstName: 'Björn',
    lastName: 'Andersson',
    company: 'Nordic Supplies',
    numbers: [{ type: 'mobile', number: '+46701234567' }],
  },
  {
    firstName: 'Chloé',
    lastName: 'Martin',
    company: 'Atelier Lumière',
    numbers: [{ type: 'work', number: '+33142123456' }],
  },
  {
    firstName: 'Dmitri',
    lastName: 'Ivanov',
    company: 'Logistics Co',
    numbers: [
      { type: 'work', number: '+4940123456' },
      { type: 'mobile', number: '+491701234567' },
    ],
  },
  {
    firstName: 'Service',
    lastName: 'Hotline',
    company: 'Demo Company',
    numbers: [{ type: 'work', number: '+498001234567' }],
  },
];

interface Created {
  id: string;
}

class DemoApi {
  constructor(
    private readonly baseUrl: string,
    private readonly token: string,
  ) {}

  async call<T = Created>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.baseUrl}/api/v1/tenants/demo${path}`, {
      method,
      headers: {
        authorization: `Bearer ${this.token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`demo seed: ${method} ${path} answered ${response.status} ${text.slice(0, 300)}`);
    return (text ? JSON.parse(text) : {}) as T;
  }
}

/** Fills the demo tenant once; later starts find its groups and leave everything as the admin left it. */
export async function seedDemoContent(adminUrl: string, ownerToken: string): Promise<boolean> {
  const api = new DemoApi(adminUrl, ownerToken);
  const groups = await api.call<{ total: number }>('GET', '/groups?limit=1');
  if (groups.total > 0) return false;

  const profile = await api.call('POST', '/profiles', {
    name: 'Demo office',
    description: 'Default profile of the demo: the SIP server and clock every phone needs.',
    settings: {
      sipServer: 'sip.demo.example',
      sipPort: 5060,
      sipTransport: 'udp',
      ntpServer: 'pool.ntp.org',
      timeZone: 'Europe/Berlin',
      language: 'en',
    },
  });
  await api.call('PUT', `/profiles/${profile.id}/default`);
  const standard = await api.call('POST', '/classes-of-service', {
    name: 'Standard',
    level: 'national',
    description: 'National calls, no premium numbers',
    blockedPrefixes: ['0900'],
  });
  await api.call('POST', '/classes-of-service', { name: 'International', level: 'international' });

  const groupIds: string[] = [];
  for (const group of [
    {
      name: 'Sales',
      address: { street: 'Friedrichstraße 100', city: 'Berlin', zip: '10117', country: 'DE' },
      adminContact: {
        surname: 'Peters',
        name: 'Anna',
        role: 'Sales lead',
        phone: '+4930123450',
        itEmail: 'it-sales@demo.example',
      },
    },
    {
      name: 'Support',
      address: { city: 'Hamburg', country: 'DE' },
      adminContact: { surname: 'Durand', name: 'Émile', role: 'Support lead', itEmail: 'it-support@demo.example' },
    },
    {
      name: 'Head Office',
      address: { street: 'Unter den Linden 1', city: 'Berlin', zip: '10117', country: 'DE' },
      adminContact: {
        surname: 'Sørensen',
        name: 'Lars',
        role: 'Office manager',
        mobile: '+4917012345',
        itEmail: 'it@demo.example',
      },
    },
  ])
    groupIds.push((await api.call('POST', '/groups', group)).id);

  const numbers = await api.call<{ items: { id: string }[] }>('POST', '/numbers', {
    numbers: Array.from({ length: 12 }, (_, i) => `+49301234${String(560 + i)}`),
  });
  const accountIds: string[] = [];
  for (const [i, account] of ACCOUNTS.entries()) {
    const created = await api.call('POST', '/accounts', {
      groupId: groupIds[account.group],
      extension: account.extension,
      displayName: account.displayName,
      email: `${account.extension}@demo.example`,
    });
    accountIds.push(created.id);
    await api.call('POST', `/numbers/${numbers.items[i]!.id}/assign`, { accountId: created.id, role: 'primary' });
  }
  await api.call('POST', `/numbers/${numbers.items[8]!.id}/assign`, { accountId: accountIds[0], role: 'additional' });
  await api.call('POST', `/groups/${groupIds[0]}/shared-numbers`, { numberId: numbers.items[9]!.id });

  await api.call('POST', '/phonemap-groups', {
    id: 'reception-desk',
    name: 'Reception desk',
    classOfServiceId: standard.id,
  });
  await api.call('POST', '/phonemap-groups/reception-desk/members', { accountId: accountIds[5] });
  await api.call('POST', '/phonemap-groups/reception-desk/members', { accountId: accountIds[6] });
  await api.call('POST', '/hunt-groups', {
    name: 'Support line',
    extension: '600',
    memberAccountIds: [accountIds[2], accountIds[3], accountIds[7]],
  });
  const hunt = await api.call<{ items: Created[] }>('GET', '/hunt-groups?limit=1');
  await api.call('POST', '/auto-attendants', {
    name: 'Main menu',
    extension: '500',
    options: [
      { digit: '1', accountId: accountIds[0] },
      { digit: '2', huntGroupId: hunt.items[0]!.id },
      { digit: '0', accountId: accountIds[5] },
    ],
  });

  const partners = await api.call('POST', '/phonebooks', {
    name: 'Partners',
    visibility: 'groups',
    groupIds: [groupIds[0], groupIds[2]],
  });
  for (const [i, contact] of CONTACTS.entries())
    await api.call('POST', '/contacts', { ...contact, phonebookIds: i % 2 === 0 ? [partners.id] : [] });

  for (const [i, device] of DEMO_DEVICES.entries()) {
    const mac = `${device.oui}${String(100001 + i).slice(-6)}`;
    const line =
      i === 0
        ? { index: 1, phonemapGroupId: 'reception-desk' }
        : { index: 1, accountId: accountIds[i % accountIds.length] };
    await api.call('POST', '/devices', {
      mac,
      vendor: device.vendor,
      model: knownModelIds(device.vendor)[0],
      lines: [{ ...line, label: device.label }],
    });
  }
  return true;
}
