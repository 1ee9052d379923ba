import { IsolationLevel } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Device } from '../../devices/device.entity.js';
import type { TargetRender, TargetRenderer } from '../../pipeline/renderer.registry.js';
import type { RenderTarget } from '../../pipeline/render-target.entity.js';
import { effectiveSettings } from '../../settings/effective-settings.js';
import { platformDefaults } from '../../settings/platform-defaults.js';
import { loadDeviceSettingsSources } from '../../settings/settings-sources.js';
import { Tenant } from '../../tenants/tenant.entity.js';
import { renderDeviceFiles } from '../device/index.js';
import { deviceArtifacts } from './artifact-files.js';
import { loadDeviceLines } from './device-lines.loader.js';
import { phonebookRefs, phonebooksSeenBy } from './device-phonebooks.js';
import { renderSettingsOf } from './device-settings.mapping.js';
import { withoutSecrets } from './redact.js';

export interface TargetRendererOptions {
  /** Base URL phones reach this server at (config publicPhoneUrl, no trailing slash). */
  publicPhoneUrl: string;
}

const NOTHING: TargetRender = { files: [], warnings: [] };

async function renderDevice(em: EntityManager, target: RenderTarget, options: TargetRendererOptions, secrets: string[]): Promise<TargetRender> {
  const device = await em.findOne(Device, { id: target.refId, tenant: target.tenantId });
  // Pending and disabled devices get nothing: the phone server answers them as an unknown device.
  if (!device || device.status !== 'active') return NOTHING;
  const tenant = await em.findOneOrFail(Tenant, { id: target.tenantId });

  const lines = await loadDeviceLines(em, device.id);
  secrets.push(...lines.secrets);
  const effective = effectiveSettings(await loadDeviceSettingsSources(em, device, platformDefaults(options.publicPhoneUrl)));
  const mapped = renderSettingsOf(effective, tenant.defaultCountry);
  if (mapped.settings.adminPassword) secrets.push(mapped.settings.adminPassword);
  const books = await phonebooksSeenBy(em, tenant, lines.accountIds);

  const rendered = renderDeviceFiles({
    vendor: device.vendor,
    model: device.model ?? '',
    mac: device.mac,
    settings: mapped.settings,
    lines: lines.lines,
    phonebooks: phonebookRefs(options.publicPhoneUrl, device.vendor, books),
    rawKeys: mapped.rawKeys,
  });
  return { files: deviceArtifacts(device.mac, rendered.files), warnings: [...new Set([...lines.warnings, ...mapped.warnings, ...rendered.warnings])] };
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
