import { describe, expect, it } from 'vitest';
import { VENDOR_FAMILIES } from '#src/model/directory/vendor-family.js';
import { resolveResyncEvent } from '#src/modules/notify/resync-events.js';
import { isPhonebookFormat } from '#src/modules/render/phonebook/index.js';
import { phonebookFormatOf } from '#src/modules/render/targets/device-phonebooks.js';
import { VENDOR_REGISTRY } from '#src/modules/vendors/registry.js';

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
});
