import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VENDOR_FAMILIES, type VendorFamily } from '#src/model/directory/vendor-family.js';
import { deviceFileNames } from '#src/modules/vendors/index.js';
import {
  fetchWithDigest,
  phoneFixture,
  putArtifact,
  seedDevice,
  startPhoneProcess,
  type PhoneFixture,
  type PhoneProcess,
} from './support.js';

interface Reported {
  vendor: VendorFamily;
  /** For the file names only: the device is created without a declared model. */
  fileModel: string;
  mac: string;
  userAgent: string;
  model: string;
  firmware: string;
}

/** Real User-Agents of each family's provisioning client (two generations where the family has them). */
const PHONES: Reported[] = [
  {
    vendor: 'yealink',
    fileModel: 'T46S',
    mac: '001565ee0001',
    userAgent: 'Yealink SIP-T46S 66.86.0.15 00:15:65:ee:00:01',
    model: 'T46S',
    firmware: '66.86.0.15',
  },
  {
    vendor: 'yealink',
    fileModel: 'T46G',
    mac: '001565ee0002',
    userAgent: 'Yealink-T46G 28.71.0.81 28.1.0.128.0.0.0',
    model: 'T46G',
    firmware: '28.71.0.81',
  },
  {
    vendor: 'poly',
    fileModel: 'VVX450',
    mac: '0004f2ee0003',
    userAgent: 'FileTransport PolycomVVX-VVX_450-UA/6.4.6.2578 Type/Application',
    model: 'VVX450',
    firmware: '6.4.6.2578',
  },
  {
    vendor: 'poly',
    fileModel: 'CCX500',
    mac: '64167fee0004',
    userAgent: 'FileTransport PolyCCX-CCX_500-UA/9.4.1.0508 (SN:64167FEE0004) Type/Application',
    model: 'CCX500',
    firmware: '9.4.1.0508',
  },
  {
    vendor: 'cisco-mpp',
    fileModel: 'CP-8841',
    mac: '00562bee0005',
    userAgent: 'Cisco-CP-8841-3PCC/12.0.7 (00562bee0005)',
    model: 'CP-8841',
    firmware: '12.0.7',
  },
  {
    vendor: 'cisco-mpp',
    fileModel: 'SPA508G',
    mac: '0002fdee0006',
    userAgent: 'Cisco/SPA508G-7.4.8a (0002FDEE0006)(CBT1414XXXX)',
    model: 'SPA508G',
    firmware: '7.4.8a',
  },
  {
    vendor: 'cisco-enterprise',
    fileModel: '8841',
    mac: '00562bee0007',
    userAgent: 'Cisco-CP8841/12.6.1',
    model: 'CP-8841',
    firmware: '12.6.1',
  },
  {
    vendor: 'grandstream',
    fileModel: 'GXP2170',
    mac: '000b82ee0008',
    userAgent: 'Grandstream Model HW GXP2170 V1.2A SW 1.0.11.79 DevId 000b82ee0008',
    model: 'GXP2170',
    firmware: '1.0.11.79',
  },
  {
    vendor: 'grandstream',
    fileModel: 'GXP2000',
    mac: '000b82ee0009',
    userAgent: 'Grandstream GXP2000 (gxp2000e.bin:1.2.5.3/boot55e.bin:1.1.6.9) DevId 000b82ee0009',
    model: 'GXP2000',
    firmware: '1.2.5.3',
  },
  {
    vendor: 'snom',
    fileModel: 'D785',
    mac: '000413ee000a',
    userAgent:
      'Mozilla/4.0 (compatible; snomD785-SIP 10.1.169.16 2010.12-00001-gd311851f1 (Feb 25 2019 - 14:19:43) 000413EE000A SXM:0 UXM:0 UXMC:0)',
    model: 'D785',
    firmware: '10.1.169.16',
  },
  {
    vendor: 'snom',
    fileModel: 'M900',
    mac: '000413ee000b',
    userAgent: 'Mozilla/4.0 (compatible; Snom M900 05.20.0001 000413ee000b)',
    model: 'M900',
    firmware: '05.20.0001',
  },
  {
    vendor: 'fanvil',
    fileModel: 'X4U',
    mac: '0c383eee000c',
    userAgent: 'Fanvil X4U 2.12.1 0c383eee000c',
    model: 'X4U',
    firmware: '2.12.1',
  },
  {
    vendor: 'gigaset',
    fileModel: 'N870',
    mac: '7c2f80ee000d',
    userAgent: 'Gigaset N870 IP PRO/83.V2.65.0+build.a546b91;7C2F80EE000D',
    model: 'N870 IP PRO',
    firmware: '83.V2.65.0+build.a546b91',
  },
  {
    vendor: 'gigaset',
    fileModel: 'N510',
    mac: '7c2f80ee000e',
    userAgent: 'N510 IP PRO/42.245.00.000.000;7C2F80EE000E',
    model: 'N510 IP PRO',
    firmware: '42.245.00.000.000',
  },
];

let fixture: PhoneFixture;
let phone: PhoneProcess;

beforeAll(async () => {
  fixture = await phoneFixture({ PROVD_PHONE_BAN_THRESHOLD: '100000' });
  phone = await startPhoneProcess(fixture.ctx, 'phone-firmware');
});

afterAll(async () => {
  await phone?.close();
  await fixture?.close();
});

describe('the firmware and model a phone reports reach the API', () => {
  it('covers every vendor family', () => {
    expect(new Set(PHONES.map((phone) => phone.vendor))).toEqual(new Set(VENDOR_FAMILIES));
  });

  it.each(PHONES.map((entry) => [entry.userAgent, entry] as const))('%s', async (_ua, entry) => {
    const device = await seedDevice(fixture, { mac: entry.mac, vendor: entry.vendor });
    const [name] = deviceFileNames(entry.vendor, entry.mac, entry.fileModel);
    await putArtifact(fixture, device.targetId, `${entry.mac}/${name!.toLowerCase()}`, `# ${entry.vendor}\n`);
    const response = await fetchWithDigest(
      phone.app,
      `/${name}`,
      { username: entry.mac, secret: device.secret },
      { userAgent: entry.userAgent },
    );
    expect(response.statusCode).toBe(200);
    await phone.server.recorder.flush();

    const base = `/api/v1/tenants/${fixture.tenantSlug}/devices`;
    const view = await fixture.admin.get(`${base}/${device.id}`);
    expect(view.body).toMatchObject({
      model: entry.model,
      firmware: entry.firmware,
      lastSeen: { userAgent: entry.userAgent, firmware: entry.firmware, model: entry.model },
    });
    const byFirmware = await fixture.admin.get(`${base}?firmware=${encodeURIComponent(entry.firmware)}&limit=100`);
    expect(byFirmware.body.items.map((item: { id: string }) => item.id)).toContain(device.id);
    const listed = byFirmware.body.items.find((item: { id: string }) => item.id === device.id);
    expect(listed).toMatchObject({ model: entry.model, firmware: entry.firmware });
    const byModel = await fixture.admin.get(`${base}?model=${encodeURIComponent(entry.model)}&limit=100`);
    expect(byModel.body.items.map((item: { id: string }) => item.id)).toContain(device.id);
  });
});
