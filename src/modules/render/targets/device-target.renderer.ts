import { IsolationLevel } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Device } from '../../../model/directory/device.entity.js';
import type { TargetRender, TargetRenderer } from '../../pipeline/renderer.registry.js';
import type { RenderTarget } from '../../pipeline/render-target.entity.js';
import { platformDefaults } from '../../settings/platform-defaults.js';
import { loadDeviceSettingsSources } from '../../settings/settings-sources.js';
import { Tenant } from '../../../model/directory/tenant.entity.js';
import { loadDeviceLines } from './device-lines.loader.js';
import { renderDeviceInput } from './device-batch.renderer.js';
import { phonebooksSeenBy } from './device-phonebooks.js';
import { withoutSecrets } from './redact.js';
import { contactsAppFor } from '../../phone-app/app-render.js';
import { readWithEm } from '../../contact-grants/contact-grants.service.js';
import type { TargetRendererOptions } from './target-renderer.options.js';

export type { TargetRendererOptions };

const NOTHING: TargetRender = { files: [], warnings: [] };

async function renderDevice(
  em: EntityManager,
  target: RenderTarget,
  options: TargetRendererOptions,
  secrets: string[],
): Promise<TargetRender> {
  const device = await em.findOne(Device, { id: target.refId, tenant: target.tenantId });
  // Pending and disabled devices get nothing: the phone server answers them as an unknown device.
  if (!device || device.status !== 'active') return NOTHING;
  const tenant = await em.findOneOrFail(Tenant, { id: target.tenantId });

  const lines = await loadDeviceLines(em, device.id);
  const sources = await loadDeviceSettingsSources(em, device, platformDefaults(options.publicPhoneUrl));
  const books = await phonebooksSeenBy(em, tenant, lines.accountIds);
  const identity = { id: device.id, vendor: device.vendor, model: device.model ?? null, mac: device.mac };
  const [contactsApp] = await contactsAppFor(readWithEm(em), [
    { vendor: device.vendor, lineOneAccountId: lines.lineOneAccountId },
  ]);
  return renderDeviceInput(
    {
      device: identity,
      defaultCountry: tenant.defaultCountry ?? null,
      lines,
      sources,
      books,
      contactsApp: contactsApp!,
    },
    options,
    secrets,
  );
}

/**
 * Kind `device`: the per-device files of one phone from the committed directory state. Reads in
 * one repeatable-read snapshot, so lines, settings and phonebooks come from the same moment. A
 * RenderError (impossible setting, bad template) propagates and fails only this target; its
 * message is scrubbed of every credential the render had loaded.
 */
export function deviceTargetRenderer(options: TargetRendererOptions): TargetRenderer {
  return async (em, target) => {
    const secrets: string[] = [];
    try {
      return await em.transactional((tx) => renderDevice(tx as EntityManager, target, options, secrets), {
        isolationLevel: IsolationLevel.REPEATABLE_READ,
        readOnly: true,
      });
    } catch (error) {
      throw withoutSecrets(error, secrets);
    }
  };
}
