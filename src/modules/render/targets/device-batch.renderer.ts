import type { EntityManager } from '@mikro-orm/postgresql';
import type { TargetBatchRenderer, TargetRender } from '../../pipeline/renderer.registry.js';
import { effectiveSettings } from '../../settings/effective-settings.js';
import { platformDefaults } from '../../settings/platform-defaults.js';
import { renderDeviceFiles } from '../device/index.js';
import { deviceArtifacts } from './artifact-files.js';
import { loadDeviceBatch, type DeviceRenderInput } from './device-batch.loader.js';
import { phonebookRefs } from './device-phonebooks.js';
import { renderSettingsOf } from './device-settings.mapping.js';
import type { TargetRendererOptions } from './target-renderer.options.js';
import { withoutSecrets } from './redact.js';
import { contactsAppUrl } from '../../phone-app/app-families.js';

const NOTHING: TargetRender = { files: [], warnings: [] };

/** The files of one device from its loaded input: pure, shared by the batch and single-device paths. */
export function renderDeviceInput(
  input: DeviceRenderInput,
  options: TargetRendererOptions,
  secrets: string[],
): TargetRender {
  const { device, lines } = input;
  secrets.push(...lines.secrets);
  const mapped = renderSettingsOf(effectiveSettings(input.sources), input.defaultCountry);
  if (mapped.settings.adminPassword) secrets.push(mapped.settings.adminPassword);
  const rendered = renderDeviceFiles({
    vendor: device.vendor,
    model: device.model ?? '',
    mac: device.mac,
    settings: mapped.settings,
    lines: lines.lines,
    phonebooks: phonebookRefs(options.publicPhoneUrl, device.vendor, input.books),
    ...(input.contactsApp ? { contactsAppUrl: contactsAppUrl(options.publicPhoneUrl, device.mac) } : {}),
    rawKeys: mapped.rawKeys,
  });
  return {
    files: deviceArtifacts(device.mac, rendered.files),
    warnings: [...new Set([...lines.warnings, ...mapped.warnings, ...rendered.warnings])],
  };
}

/**
 * Kind `device`, many at once: every device of the batch is read in one snapshot with a fixed
 * number of statements (device-batch.loader), then rendered one by one by the same pure
 * functions as the single-device path, so the bytes are the same. A RenderError fails only its
 * own target, with a message scrubbed of that device's credentials; an error while loading fails
 * every target of the batch, scrubbed of every credential the batch had read.
 */
export function deviceBatchRenderer(options: TargetRendererOptions): TargetBatchRenderer {
  const platform = platformDefaults(options.publicPhoneUrl);
  return async (em: EntityManager, targets) => {
    const results = new Map<string, TargetRender | Error>();
    const loaded: string[] = [];
    let inputs: Map<string, DeviceRenderInput | null>;
    try {
      inputs = await loadDeviceBatch(em.getKnex(), targets, platform, loaded);
    } catch (error) {
      const clean = withoutSecrets(error, loaded);
      for (const target of targets) results.set(target.id, clean);
      return results;
    }
    for (const target of targets) {
      const input = inputs.get(target.id);
      if (!input) {
        results.set(target.id, NOTHING);
        continue;
      }
      const secrets: string[] = [];
      try {
        results.set(target.id, renderDeviceInput(input, options, secrets));
      } catch (error) {
        results.set(target.id, withoutSecrets(error, secrets));
      }
    }
    return results;
  };
}
