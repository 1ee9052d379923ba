import { createHash } from 'node:crypto';
import { assertCanonicalMac } from './file-names.js';
import { resolveLines } from './lines.js';
import { lookupModel } from './models.js';
import {
  RenderError,
  VENDOR_FAMILIES,
  type CommonRenderSettings,
  type DeviceRenderInput,
  type DeviceRenderResult,
  type RenderedFile,
  type VendorFamily,
} from './render.types.js';
import { templateEngine } from './template-engine.js';
import { checkSettings, type BuildContext, type ViewFile } from './view-context.js';
import { VENDOR_REGISTRY } from '../../vendors/registry.js';

const CONTENT_TYPE = { xml: 'text/xml; charset=utf-8', text: 'text/plain; charset=utf-8' } as const;

function assertVendor(vendor: string): asserts vendor is VendorFamily {
  if (!(VENDOR_FAMILIES as readonly string[]).includes(vendor))
    throw new RenderError(`unknown vendor family "${vendor}"`);
}

/** Renders every view first; any failure throws before a single file is returned. */
function renderViews(views: ViewFile[]): RenderedFile[] {
  return views.map((file) => {
    const text = templateEngine(file.flavour).render(file.template, file.view);
    const body = Buffer.from(text, 'utf8');
    return {
      name: file.name,
      contentType: CONTENT_TYPE[file.flavour],
      body,
      sha256: createHash('sha256').update(body).digest('hex'),
      carriesSecrets: file.carriesSecrets,
    };
  });
}

/**
 * Per-device files (the ones carrying the lines) for one device. Pure and deterministic: the same
 * input gives the same bytes. Throws RenderError for a bad template or an impossible setting.
 */
export function renderDeviceFiles(input: DeviceRenderInput): DeviceRenderResult {
  assertVendor(input.vendor);
  assertCanonicalMac(input.mac);
  const family = VENDOR_REGISTRY[input.vendor];
  const model = lookupModel(family.models, input.model);
  const lines = resolveLines(input, model.lines, model.id);
  const warnings = [...lines.warnings];
  if (!model.known)
    warnings.push(`model "${input.model}" is not in the ${input.vendor} model table; assuming ${model.lines} line(s)`);
  const ctx: BuildContext = {
    input,
    vendor: input.vendor,
    model,
    lines,
    settings: checkSettings(input.vendor, input.settings, input.phonebooks),
    warnings,
  };
  const files = renderViews(family.views.device(ctx));
  return { files, warnings: [...new Set(warnings)] };
}

/** Per-model common files (no MAC, no secrets). Empty when the vendor or model has none. */
export function renderCommonFiles(vendor: VendorFamily, model: string, settings: CommonRenderSettings): RenderedFile[] {
  assertVendor(vendor);
  const checked = checkSettings(vendor, {
    provisioningUrl: settings.provisioningUrl,
    firmwareUrl: settings.firmwareUrl,
  });
  if (!checked.provisioningUrl)
    throw new RenderError('common files need a provisioning URL', vendor, 'provisioning_url_missing');
  const family = VENDOR_REGISTRY[vendor];
  return renderViews(family.views.common(lookupModel(family.models, model), checked));
}
