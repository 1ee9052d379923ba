import type { RendererRegistry } from '../modules/pipeline/renderer.registry.js';
import { deviceTargetRenderer, type TargetRendererOptions } from '../modules/render/targets/device-target.renderer.js';
import { directoryTargetRenderer, phonebookTargetRenderer } from '../modules/render/targets/phonebook-target.renderer.js';

/** The renderer of each target kind. */
export function rendererRegistry(options: TargetRendererOptions): RendererRegistry {
  return {
    device: deviceTargetRenderer(options),
    phonebook: phonebookTargetRenderer(options),
    directory: directoryTargetRenderer(options),
  };
}
