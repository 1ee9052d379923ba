import { describe, expect, it } from 'vitest';
import { VENDOR_FAMILIES } from '#src/model/directory/vendor-family.js';
import { resolveResyncEvent } from '#src/modules/notify/resync-events.js';
import { isPhonebookFormat } from '#src/modules/render/phonebook/index.js';
import { phonebookFormatOf } from '#src/modules/render/targets/device-phonebooks.js';
import { VENDOR_REGISTRY } from '#src/modules/vendors/registry.js';
import { parseRequestedPath } from '#src/modules/phone/requested-file.js';
import { USER_AGENT_MATCHERS, parseUserAgent } from '#src/modules/phone/user-agent.js';

// The registry is the one place a family is registered: every id of the model's list has exactly
// one entry, filed under its own id, with every part a consumer asks for.
describe('vendor registry', () => {
  it('has one entry per family id, filed under its own id', () => {
    expect(Object.keys(VENDOR_REGISTRY).sort()).toEqual([...VENDOR_FAMILIES].sort());
    for (const family of VENDOR_FAMILIES) expect(VENDOR_REGISTRY[family].id).toBe(family);
  });

  it.each(VENDOR_FAMILIES)('%s: its resync event is what the notifier sends', (family) => {
    const { rebootEvent, ...resync } = VENDOR_REGISTRY[family].resync;
    expect(resolveResyncEvent(family, { reboot: false })).toEqual(resync);
    expect(resolveResyncEvent(family, { reboot: true })).toEqual(rebootEvent);
  });

  it.each(VENDOR_FAMILIES)(
    '%s: its phonebook format is one the renderer knows, and the one its devices get',
    (family) => {
      expect(isPhonebookFormat(VENDOR_REGISTRY[family].phonebookFormat)).toBe(true);
      expect(phonebookFormatOf(family)).toBe(VENDOR_REGISTRY[family].phonebookFormat);
    },
  );

  it("detects User-Agents with every family's rule, the ones that scan the whole UA last", () => {
    const rules = VENDOR_FAMILIES.map((family) => VENDOR_REGISTRY[family].userAgent);
    expect([...USER_AGENT_MATCHERS].sort()).toEqual(rules.map((rule) => rule.match).sort());
    const firstScanning = USER_AGENT_MATCHERS.findIndex(
      (match) => rules.find((rule) => rule.match === match)!.anywhere,
    );
    expect(firstScanning).toBeGreaterThan(0);
    for (const match of USER_AGENT_MATCHERS.slice(firstScanning)) {
      expect(rules.find((rule) => rule.match === match)!.anywhere).toBe(true);
    }
  });

  it.each(VENDOR_FAMILIES)(
    '%s: its example User-Agent is detected as the family, with the MAC where it carries one',
    (family) => {
      const mac = '0015659a1b2c';
      const ua = VENDOR_REGISTRY[family].userAgent.example({
        lower: mac,
        upper: mac.toUpperCase(),
        colons: mac.match(/../g)!.join(':'),
      });
      const info = parseUserAgent(ua);
      expect(info.vendor).toBe(family);
      if (info.mac !== undefined) expect(info.mac).toBe(mac);
      expect(family === 'cisco-enterprise' || family === 'poly' || info.mac === mac).toBe(true);
    },
  );

  it.each(VENDOR_FAMILIES)('%s: every device file it names is routed by its own shapes to the device', (family) => {
    const { files, models } = VENDOR_REGISTRY[family];
    const mac = '0015659a1b2c';
    for (const model of Object.keys(models.table)) {
      for (const name of files.device(mac, model)) {
        expect(
          files.requested.some((shape) => shape.exec(name)?.[1]?.toLowerCase() === mac),
          name,
        ).toBe(true);
        expect(parseRequestedPath(`/${name}`)).toEqual({ kind: 'device', mac, name });
      }
    }
  });

  it('a family that reads its contacts from a per-device name also routes that name to the device', () => {
    const withDirectory = VENDOR_FAMILIES.filter((family) => VENDOR_REGISTRY[family].files.directory);
    expect(withDirectory).toEqual(['poly']);
    for (const family of withDirectory) {
      const { directory, requested } = VENDOR_REGISTRY[family].files;
      expect(requested.map((shape) => shape.source)).toContain(directory!.source);
    }
  });
});
