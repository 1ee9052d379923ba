/**
 * Device-profile renderer: vendor-neutral input → the exact files each phone family requests.
 * Pure (no database, no queue, no clock): the same input always gives the same bytes.
 */
export { renderCommonFiles, renderDeviceFiles } from './render-device.js';
export { canonicalModelId, commonFileNames, deviceFileNames, knownModelIds, modelInfo } from '../../vendors/index.js';
export type { ModelInfo } from './models.js';
export { TIME_ZONE_REFERENCE_YEAR } from './time-zones.js';
export {
  RenderError,
  VENDOR_FAMILIES,
  type CommonRenderSettings,
  type DeviceRenderInput,
  type DeviceRenderResult,
  type DialPlanInput,
  type EffectiveSettings,
  type LineInput,
  type PhonebookRef,
  type RenderedContentType,
  type RenderedFile,
  type SipTransport,
  type VendorFamily,
} from './render.types.js';
